// Planned calls: occurrence expansion and zone conversion (src-shared/plans.ts).
// 2027's European DST switches: spring forward Sunday 28 March (02:00 → 03:00),
// fall back Sunday 31 October (03:00 → 02:00). Istanbul stays at +03 all year.
import { describe, expect, it } from 'vitest';
import {
  CreatePlanBody,
  PLAN_LIMITS,
  allOccurrences,
  instantOf,
  occurrenceForCall,
  occurrenceOutcome,
  type PlanCallLink,
  reminderDueTimes,
  sameReminder,
  timingProblem,
  upcomingOccurrences,
  wallClockOf,
  type PlanRule,
} from '../../src-shared/plans';

const iso = (ms: number): string => new Date(ms).toISOString();
const seenFrom = (zone: string, instants: number[]): string[] => instants.map((at) => wallClockOf(at, zone));

describe('a weekly plan made in Istanbul, seen from Berlin', () => {
  const weeklySunday = (startLocal: string, count: number) =>
    allOccurrences({ startLocal, timeZone: 'Europe/Istanbul', rule: { freq: 'weekly', weekdays: ['su'], count } });

  it('moves from 19:00 to 20:00 for Berlin when Berlin springs forward, staying 21:00 in Istanbul', () => {
    const occurrences = weeklySunday('2027-03-14T21:00', 4);
    expect(seenFrom('Europe/Istanbul', occurrences)).toEqual(['2027-03-14T21:00', '2027-03-21T21:00', '2027-03-28T21:00', '2027-04-04T21:00']);
    expect(seenFrom('Europe/Berlin', occurrences)).toEqual(['2027-03-14T19:00', '2027-03-21T19:00', '2027-03-28T20:00', '2027-04-04T20:00']);
  });

  it('moves back from 20:00 to 19:00 for Berlin when Berlin falls back', () => {
    const occurrences = weeklySunday('2027-10-17T21:00', 4);
    expect(seenFrom('Europe/Istanbul', occurrences)).toEqual(['2027-10-17T21:00', '2027-10-24T21:00', '2027-10-31T21:00', '2027-11-07T21:00']);
    expect(seenFrom('Europe/Berlin', occurrences)).toEqual(['2027-10-17T20:00', '2027-10-24T20:00', '2027-10-31T19:00', '2027-11-07T19:00']);
  });
});

describe('a repeating plan keeps its wall-clock time in its creator\'s zone', () => {
  it('a Berlin plan at 21:00 every Sunday stays 21:00 in Berlin; Istanbul sees 23:00 then 22:00', () => {
    const occurrences = allOccurrences({ startLocal: '2027-03-21T21:00', timeZone: 'Europe/Berlin', rule: { freq: 'weekly', weekdays: ['su'], count: 2 } });
    expect(seenFrom('Europe/Berlin', occurrences)).toEqual(['2027-03-21T21:00', '2027-03-28T21:00']);
    expect(seenFrom('Europe/Istanbul', occurrences)).toEqual(['2027-03-21T23:00', '2027-03-28T22:00']);
  });

  it('a weekly plan on several days lands on exactly those days', () => {
    const occurrences = allOccurrences({ startLocal: '2027-06-07T08:15', timeZone: 'America/New_York', rule: { freq: 'weekly', weekdays: ['mo', 'fr'], until: '2027-06-18' } });
    expect(seenFrom('America/New_York', occurrences)).toEqual(['2027-06-07T08:15', '2027-06-11T08:15', '2027-06-14T08:15', '2027-06-18T08:15']);
  });
});

describe('a DST day', () => {
  it('a daily 02:30 in Berlin happens at 03:30 on the day 02:30 does not exist', () => {
    const occurrences = allOccurrences({ startLocal: '2027-03-27T02:30', timeZone: 'Europe/Berlin', rule: { freq: 'daily', count: 3 } });
    expect(occurrences.map(iso)).toEqual(['2027-03-27T01:30:00.000Z', '2027-03-28T01:30:00.000Z', '2027-03-29T00:30:00.000Z']);
    expect(seenFrom('Europe/Berlin', occurrences)).toEqual(['2027-03-27T02:30', '2027-03-28T03:30', '2027-03-29T02:30']);
  });

  it('02:30 on the fall-back day, which happens twice, is the first of the two', () => {
    expect(iso(instantOf('2027-10-31T02:30', 'Europe/Berlin'))).toBe('2027-10-31T00:30:00.000Z');
    const occurrences = allOccurrences({ startLocal: '2027-10-30T02:30', timeZone: 'Europe/Berlin', rule: { freq: 'daily', count: 3 } });
    expect(occurrences.map(iso)).toEqual(['2027-10-30T00:30:00.000Z', '2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z']);
  });

  it('zone conversion round-trips an ordinary time', () => {
    const at = instantOf('2027-07-04T18:45', 'America/Los_Angeles');
    expect(iso(at)).toBe('2027-07-05T01:45:00.000Z');
    expect(wallClockOf(at, 'America/Los_Angeles')).toBe('2027-07-04T18:45');
  });
});

