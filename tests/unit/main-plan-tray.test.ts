// The tray's planned-call state (pure): the next call from main's plan cache, a due
// reminder and when it goes, and how the tray shows them, in both languages.
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src-shared/plans';
import { PlanTrayTracker, nextPlannedCall, planCallAction, type TrayPlan } from '../../src-main/plans/plan-tray.std';
import { computeTrayState, type TrayMenuItem } from '../../src-main/tray/tray-state.std';

const MIN = 60_000;
const T0 = Date.UTC(2030, 0, 6, 12, 0); // a Sunday
const iso = (ms: number): string => new Date(ms).toISOString();
const plan = (id: string, startsAt: number, patch: Partial<Plan> = {}): Plan => ({
  id,
  createdBy: 'me',
  type: 'voice',
  startsAt: iso(startsAt),
  timeZone: 'UTC',
  rule: null,
  note: '',
  remindMinutes: 10,
  skipped: [],
  createdAt: iso(T0),
  updatedAt: iso(T0),
  ...patch,
});
const ids = (menu: TrayMenuItem[]): string[] => menu.flatMap((item) => (item.type === 'separator' ? [] : [item.id]));

function tracker(plans: Plan[], clock: { ms: number }) {
  return new PlanTrayTracker({ plans: () => plans, now: () => clock.ms, changed: () => undefined, partnerName: () => 'Ayşe', timeZone: 'Europe/Istanbul' });
}

describe('the next planned call', () => {
  it('is the soonest occurrence of any cached plan, skipping skipped ones', () => {
    const daily = plan('daily', T0 + 60 * MIN, { rule: { freq: 'daily', count: 3 }, skipped: [iso(T0 + 60 * MIN)] });
    const once = plan('once', T0 + 26 * 60 * MIN, { type: 'video' });
    expect(nextPlannedCall([once, daily], T0)).toEqual({ at: T0 + 25 * 60 * MIN, callType: 'voice' });
    expect(nextPlannedCall([], T0)).toBeNull();
  });
});

describe('PlanTrayTracker', () => {
  it('says when the next call is, in the machine zone and both languages', () => {
    const clock = { ms: T0 };
    const t = tracker([plan('p', T0 + 9 * 60 * MIN)], clock);
    expect(t.view('en')).toMatchObject({ line: 'Planned call with Ayşe · Mon 00:00', reminder: null, callNowLabel: null });
    expect(t.view('tr').line).toBe('Ayşe ile planlanmış arama · Pzt 00:00');
    expect(tracker([], clock).view('en').line).toBeNull();
  });

  it('a reminder at the time offers "Call now" for five minutes, then goes; the lead one lasts until the time', () => {
    const clock = { ms: T0 };
    const t = tracker([plan('p', T0)], clock);
    t.reminded({ planId: 'p', occurrenceAt: T0, kind: 'now', callType: 'voice', note: '', remindMinutes: 10 });
    expect(t.view('en')).toMatchObject({ reminder: 'now', callNowLabel: 'Call Ayşe now' });
    expect(t.view('tr').callNowLabel).toBe('Ayşe kişisini şimdi ara');
    clock.ms = T0 + 5 * MIN;
    expect(t.view('en').reminder).toBeNull();

    clock.ms = T0 - 10 * MIN;
    t.reminded({ planId: 'p', occurrenceAt: T0, kind: 'lead', callType: 'voice', note: '', remindMinutes: 10 });
    expect(t.view('en')).toMatchObject({ reminder: 'lead', callNowLabel: null, line: 'Planned call with Ayşe soon · Sun 15:00' });
    clock.ms = T0;
    expect(t.reminder).toBeNull();
  });

  it('"Call now" starts the call naming the occurrence, so the server links it', () => {
    expect(planCallAction({ planId: 'p', occurrenceAt: T0, callType: 'video' })).toEqual({ kind: 'start-call', callType: 'video', plan: { planId: 'p', occurrence: iso(T0) } });
  });
});

describe('computeTrayState with planned calls (its own field)', () => {
  const base = { missedCount: 0, doNotDisturb: false, language: 'en' as const };
  const next: TrayPlan = { line: 'Planned call with Ayşe · Sun 21:00', reminder: null, callNowLabel: null, dismissLabel: 'Dismiss reminder' };
  const due: TrayPlan = { line: 'Time for your planned call with Ayşe', reminder: 'now', callNowLabel: 'Call Ayşe now', dismissLabel: 'Dismiss reminder' };

  it('idle: the tooltip and a menu line say when the next call is; nothing changes without plans', () => {
    const state = computeTrayState({ ...base, presence: { kind: 'idle' }, plan: next });
    expect(state).toMatchObject({ icon: 'idle', tooltip: next.line, planReminder: null });
    expect(ids(state.menu)).toEqual(['open', 'plan-next', 'voice-call', 'video-call', 'dnd', 'settings', 'quit']);
    expect(computeTrayState({ ...base, presence: { kind: 'idle' }, plan: { ...next, line: null } }).menu).toEqual(computeTrayState({ ...base, presence: { kind: 'idle' } }).menu);
  });

  it('a due reminder adds "Call now" and "Dismiss" and keeps the missed count first', () => {
    const state = computeTrayState({ ...base, missedCount: 2, presence: { kind: 'idle' }, plan: due });
    expect(state).toMatchObject({ icon: 'missed', tooltip: `2 missed calls\n${due.line}`, planReminder: 'now' });
    expect(ids(state.menu).slice(0, 4)).toEqual(['open', 'plan-next', 'plan-call', 'plan-dismiss']);
  });

  it('during a call the plan is not offered', () => {
    const state = computeTrayState({ ...base, presence: { kind: 'in-call', callId: 'c', callType: 'voice', partnerName: 'Ayşe' }, plan: due });
    expect(state).toMatchObject({ tooltip: 'In a call with Ayşe', planReminder: null });
    expect(ids(state.menu)).not.toContain('plan-call');
  });
});
