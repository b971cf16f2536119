import { useState } from 'react';
import type { Call, CallType, User } from '../../../src-shared/protocol';
import { bridge } from '../../platform/bridge';
import { RecordingsDialog } from '../../recording/RecordingsDialog';
import { knownName } from '../../api/known-names';
import type { HistoryView } from '../../hooks/useHistory';
import { useI18n } from '../../hooks/useI18n';
import type { MessageKey } from '../../i18n';
import { Icon } from '../Icon/Icon';
import type { PastOccurrence } from '../../../src-shared/plans';
import { groupHistory } from './history-groups';
import { plannedCallMarks, withMissedPlans } from './planned-history';
import { MissedGroup } from './MissedGroup';

interface Props {
  user: User;
  partner: User | null;
  history: HistoryView;
  onCallBack: (type: CallType) => void;
  callDisabled: boolean;
  /** Planned occurrences of the last days, made (linked to their call) or missed (GET /api/plans `recent`). */
  planned?: readonly PastOccurrence[];
}

const statusKey: Record<Call['status'], MessageKey> = {
  ringing: 'statusRinging',
  connected: 'statusConnected',
  ended: 'statusEnded',
  missed: 'statusMissed',
  declined: 'statusDeclined',
};

/** The caller of a missed call hears why it was missed: canceled, no answer, partner offline. */
function statusLabel(call: Call, outgoing: boolean): MessageKey {
  if (call.endReason === 'failed') return 'statusFailed'; // answered, but media never flowed
  if (call.endReason === 'connection_lost') return 'statusCutOff'; // talked, then the connection died
  if (outgoing && call.status === 'missed') {
    if (call.endReason === 'canceled') return 'statusCanceled';
    if (call.endReason === 'partner_offline') return 'statusPartnerOffline';
    return 'statusNoAnswer';
  }
  return statusKey[call.status];
}

