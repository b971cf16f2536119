// Home's planned calls: the next one with a countdown, the upcoming ones with
// move / skip / cancel, each in this device's time and, when it differs, the
// partner's ("Sunday 21:00 for you · 20:00 for Bob").
import { useState } from 'react';
import type { Occurrence, Plan } from '../../../src-shared/plans';
import type { User } from '../../../src-shared/protocol';
import { ApiError } from '../../api/session';
import { useI18n } from '../../hooks/useI18n';
import { useNow } from '../../hooks/useNow';
import type { PlansView } from '../../hooks/usePlans';
import { Icon } from '../Icon/Icon';
import { PlanDialog } from './PlanDialog';
import { describeOccurrence } from './plan-format';
import './plans.css';

/** Seconds for the countdown: to the second in the last hour, to the minute before. */
const countdownSeconds = (ms: number): number => (ms >= 3_600_000 ? Math.round(ms / 60_000) * 60 : Math.round(ms / 1000));

interface Props {
  plans: PlansView;
  partner: User;
}

export function PlansPanel({ plans, partner }: Props): React.JSX.Element {
  const t = useI18n();
  const now = useNow(true, 1000);
  const [editing, setEditing] = useState<Plan | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const partnerZone = plans.timeZones[partner.id] ?? null;
  const planOf = (occurrence: Occurrence): Plan | undefined => plans.plans.find((p) => p.id === occurrence.planId);

  const when = (occurrence: Occurrence): string => {
    const text = describeOccurrence(Date.parse(occurrence.at), { myZone: plans.myZone, partnerZone, locale: t.locale });
    return text.partner
      ? `${t.t('planForYou', { time: text.mine })} · ${t.t('planForPartner', { time: text.partner, name: partner.displayName })}`
      : text.mine;
  };

  const run = (action: Promise<unknown>): void => {
    setError(null);
    action.catch((caught: unknown) =>
      setError(caught instanceof ApiError ? t.error(caught.code === 'NETWORK' ? 'INTERNAL' : caught.code, { detail: caught.message }) : String(caught)),
    );
  };

  const next = plans.occurrences[0];
  return (
    <section className="plans card" data-testid="plans" aria-labelledby="plans-title">
      <div className="section-head">
        <h3 id="plans-title">{t.t('plansTitle')}</h3>
        <button className="btn primary" type="button" data-testid="plan-open" onClick={() => setEditing('new')}>
          {t.t('planCall')}
        </button>
      </div>
      {next ? (
        <div className="next-plan" data-testid="next-plan">
          <Icon name={next.type === 'video' ? 'video' : 'phone'} size={22} />
          <div>
            <div className="next-plan-label">{t.t('planNext')}</div>
            <div className="next-plan-when" data-testid="next-plan-when">
              {when(next)}
            </div>
            <div className="next-plan-countdown" data-testid="next-plan-countdown">
              {Date.parse(next.at) - now > 0 ? t.t('planIn', { time: t.duration(countdownSeconds(Date.parse(next.at) - now)) }) : t.t('planNow')}
            </div>
          </div>
        </div>
      ) : (
        plans.loaded && <p className="muted">{t.t('planNone')}</p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <ul className="plan-list" data-testid="plan-list">
        {plans.occurrences.map((occurrence) => {
          const plan = planOf(occurrence);
          if (!plan) return null;
          return (
            <li key={`${occurrence.planId}@${occurrence.at}`} className="plan-item" data-testid="plan-item">
              <div className="plan-item-text">
                <span className="plan-when" data-testid="plan-when">
                  {when(occurrence)}
                </span>
                <span className="history-meta">
                  {t.t(occurrence.type === 'video' ? 'videoCall' : 'voiceCall')}
                  {plan.rule && <span>· {t.t(plan.rule.freq === 'daily' ? 'repeatDaily' : plan.rule.freq === 'weekly' ? 'repeatWeekly' : 'repeatMonthly')}</span>}
                  {occurrence.note && <span data-testid="plan-note-text">· {occurrence.note}</span>}
                </span>
              </div>
              <div className="plan-actions">
                <button className="btn link" type="button" data-testid="plan-move" onClick={() => setEditing(plan)}>
                  {t.t('planMove')}
                </button>
                {plan.rule && (
                  <button className="btn link" type="button" data-testid="plan-skip" onClick={() => run(plans.api.skip(plan.id, occurrence.at))}>
                    {t.t('planSkip')}
                  </button>
                )}
                <button className="btn link" type="button" data-testid="plan-cancel" onClick={() => run(plans.api.cancel(plan.id))}>
                  {t.t('planCancel')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {plans.recent.length > 0 && (
        <>
          <h3>{t.t('planRecent')}</h3>
          <ul className="plan-list" data-testid="plan-recent">
            {plans.recent.map((past) => (
              <li key={`${past.planId}@${past.at}`} className="plan-item" data-testid="plan-recent-item" data-made={past.made}>
                <span className="plan-item-text">
                  <span>{when(past)}</span>
                  <span className={`history-status ${past.made ? 'status-ended' : 'status-missed'}`}>{t.t(past.made ? 'planMade' : 'planMissed')}</span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {editing && <PlanDialog api={plans.api} myZone={plans.myZone} plan={editing === 'new' ? undefined : editing} now={now} onClose={() => setEditing(null)} />}
    </section>
  );
}
