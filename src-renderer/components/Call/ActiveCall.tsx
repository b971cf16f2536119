import { useEffect, useRef, useState } from 'react';
import type { User } from '../../../src-shared/protocol';
import type { CallView } from '../../call/call-controller';
import { useApp } from '../../hooks/app-context';
import { useI18n } from '../../hooks/useI18n';
import { useNow } from '../../hooks/useNow';
import { initial } from '../Avatar/initial';
import { shortcutLabel } from '../../platform/shortcuts';
import { DevicePicker } from './DevicePicker';
import { QualityIndicator } from './QualityIndicator';
import { ScreenShareBanner } from './ScreenShareBanner';
import { RecordingPanel } from '../../recording/RecordingPanel';
import { Icon } from '../Icon/Icon';

interface Props {
  view: CallView;
  partner: User | null;
}

/** Keeps a media element showing a stream whose tracks change over time. */
function useStream(ref: React.RefObject<HTMLMediaElement | null>, stream: MediaStream | null, version: number): void {
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    if (element.srcObject !== stream) element.srcObject = stream;
    if (stream) void element.play().catch(() => undefined);
  }, [ref, stream, version]);
}

export function ActiveCall({ view, partner }: Props): React.JSX.Element {
  const t = useI18n();
  const { controller, settings } = useApp();
  const muteButton = useRef<HTMLButtonElement>(null);
  // Answered from the keyboard: focus lands on Mute, not on the page body.
  useEffect(() => {
    muteButton.current?.focus();
  }, []);
  const call = view.call;
  const remoteVideo = useRef<HTMLVideoElement>(null);
  const remoteAudio = useRef<HTMLAudioElement>(null);
  const localVideo = useRef<HTMLVideoElement>(null);
  const [devicesOpen, setDevicesOpen] = useState(false);
  useStream(remoteVideo, view.remoteStream, view.mediaVersion);
  useStream(remoteAudio, view.remoteStream, view.mediaVersion);
  useStream(localVideo, view.localStream, view.mediaVersion);

  // The chosen speaker (setSinkId; Chromium and Electron).
  useEffect(() => {
    const element = remoteAudio.current as (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (element?.setSinkId) void element.setSinkId(settings.speakerId ?? '').catch(() => undefined);
  }, [settings.speakerId]);

  const active = call.kind === 'active';
  const now = useNow(active);
  if (call.kind !== 'active' && call.kind !== 'connecting') return <></>;
  const name = partner?.displayName ?? '';
  const videoPaused = view.audioOnly || view.remoteMedia?.audioOnly === true;
  const remoteSendsVideo = !videoPaused && (view.remoteMedia ? view.remoteMedia.video && !view.remoteMedia.network : call.callType === 'video');
  const quality = view.quality;

  return (
    <section className="active-call" data-testid="call-active" data-state={call.kind} data-call-type={call.callType} aria-label={name}>
      <div className="video-stage">
        <video
          ref={remoteVideo}
          className={`remote-video${remoteSendsVideo ? '' : ' hidden'}`}
          data-testid="remote-video"
          autoPlay
          playsInline
          muted
          aria-label={name}
        />
        {!remoteSendsVideo && (
          <div className="remote-placeholder">
            <div className={`avatar huge${view.remoteMedia?.audio === false ? ' dim' : ''}`} aria-hidden="true">
              {initial(name)}
            </div>
            <h2>{name}</h2>
          </div>
        )}
        <audio ref={remoteAudio} data-testid="remote-audio" autoPlay />
        {view.cameraOn && <video ref={localVideo} className="local-video" data-testid="local-video" autoPlay playsInline muted />}

        <div className="call-overlay top">
          <span className="call-partner">{name}</span>
          <span className="call-timer" data-testid="call-timer" role="timer">
            {active ? t.clock((now - call.connectedAt) / 1000) : t.t('connecting')}
          </span>
          {quality && <QualityIndicator quality={quality} />}
        </div>
        <ScreenShareBanner view={view} partnerName={name} onStop={() => void controller.toggleScreenShare()} />
        <div className="call-overlay badges" aria-live="polite">
          {view.reconnecting && (
            <span className="pill warn" data-testid="call-reconnecting">
              {t.t('reconnecting')}
            </span>
          )}
          {view.remoteMedia && !view.remoteMedia.audio && (
            <span className="pill" data-testid="remote-muted">
              <Icon name="mic-off" size={16} /> {t.t('partnerMuted', { name })}
            </span>
          )}
          {view.audioOnly && (
            <span className="pill" data-testid="audio-only-on">
              {t.t('audioOnlyActive')}
            </span>
          )}
          {!view.audioOnly && view.remoteMedia?.audioOnly && (
            <span className="pill" data-testid="partner-audio-only">
              {t.t('partnerAudioOnly', { name })}
            </span>
          )}
          {!videoPaused && view.remoteMedia?.network && (
            <span className="pill warn" data-testid="remote-video-paused">
              {t.t('partnerVideoPausedByNetwork', { name })}
            </span>
          )}
          {!videoPaused && view.remoteMedia && !view.remoteMedia.network && !view.remoteMedia.video && call.callType === 'video' && (
            <span className="pill" data-testid="remote-camera-off">
              {t.t('partnerCameraOff', { name })}
            </span>
          )}
          {view.videoPausedByNetwork && (
            <span className="pill warn" data-testid="video-paused">
              {t.t('videoPausedByNetwork')}
            </span>
          )}
          {!view.micOn && (
            <span className="pill" data-testid="self-muted">
              {t.t('youMuted')}
            </span>
          )}
          {view.suggestAudioOnly && (
            <span className="pill warn">
              {t.t('weakSuggest')}{' '}
              <button className="btn link small" type="button" onClick={() => void controller.audioOnly()}>
                {t.t('switchAudioOnly')}
              </button>
            </span>
          )}
          {view.problem && (
            <span className="pill error" role="alert" data-testid="call-error">
              {view.problem}
            </span>
          )}
        </div>
        {active && <RecordingPanel controller={controller} partnerName={name} />}
      </div>

      {devicesOpen && <DevicePicker onClose={() => setDevicesOpen(false)} />}

      <div className="controls" role="toolbar" aria-label={t.t('devices')}>
        <button
          ref={muteButton}
          className={`ctl${view.micOn ? '' : ' off'}`}
          type="button"
          data-testid="toggle-mic"
          aria-keyshortcuts={shortcutLabel('mute')}
          title={shortcutLabel('mute')}
          aria-pressed={!view.micOn}
          onClick={() => void controller.toggleMic()}
        >
          <Icon name={view.micOn ? 'mic' : 'mic-off'} />
          <span className="ctl-label">{view.micOn ? t.t('mute') : t.t('unmute')}</span>
        </button>
        <button
          className={`ctl${view.cameraOn ? '' : ' off'}`}
          type="button"
          data-testid="toggle-camera"
          aria-keyshortcuts={shortcutLabel('camera')}
          title={shortcutLabel('camera')}
          aria-pressed={!view.cameraOn}
          onClick={() => void controller.toggleCamera()}
        >
          <Icon name={view.cameraOn ? 'video' : 'video-off'} />
          <span className="ctl-label">{view.cameraOn ? t.t('cameraOff') : t.t('cameraOn')}</span>
        </button>
        <button
          className={`ctl${view.audioOnly ? ' on' : ''}`}
          type="button"
          data-testid="audio-only"
          aria-pressed={view.audioOnly}
          disabled={view.audioOnly}
          onClick={() => void controller.audioOnly()}
        >
          <Icon name="headphones" />
          <span className="ctl-label">{t.t('audioOnly')}</span>
        </button>
        <button
          className={`ctl${view.screenSharing ? ' on' : ''}`}
          type="button"
          data-testid="share-screen"
          aria-pressed={view.screenSharing}
          onClick={() => void controller.toggleScreenShare()}
        >
          <Icon name="screen" />
          <span className="ctl-label">{view.screenSharing ? t.t('stopShare') : t.t('shareScreen')}</span>
        </button>
        <button className={`ctl${devicesOpen ? ' on' : ''}`} type="button" data-testid="open-devices" aria-expanded={devicesOpen} onClick={() => setDevicesOpen(!devicesOpen)}>
          <Icon name="gear" />
          <span className="ctl-label">{t.t('devices')}</span>
        </button>
        <button
          className="ctl hangup"
          type="button"
          data-testid="hangup"
          aria-keyshortcuts={shortcutLabel('hangup')}
          title={shortcutLabel('hangup')}
          onClick={() => controller.hangup()}>
          <Icon name="hangup" />
          <span className="ctl-label">{t.t('endCall')}</span>
        </button>
      </div>
    </section>
  );
}
