import type { User } from '../../../src-shared/protocol';
import type { CallView } from '../../call/call-controller';
import { useApp } from '../../hooks/app-context';
import { useI18n } from '../../hooks/useI18n';
import { initial } from '../Avatar/initial';
import { ActiveCall } from './ActiveCall';
import { SelfPreview } from './SelfPreview';
import { IncomingCall } from './IncomingCall';
import { Icon } from '../Icon/Icon';

interface Props {
  view: CallView;
  partner: User | null;
}

export function CallStage({ view, partner }: Props): React.JSX.Element | null {
  const t = useI18n();
  const { controller } = useApp();
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
      return <IncomingCall call={call} />;
    case 'connecting':
    case 'active':
      return <ActiveCall view={view} partner={partner} />;
    case 'ended': {
      const reason = call.reason === 'failed' && call.errorCode ? t.error(call.errorCode, { name }) : t.endReason(call.reason);
      return (
        <section className="call-screen ended" data-testid="call-ended" data-reason={call.reason} data-error={call.errorCode ?? ''} role="status">
          <div className="avatar huge dim" aria-hidden="true">
            {initial(name)}
          </div>
          <h2 data-testid="call-ended-reason">{reason}</h2>
          {view.problem && view.problem !== reason && (
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
