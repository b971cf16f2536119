import { useEffect, useState } from 'react';
import type { CallType, User } from '../../../src-shared/protocol';
import { useDocumentAttention } from '../../hooks/useDocumentAttention';
import { useI18n } from '../../hooks/useI18n';
import { followLeaderState, type LeaderState } from '../../platform/tab-channel';
import { initial } from '../Avatar/initial';

/**
 * A second tab of a browser that already has Heartline open: it shows what the
 * leading tab is doing and takes over (App swaps it for the full window) when that
 * tab closes. One socket per browser, so a call rings once.
 */
export function FollowerTab({
  user,
  partner,
  onAnswerHere,
}: {
  user: User;
  partner: User | null;
  /** Answer the ring in this tab: it takes the lead from the ringing one. */
  onAnswerHere: (media: CallType) => void;
}): React.JSX.Element {
  const t = useI18n();
  const [leader, setLeader] = useState<LeaderState | null>(null);
  useEffect(() => followLeaderState(setLeader), []);
  useDocumentAttention({ ringingFrom: leader?.call === 'incoming' ? leader.partnerName : null, missed: leader?.missed ?? 0 });
  const name = leader?.partnerName || partner?.displayName || '';
  const status =
    leader?.call === 'incoming'
      ? t.t('otherTabRinging', { name })
      : leader?.call === 'outgoing'
        ? t.t('calling', { name })
        : leader?.call === 'in-call'
          ? t.t('otherTabInCall', { name })
          : null;
  return (
    <main className="follower" data-testid="follower-tab" data-leader-call={leader?.call ?? 'unknown'}>
      <section className="card follower-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">♥</span>
          <h1>{t.t('appName')}</h1>
        </div>
        <div className="topbar-user">
          <span className="avatar tiny" aria-hidden="true">{initial(user.displayName)}</span>
          <span>{user.displayName}</span>
        </div>
        <h2>{t.t('otherTabTitle')}</h2>
        <p className="muted">{t.t('otherTabBody')}</p>
        {status && (
          <p className="notice" role="status" data-testid="follower-status">
            {status}
          </p>
        )}
        {leader?.call === 'incoming' && (
          <div className="follower-answer">
            <button type="button" className="btn accept" data-testid="follower-answer-voice" onClick={() => onAnswerHere('voice')}>
              {t.t('answerVoice')}
            </button>
            <button type="button" className="btn accept-video" data-testid="follower-answer-video" onClick={() => onAnswerHere('video')}>
              {t.t('answerVideo')}
            </button>
          </div>
        )}
      </section>
    </main>
  );
}
