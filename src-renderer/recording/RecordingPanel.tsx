// The call window's recording controls: ask, the partner's consent request
// (accept / decline), whether this device keeps a copy, the persistent indicator
// with the recorded time, stop (for both), and what happened to a request or a recording.
import { useSyncExternalStore } from 'react';
import type { CallController } from '../call/call-controller';
import { useI18n } from '../hooks/useI18n';
import { useNow } from '../hooks/useNow';
import type { MessageKey, Translator } from '../i18n';
import { recordingFor, type RecordingNotice } from './recording-controller';
import { defaultSink } from './recording-sink';
import { useDesktopRecordingRequestNotice } from './desktop-request-notice';
import './recording.css';

const NOTICE_TEXT: Record<RecordingNotice['kind'], MessageKey> = {
  declined: 'recordDeclined',
  expired: 'recordExpired',
  stopped: 'recordStopped',
  stoppedNoCopy: 'recordStoppedNoCopy',
  nothingCaptured: 'recordNothingCaptured',
  failed: 'recordFailed',
  refused: 'recordRefused',
};

/** What goes into a notice's {detail}: a failure in this language, or the server's refusal. */
function noticeDetail(notice: RecordingNotice, t: Translator): string {
  if (notice.kind === 'failed') return t.recordingFailure(notice.failure);
  if (notice.kind !== 'refused') return '';
  // The two refusals the consent rules give have their own words; anything else is the server's usual error.
  if (notice.code === 'INVALID_STATE') return t.t('recordRefusedState');
  if (notice.code === 'NOT_ALLOWED') return t.t('recordRefusedNotAllowed');
  return t.error(notice.code);
}

export function RecordingPanel({ controller, partnerName }: { controller: CallController; partnerName: string }): React.JSX.Element {
  const t = useI18n();
  const recording = recordingFor(controller, defaultSink);
  const view = useSyncExternalStore(recording.subscribe, recording.getView);
  const ticking = view.state === 'on' || view.request !== null;
  const now = useNow(ticking, 500);
  const recordedMs = view.recordedMs + (view.runningSince === null ? 0 : Math.max(0, now - view.runningSince));
  const name = partnerName;
  useDesktopRecordingRequestNotice(view.request?.expiresAt ?? null, name);
  const keepCopy = (
    <label className="rec-keep-copy" title={t.t('recordKeepCopyHint')}>
      <input type="checkbox" data-testid="recording-keep-copy" checked={view.keepCopy} onChange={(event) => recording.setKeepCopy(event.target.checked)} /> {t.t('recordKeepCopy')}
    </label>
  );

  return (
    <div className="recording-panel" aria-live="polite">
      {(view.state === 'on' || view.state === 'paused') && (
        <div className={`pill recording-indicator ${view.state}`} data-testid="recording-indicator" data-state={view.state} data-copy={view.keepCopy} role="status">
          <span className="rec-dot" aria-hidden="true" />
          <span>{view.state === 'paused' ? t.t('recordPaused') : view.keepCopy ? t.t('recordOn') : t.t('recordOnNoCopy')}</span>
          <span className="rec-time" data-testid="recording-elapsed" role="timer">
            {t.clock(recordedMs / 1000)}
          </span>
          <button className="btn small danger" type="button" data-testid="recording-stop" onClick={() => void recording.stop()}>
            {t.t('recordStop')}
          </button>
        </div>
      )}
      {view.state === 'off' && !view.asking && !view.request && (
        <div className="rec-ask-row">
          <button className="btn small rec-ask" type="button" data-testid="recording-request" title={t.t('recordAskHint', { name })} onClick={() => void recording.request()}>
            <span className="rec-dot" aria-hidden="true" /> {t.t('recordAsk')}
          </button>
          {keepCopy}
        </div>
      )}
      {view.asking && view.state === 'pending' && (
        <span className="pill" data-testid="recording-waiting">
          {t.t('recordWaiting', { name })}
        </span>
      )}
      {view.request && (
        <div className="recording-request" role="alertdialog" aria-labelledby="recording-request-title" data-testid="recording-request-dialog">
          <h3 id="recording-request-title">{t.t('recordRequestTitle', { name })}</h3>
          <p>{t.t('recordConsentText')}</p>
          <p>{keepCopy}</p>
          <p className="muted">{t.t('recordAnswerWithin', { seconds: Math.max(0, Math.ceil((view.request.expiresAt - now) / 1000)) })}</p>
          <div className="recording-request-actions">
            <button className="btn accept" type="button" data-testid="recording-accept" onClick={() => void recording.answer(true)}>
              {t.t('recordAccept')}
            </button>
            <button className="btn" type="button" data-testid="recording-decline" onClick={() => void recording.answer(false)} autoFocus>
              {t.t('recordDecline')}
            </button>
          </div>
        </div>
      )}
      {view.notice && (
        <span className={`pill${view.notice.kind === 'failed' || view.notice.kind === 'refused' ? ' error' : ''}`} data-testid="recording-notice" data-kind={view.notice.kind} role="alert">
          {t.t(NOTICE_TEXT[view.notice.kind], { name, detail: noticeDetail(view.notice, t) })}{' '}
          <button className="btn link small" type="button" onClick={() => recording.dismissNotice()}>
            {t.t('close')}
          </button>
        </span>
      )}
    </div>
  );
}
