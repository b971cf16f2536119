import type { CallType, User } from '../../../src-shared/protocol';
import type { PartnerPresence } from '../../call/call-controller';
import { useI18n } from '../../hooks/useI18n';
import { initial } from '../Shell/Shell';
import { Icon } from '../Icon/Icon';

interface Props {
  partner: User | null;
  presence: PartnerPresence | null;
  onCall: (type: CallType) => void;
}

export function PartnerTile({ partner, presence, onCall }: Props): React.JSX.Element {
  const t = useI18n();
  const state = !partner ? 'none' : presence?.inCall ? 'in-call' : presence?.online ? 'online' : 'offline';
  const label = state === 'in-call' ? t.t('inCall') : state === 'online' ? t.t('online') : state === 'offline' ? t.t('offline') : '';
  const name = partner?.displayName ?? t.t('noPartner');
  return (
    <section className="partner-tile" data-testid="partner-tile" aria-label={name}>
      <div className={`avatar large presence-${state}`} aria-hidden="true">
        {partner ? initial(partner.displayName) : '♥'}
        {partner && <span className="presence-dot" />}
      </div>
      <h2 data-testid="partner-name">{name}</h2>
      {partner && (
        <p className={`presence-label presence-${state}`} data-testid="partner-presence" data-presence={state}>
          {label}
        </p>
      )}
      <div className="call-buttons">
        <button
          className="btn call voice"
          type="button"
          data-testid="call-voice"
          aria-label={partner ? t.t('callPartnerVoice', { name: partner.displayName }) : t.t('voiceCall')}
          onClick={() => onCall('voice')}
        >
          <Icon name="phone" /> {t.t('voiceCall')}
        </button>
        <button
          className="btn call video"
          type="button"
          data-testid="call-video"
          aria-label={partner ? t.t('callPartnerVideo', { name: partner.displayName }) : t.t('videoCall')}
          onClick={() => onCall('video')}
        >
          <Icon name="video" /> {t.t('videoCall')}
        </button>
      </div>
    </section>
  );
}
