import type { Settings, SettingsPatch } from '../../../src-shared/ipc';
import type { User } from '../../../src-shared/protocol';
import type { CallController, CallView } from '../../call/call-controller';
import { useI18n } from '../../hooks/useI18n';
import { initial } from '../Shell/Shell';
import { ActiveCall } from './ActiveCall';
import { SelfPreview } from './SelfPreview';
import { Icon } from '../Icon/Icon';

interface Props {
  controller: CallController;
  view: CallView;
  partner: User | null;
  settings: Settings;
  onSettings: (patch: SettingsPatch) => Promise<void>;
}

export function CallStage({ controller, view, partner, settings, onSettings }: Props): React.JSX.Element | null {
  const t = useI18n();
  const call = view.call;
  const name = partner?.displayName ?? '';
  switch (call.kind) {
    case 'idle':
      return null;
    case 'outgoing':
      return (
        <section className="call-screen ringing" data-testid="call-outgoing" aria-label={t.t('calling', { name })}>
          <SelfPreview stream={view.localStream} version={view.mediaVersion} />
          <div className="avatar huge pulse" aria-hidden="true">
            {initial(name)}
          </div>
          <h2>{name}</h2>
          <p className="call-progress" data-testid="call-progress" data-ringing={view.partnerRinging} role="status">
            {view.partnerRinging ? t.t('ringing') : t.t('callingProgress')}
          </p>
          <p className="muted">{call.callType === 'video' ? t.t('videoCall') : t.t('voiceCall')}</p>
          <div className="call-actions">
            <button className="btn danger round-label" type="button" data-testid="call-cancel" onClick={() => controller.hangup()} autoFocus>
              <Icon name="hangup" /> {t.t('cancelCall')}
            </button>
          </div>
        </section>
      );
    case 'incoming':
      return (
        <section className="call-screen ringing" data-testid="call-incoming" data-call-type={call.callType} aria-label={t.t('incomingTitle')} role="alertdialog">
          <p className="eyebrow">{t.t('incomingTitle')}</p>
          <div className="avatar huge pulse" aria-hidden="true">
            {initial(call.from.displayName)}
          </div>
          <h2>{call.callType === 'video' ? t.t('isCallingVideo', { name: call.from.displayName }) : t.t('isCallingVoice', { name: call.from.displayName })}</h2>
          <div className="call-actions">
            {call.callType === 'video' && (
              <button className="btn accept round-label" type="button" data-testid="answer-video" onClick={() => void controller.answer('video')} autoFocus>
                <Icon name="video" /> {t.t('answerVideo')}
              </button>
            )}
            <button
              className="btn accept round-label"
              type="button"
              data-testid="answer-voice"
              onClick={() => void controller.answer('voice')}
              autoFocus={call.callType === 'voice'}
            >
              <Icon name="phone" /> {t.t('answerVoice')}
            </button>
            <button className="btn danger round-label" type="button" data-testid="decline" onClick={() => controller.hangup()}>
              <Icon name="hangup" /> {t.t('decline')}
            </button>
          </div>
        </section>
      );
    case 'connecting':
    case 'active':
      return <ActiveCall controller={controller} view={view} partner={partner} settings={settings} onSettings={onSettings} />;
    case 'ended': {
      const reason = call.reason === 'failed' && call.errorCode ? t.error(call.errorCode, { name }) : t.endReason(call.reason);
      return (
        <section className="call-screen ended" data-testid="call-ended" data-reason={call.reason} data-error={call.errorCode ?? ''} role="status">
          <div className="avatar huge dim" aria-hidden="true">
            {initial(name)}
          </div>
          <h2 data-testid="call-ended-reason">{reason}</h2>
          {call.reason === 'failed' && call.errorCode && <p className="form-error" data-testid="call-error">{reason}</p>}
          {view.problem && (
            <p className="form-error" role="alert" data-testid={call.reason === 'failed' && !call.errorCode ? 'call-hint' : 'call-error'}>
              {view.problem}
            </p>
          )}
          {call.activeSec > 0 && <p className="muted">{t.t('duration', { duration: t.duration(call.activeSec) })}</p>}
          <button className="btn ghost" type="button" data-testid="call-ended-ok" onClick={() => controller.dismiss()} autoFocus>
            {t.t('ok')}
          </button>
        </section>
      );
    }
    default: {
      const unreachable: never = call;
      return unreachable;
    }
  }
}
