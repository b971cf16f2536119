// Plan a call, or move one: date and time (in this device's zone), voice or
// video, a short note, how it repeats and until when, and the reminder's lead.
import { DateTime, Info } from 'luxon';
import { useEffect, useRef, useState } from 'react';
import { PLAN_LIMITS, WEEKDAYS, type CreatePlanBody, type Plan, type PlanRule, type Weekday } from '../../../src-shared/plans';
import type { CallType } from '../../../src-shared/protocol';
import { ApiError } from '../../api/session';
import type { PlansApi } from '../../api/plans-api';
import { useI18n } from '../../hooks/useI18n';
import { inputsFor, startsAtFrom } from './plan-format';
import './plans.css';

type Repeat = 'none' | 'daily' | 'weekly' | 'monthly';
const LEADS = [0, 5, 10, 15, 30, 60] as const;

interface Props {
  api: PlansApi;
  myZone: string;
  /** The plan being moved; none to plan a new call. */
  plan?: Plan;
  now: number;
  onClose: () => void;
}

function initialForm(plan: Plan | undefined, myZone: string, now: number) {
  // A new plan starts at the next full hour.
  const start = plan ? Date.parse(plan.startsAt) : DateTime.fromMillis(now, { zone: myZone }).plus({ hours: 1 }).startOf('hour').toMillis();
  const { date, time } = inputsFor(start, myZone);
  const rule = plan?.rule ?? null;
  return {
    date,
    time,
    type: plan?.type ?? ('video' as CallType),
    note: plan?.note ?? '',
    repeat: (rule?.freq ?? 'none') as Repeat,
    weekdays: rule?.freq === 'weekly' ? rule.weekdays : [WEEKDAYS[DateTime.fromISO(date).weekday - 1] ?? 'mo'],
    until: rule?.until ?? DateTime.fromISO(date).plus({ months: 2 }).toISODate() ?? date,
    remindMinutes: plan?.remindMinutes ?? PLAN_LIMITS.remindMinutesDefault,
  };
}

export function PlanDialog({ api, myZone, plan, now, onClose }: Props): React.JSX.Element {
  const t = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [form, setForm] = useState(() => initialForm(plan, myZone, now));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]): void => setForm((f) => ({ ...f, [key]: value }));

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const weekdayNames = Info.weekdays('short', { locale: t.locale });
  const rule = (): PlanRule | null => {
    if (form.repeat === 'none') return null;
    if (form.repeat === 'weekly') return { freq: 'weekly', weekdays: form.weekdays, until: form.until };
    return { freq: form.repeat, until: form.until };
  };

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: CreatePlanBody = {
        type: form.type,
        startsAt: startsAtFrom(form.date, form.time, myZone),
        timeZone: myZone,
        rule: rule(),
        note: form.note,
        remindMinutes: form.remindMinutes,
      };
      if (plan) await api.update(plan.id, body);
      else await api.create(body);
      onClose();
    } catch (caught) {
      setError(caught instanceof ApiError ? t.error(caught.code === 'NETWORK' ? 'INTERNAL' : caught.code, { detail: caught.message }) : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="settings card plan-dialog" data-testid="plan-dialog" aria-labelledby="plan-title" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <h2 id="plan-title">{plan ? t.t('planMoveTitle') : t.t('planCall')}</h2>
        <div className="plan-row">
          <label className="field">
            {t.t('planDate')}
            <input type="date" required data-testid="plan-date" value={form.date} onChange={(e) => set('date', e.target.value)} />
          </label>
          <label className="field">
            {t.t('planTime')}
            <input type="time" required data-testid="plan-time" value={form.time} onChange={(e) => set('time', e.target.value)} />
          </label>
        </div>
        <div className="plan-row" role="radiogroup" aria-label={t.t('planType')}>
          {(['voice', 'video'] as const).map((type) => (
            <label key={type} className="field inline">
              <input type="radio" name="plan-type" data-testid={`plan-type-${type}`} checked={form.type === type} onChange={() => set('type', type)} />
              {t.t(type === 'voice' ? 'voiceCall' : 'videoCall')}
            </label>
          ))}
        </div>
        <label className="field">
          {t.t('planNote')}
          <input type="text" data-testid="plan-note" maxLength={PLAN_LIMITS.noteMaxChars} value={form.note} onChange={(e) => set('note', e.target.value)} />
        </label>
        <label className="field">
          {t.t('planRepeat')}
          <select data-testid="plan-repeat" value={form.repeat} onChange={(e) => set('repeat', e.target.value as Repeat)}>
            <option value="none">{t.t('repeatNone')}</option>
            <option value="daily">{t.t('repeatDaily')}</option>
            <option value="weekly">{t.t('repeatWeekly')}</option>
            <option value="monthly">{t.t('repeatMonthly')}</option>
          </select>
        </label>
        {form.repeat === 'weekly' && (
          <div className="plan-weekdays" data-testid="plan-weekdays">
            {WEEKDAYS.map((day: Weekday, i) => (
              <label key={day} className="field inline">
                <input
                  type="checkbox"
                  checked={form.weekdays.includes(day)}
                  onChange={(e) => set('weekdays', e.target.checked ? WEEKDAYS.filter((d) => d === day || form.weekdays.includes(d)) : form.weekdays.filter((d) => d !== day))}
                />
                {weekdayNames[i]}
              </label>
            ))}
          </div>
        )}
        {form.repeat !== 'none' && (
          <label className="field">
            {t.t('planUntil')}
            <input type="date" required data-testid="plan-until" value={form.until} min={form.date} onChange={(e) => set('until', e.target.value)} />
          </label>
        )}
        <label className="field">
          {t.t('planRemind')}
          <select data-testid="plan-remind" value={form.remindMinutes} onChange={(e) => set('remindMinutes', Number(e.target.value))}>
            {LEADS.map((minutes) => (
              <option key={minutes} value={minutes}>
                {minutes === 0 ? t.t('remindAtTime') : t.t('remindBefore', { minutes })}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="plan-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button className="btn ghost" type="button" onClick={onClose}>
            {t.t('close')}
          </button>
          <button className="btn primary" type="submit" data-testid="plan-save" disabled={busy || (form.repeat === 'weekly' && form.weekdays.length === 0)}>
            {t.t('planSave')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