describe('month ends and leap days', () => {
  it('a monthly plan on the 31st falls on the last day of shorter months', () => {
    const occurrences = allOccurrences({ startLocal: '2027-01-31T10:00', timeZone: 'Europe/Istanbul', rule: { freq: 'monthly', count: 6 } });
    expect(seenFrom('Europe/Istanbul', occurrences).map((t) => t.slice(0, 10))).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31',
      '2027-06-30',
    ]);
  });

  it('in a leap year February\'s end is the 29th', () => {
    const occurrences = allOccurrences({ startLocal: '2028-01-30T10:00', timeZone: 'UTC', rule: { freq: 'monthly', count: 3 } });
    expect(seenFrom('UTC', occurrences)).toEqual(['2028-01-30T10:00', '2028-02-29T10:00', '2028-03-30T10:00']);
  });

  it('a plan on leap day itself, and one repeating monthly from it', () => {
    expect(iso(instantOf('2028-02-29T20:00', 'America/New_York'))).toBe('2028-03-01T01:00:00.000Z');
    const occurrences = allOccurrences({ startLocal: '2028-02-29T20:00', timeZone: 'America/New_York', rule: { freq: 'monthly', count: 3 } });
    expect(seenFrom('America/New_York', occurrences)).toEqual(['2028-02-29T20:00', '2028-03-29T20:00', '2028-04-29T20:00']);
  });
});

describe('upcoming occurrences and reminders', () => {
  const plan = { startLocal: '2027-05-01T09:00', timeZone: 'UTC', rule: { freq: 'daily', count: 5 } satisfies PlanRule };

  it('leaves out past and skipped occurrences and stops at the limit', () => {
    const all = allOccurrences(plan);
    const upcoming = upcomingOccurrences({ ...plan, skipped: [all[2]!] }, all[1]!, 2);
    expect(upcoming).toEqual([all[1], all[3]]);
  });

  it('reminds at the lead and at the time, or only at the time with no lead', () => {
    const at = Date.UTC(2027, 4, 1, 9);
    expect(reminderDueTimes(at, 10)).toEqual([
      { kind: 'lead', dueAt: at - 600_000 },
      { kind: 'now', dueAt: at },
    ]);
    expect(reminderDueTimes(at, 0)).toEqual([{ kind: 'now', dueAt: at }]);
  });

  it('refuses a start in the past and a repeat reaching beyond the horizon', () => {
    const start = instantOf(plan.startLocal, 'UTC');
    expect(timingProblem(plan, start + 1)).toMatch(/past/);
    expect(timingProblem(plan, start - 1)).toBeNull();
    const long = { ...plan, rule: { freq: 'daily', count: PLAN_LIMITS.occurrencesPerPlan } satisfies PlanRule };
    expect(timingProblem(long, start - 60 * 86_400_000)).toMatch(/days ahead/);
  });
});

describe('which reminder a dismissal settles', () => {
  it('the same plan, occurrence and kind, whatever way the instant is written; another kind or occurrence stays', () => {
    const now = { planId: 'p', occurrence: '2027-05-02T18:00:00.000Z', kind: 'now' };
    expect(sameReminder(now, { planId: 'p', occurrence: '2027-05-02T18:00:00Z', kind: 'now' })).toBe(true);
    expect(sameReminder(now, { ...now, kind: 'lead' })).toBe(false);
    expect(sameReminder(now, { ...now, occurrence: '2027-05-09T18:00:00.000Z' })).toBe(false);
    expect(sameReminder(now, { ...now, planId: 'q' })).toBe(false);
  });
});