export function HistoryPanel({ user, partner, history, onCallBack, callDisabled, planned = [] }: Props): React.JSX.Element {
  const t = useI18n();
  // The desktop app keeps recordings: the recorded mark opens them (the browser offered a download instead).
  const recordings = bridge()?.recordings ?? null;
  const [recordingsFor, setRecordingsFor] = useState<string | null | undefined>(undefined);
  // Names survive an unpairing: the partner of each call is looked up by id.
  const nameOf = (call: Call): string => {
    const otherId = call.callerId === user.id ? call.calleeId : call.callerId;
    return partner?.id === otherId ? partner.displayName : (knownName(user.id, otherId) ?? '');
  };
  const plannedFor = plannedCallMarks(planned);
  const canCallBack = (call: Call): boolean => partner !== null && (call.callerId === partner.id || call.calleeId === partner.id);

  const row = (call: Call, testId: string, missedCount = 1): React.JSX.Element => {
    const outgoing = call.callerId === user.id;
    const missedForMe = call.status === 'missed' && !outgoing;
    const plan = plannedFor.get(call.id);
    return (
      <li
        key={`${testId}-${call.id}`}
        data-missed-count={missedForMe ? missedCount : undefined}
        className={`history-item status-${call.status}${missedForMe ? ' missed-for-me' : ''}`}
        data-testid={testId}
        data-call-id={call.id}
        data-status={call.status}
        data-reason={call.endReason ?? ''}
        data-duration={call.durationSec}
        data-direction={outgoing ? 'outgoing' : 'incoming'}
        data-planned={plan?.via ?? undefined}
      >
        <span className={`history-icon${missedForMe ? ' missed' : ''}`}>
          <Icon name={call.type === 'video' ? 'video' : 'phone'} size={18} />
        </span>
        <div className="history-text">
          <div className="history-line">
            <Icon name={missedForMe ? 'missed' : outgoing ? 'outgoing' : 'incoming'} size={14} />
            <span className="history-who" data-testid="history-who">
              {missedCount > 1 ? t.t('missedGroup', { name: nameOf(call), count: missedCount }) : nameOf(call)}
            </span>
            <span className="history-direction">{outgoing ? t.t('outgoingCall') : t.t('incomingCall')}</span>
          </div>
          <div className="history-meta">
            <span>{call.type === 'video' ? t.t('typeVideo') : t.t('typeVoice')}</span>
            <span className={`history-status status-${call.status}${call.endReason === 'failed' ? ' failed' : ''}${outgoing ? ' outgoing' : ''}`}>{t.t(statusLabel(call, outgoing))}</span>
            {call.durationSec > 0 && <span data-testid="history-duration">{t.duration(call.durationSec)}</span>}
            {plan && (
              <span className="history-planned" data-testid="history-planned" title={plan.note || undefined}>
                {t.t('plannedMark')}
                {plan.note && ` · ${plan.note}`}
              </span>
            )}
            {call.recorded &&
              (recordings ? (
                <button className="history-recorded link" type="button" data-testid="history-recorded" title={t.t('recordingOpenList')} onClick={() => setRecordingsFor(call.id)}>
                  ● {t.t('recordedMark')}
                </button>
              ) : (
                <span className="history-recorded" data-testid="history-recorded">
                  ● {t.t('recordedMark')}
                </span>
              ))}
          </div>
          <time className="history-time" dateTime={call.createdAt}>
            {t.dateTime(call.createdAt)}
          </time>
        </div>
        {canCallBack(call) && (
          <button
            className="btn icon"
            type="button"
            data-testid="call-back"
            disabled={callDisabled}
            aria-label={`${t.t('callBack')} (${call.type === 'video' ? t.t('typeVideo') : t.t('typeVoice')})`}
            title={t.t('callBack')}
            onClick={() => onCallBack(call.type)}
          >
            <Icon name="call-back" size={18} />
          </button>
        )}
      </li>
    );
  };

  /** A planned occurrence nobody called for. */
  const missedPlanRow = (occurrence: PastOccurrence): React.JSX.Element => (
    <li
      key={`plan-${occurrence.planId}-${occurrence.at}`}
      className="history-item planned-missed"
      data-testid="history-planned-missed"
      data-plan-id={occurrence.planId}
      data-at={occurrence.at}
    >
      <span className="history-icon missed">
        <Icon name={occurrence.type === 'video' ? 'video' : 'phone'} size={18} />
      </span>
      <div className="history-text">
        <div className="history-line">
          <Icon name="missed" size={14} />
          <span className="history-who">{partner?.displayName ?? ''}</span>
          <span className="history-direction">{t.t('planMissed')}</span>
        </div>
        <div className="history-meta">
          <span>{occurrence.type === 'video' ? t.t('typeVideo') : t.t('typeVoice')}</span>
          {occurrence.note && <span className="history-planned">{occurrence.note}</span>}
        </div>
        <time className="history-time" dateTime={occurrence.at}>
          {t.dateTime(occurrence.at)}
        </time>
      </div>
    </li>
  );

  return (
    <aside className="history-panel" data-testid="history" aria-label={t.t('history')}>
      <MissedGroup missed={history.missed} userId={user.id} partner={partner} onSeen={history.markMissedSeen} testId="missed-section" />
      <section>
        <h3>{t.t('history')}</h3>
        {history.loading && history.calls.length === 0 ? (
          <p className="muted">{t.t('loadingHistory')}</p>
        ) : history.calls.length === 0 ? (
          <p className="muted" data-testid="history-empty">
            {history.failed ? t.t('networkError') : t.t('noCalls')}
          </p>
        ) : (
          <ul className="history-list">
            {withMissedPlans(groupHistory(history.calls, user.id), history.calls, planned, !history.hasMore).map((entry) =>
              entry.kind === 'planned-missed'
                ? missedPlanRow(entry.occurrence)
                : entry.kind === 'call'
                  ? row(entry.call, 'history-item')
                  : row(entry.latest, 'history-item', entry.calls.length),
            )}
          </ul>
        )}
        {history.hasMore && (
          <button className="btn ghost wide" type="button" onClick={history.loadMore}>
            {t.t('loadMore')}
          </button>
        )}
      </section>
      {recordings && recordingsFor !== undefined && <RecordingsDialog recordings={recordings} callId={recordingsFor} onClose={() => setRecordingsFor(undefined)} />}
    </aside>
  );
}
