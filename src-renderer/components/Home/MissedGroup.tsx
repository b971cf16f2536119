import type { Call, User } from '../../../src-shared/protocol';
import { knownName } from '../../api/known-names';
import { useI18n } from '../../hooks/useI18n';
import { Icon } from '../Icon/Icon';

interface Props {
  /** Unseen missed calls, newest first. */
  missed: Call[];
  userId: string;
  partner: User | null;
  onSeen: () => void;
  testId: string;
}

/** The unseen missed calls as one line per caller: "Ana · 11 missed", with the latest time. */
export function MissedGroup({ missed, userId, partner, onSeen, testId }: Props): React.JSX.Element | null {
  const t = useI18n();
  if (missed.length === 0) return null;
  const byCaller = new Map<string, Call[]>();
  for (const call of missed) byCaller.set(call.callerId, [...(byCaller.get(call.callerId) ?? []), call]);
  return (
    <section className="missed-section" data-testid={testId} aria-label={t.t('missedCalls')}>
      <div className="section-head">
        <h3>
          {t.t('missedCalls')} <span className="badge">{missed.length}</span>
        </h3>
        <button className="btn link small" type="button" data-testid="missed-seen" onClick={onSeen}>
          {t.t('markSeen')}
        </button>
      </div>
      <ul className="history-list">
        {[...byCaller].map(([callerId, calls]) => {
          const name = partner?.id === callerId ? partner.displayName : (knownName(userId, callerId) ?? '');
          const latest = calls[0];
          return (
            <li key={callerId} className="history-item missed-for-me" data-testid="missed-group" data-count={calls.length}>
              <span className="history-icon missed">
                <Icon name="missed" size={18} />
              </span>
              <div className="history-text">
                <span className="history-who">{t.t('missedGroup', { name, count: calls.length })}</span>
                {latest && (
                  <time className="history-time" dateTime={latest.createdAt}>
                    {t.dateTime(latest.createdAt)}
                  </time>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