describe('linking calls to planned occurrences', () => {
  const at = Date.UTC(2027, 4, 2, 18);
  const min = 60_000;
  const link = (over: Partial<PlanCallLink>): PlanCallLink => ({ callId: 'c', planId: 'p', occurrenceAt: at, via: 'time', callCreatedAt: at, answered: true, ...over });

  it('a call started near the time counts for the nearest occurrence not yet made', () => {
    const candidates = [
      { planId: 'daily', at, made: false },
      { planId: 'daily', at: at + 30 * min, made: false },
    ];
    expect(occurrenceForCall(at + 20 * min, candidates)?.at).toBe(at + 30 * min);
    expect(occurrenceForCall(at + 5 * min, candidates)?.at).toBe(at);
    // Once the first was answered, a later call that evening goes to the next one, or to none.
    expect(occurrenceForCall(at + 5 * min, [{ planId: 'once', at, made: true }])).toBeNull();
  });

  it('a call outside the window (16 minutes early, 61 late) is made for no occurrence', () => {
    expect(occurrenceForCall(at - 16 * min, [{ at, made: false }])).toBeNull();
    expect(occurrenceForCall(at + 61 * min, [{ at, made: false }])).toBeNull();
    expect(occurrenceForCall(at - 15 * min, [{ at, made: false }])).not.toBeNull();
    expect(occurrenceForCall(at + 60 * min, [{ at, made: false }])).not.toBeNull();
  });

  it('an occurrence is made by its first answered call, missed once its window closes, undecided before', () => {
    const links = [link({ callId: 'declined', answered: false, callCreatedAt: at }), link({ callId: 'second', via: 'call-now', callCreatedAt: at + 2 * min }), link({ callId: 'third', callCreatedAt: at + 9 * min })];
    expect(occurrenceOutcome(at, links, at + 10 * min)).toEqual({ made: true, callId: 'second', via: 'call-now' });
    const unanswered = [link({ answered: false })];
    expect(occurrenceOutcome(at, unanswered, at + 30 * min)).toBeNull();
    expect(occurrenceOutcome(at, unanswered, at + 61 * min)).toEqual({ made: false, callId: null, via: null });
    // A link to another occurrence of the plan does not count for this one.
    expect(occurrenceOutcome(at, [link({ occurrenceAt: at + 86_400_000 })], at + 2 * 86_400_000)?.made).toBe(false);
  });
});

describe('CreatePlanBody', () => {
  const valid = { type: 'voice', startsAt: '2027-05-01T21:00:00+03:00', timeZone: 'Europe/Istanbul' };
  const problems = (body: object): boolean => !CreatePlanBody.safeParse({ ...valid, ...body }).success;

  it('accepts a one-off plan and each repeat shape', () => {
    expect(problems({})).toBe(false);
    expect(problems({ rule: { freq: 'weekly', weekdays: ['su', 'we'], count: 10 } })).toBe(false);
    expect(problems({ rule: { freq: 'monthly', until: '2027-12-31' }, note: 'our anniversary!', remindMinutes: 30 })).toBe(false);
  });

  it('refuses unknown zones, endless or malformed repeats, and bad notes', () => {
    expect(problems({ timeZone: 'Mars/Olympus_Mons' })).toBe(true);
    expect(problems({ timeZone: '../../etc/passwd' })).toBe(true);
    expect(problems({ rule: { freq: 'daily' } })).toBe(true);
    expect(problems({ rule: { freq: 'daily', count: PLAN_LIMITS.occurrencesPerPlan + 1 } })).toBe(true);
    expect(problems({ rule: { freq: 'daily', count: 3, until: '2027-06-01' } })).toBe(true);
    expect(problems({ rule: { freq: 'weekly', weekdays: ['su', 'su'], count: 3 } })).toBe(true);
    expect(problems({ rule: { freq: 'weekly', weekdays: [], count: 3 } })).toBe(true);
    expect(problems({ rule: 'FREQ=SECONDLY;INTERVAL=1' })).toBe(true);
    expect(problems({ rule: { freq: 'hourly', count: 3 } })).toBe(true);
    expect(problems({ note: 'x'.repeat(PLAN_LIMITS.noteMaxChars + 1) })).toBe(true);
    expect(problems({ note: 'line\nbreak' })).toBe(true);
    expect(problems({ note: 'bell\u0007' })).toBe(true);
    expect(problems({ remindMinutes: -1 })).toBe(true);
    expect(problems({ startsAt: '2027-05-01 21:00' })).toBe(true);
    expect(problems({ extra: true })).toBe(true);
  });
});
