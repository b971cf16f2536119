import type { CallType, User } from '../../../src-shared/protocol';
import type { PartnerPresence } from '../../call/call-controller';
import { useI18n } from '../../hooks/useI18n';
import { initial } from '../Avatar/initial';
import { Icon } from '../Icon/Icon';

interface Props {
  partner: User;
  presence: PartnerPresence | null;
  /** Our own socket is up; while it is down the partner's presence is unknown and calls cannot start. */
  online: boolean;
  onCall: (type: CallType) => void;
}

export function PartnerTile({ partner, presence, online, onCall }: Props): React.JSX.Element {
  const t = useI18n();
  const state = !online ? 'unknown' : presence?.inCall ? 'in-call' : presence?.online ? 'online' : 'offline';
  const label = { unknown: t.t('presenceUnknown'), 'in-call': t.t('inCall'), online: t.t('online'), offline: t.t('offline') }[state];
  const name = partner.displayName;
  return (
    <section className="partner-tile" data-testid="partner-tile" aria-label={name}>
      <div className={`avatar large presence-${state}`} aria-hidden="true">
        {initial(name)}
        <span className="presence-dot" />
      </div>
      <h2 data-testid="partner-name">{name}</h2>
      <p className={`presence-label presence-${state}`} data-testid="partner-presence" data-presence={state}>
        {label}
      </p>
      <div className="call-buttons">
        <button
          className="btn call voice"
          type="button"
          data-testid="call-voice"
          disabled={!online}
          aria-describedby={online ? undefined : 'offline-reason'}
          aria-label={t.t('callPartnerVoice', { name })}
          onClick={() => onCall('voice')}
        >
          <Icon name="phone" /> {t.t('voiceCall')}
        </button>
        <button
          className="btn call video"
          type="button"
          data-testid="call-video"
          disabled={!online}
          aria-describedby={online ? undefined : 'offline-reason'}
          aria-label={t.t('callPartnerVideo', { name })}
          onClick={() => onCall('video')}
        >
          <Icon name="video" /> {t.t('videoCall')}
        </button>
      </div>
      {!online && (
        <p className="muted" id="offline-reason" data-testid="offline-reason">
          {t.t('youAreOffline')}
        </p>
      )}
    </section>
  );
}
