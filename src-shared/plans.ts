// Planned calls: the wire schemas (REST bodies, replies, events) and the pure
// rules every side shares: which instants a plan's occurrences fall on, and
// when its reminders are due. Recurrence is expanded by rrule on the creator's
// wall clock; luxon turns each wall-clock time into an instant in the creator's
// zone, so a weekly 21:00 stays 21:00 for them across daylight-saving changes.
import { DateTime, Info } from 'luxon';
import * as rruleModule from 'rrule';
import { z } from 'zod';
import { CallTypeSchema } from './protocol';

// NOTE: rrule ships a UMD main and an ESM "module" without an "exports" map: Node's ESM
// loader sees only a default export, bundlers see named ones. Take whichever is there.
const rrule = ('RRule' in rruleModule ? rruleModule : Reflect.get(rruleModule, 'default')) as typeof rruleModule;
const { RRule } = rrule;

// ---------------------------------------------------------------- limits

export const PLAN_LIMITS = {
  /** Characters in a plan's note. */
  noteMaxChars: 140,
  /** Plans a couple may have active at once. */
  activePlansPerCouple: 20,
  /** Occurrences one repeating plan may have in total. */
  occurrencesPerPlan: 366,
  /** How far ahead a plan (or a repeat's end) may reach. */
  horizonDays: 400,
  /** Skipped occurrences kept per plan. */
  skipsPerPlan: 100,
  /** The reminder's lead: 0 (only at the time) up to one day. */
  remindMinutesMax: 24 * 60,
  remindMinutesDefault: 10,
  /** GET /api/plans?limit: occurrences returned. */
  listDefault: 10,
  listMax: 50,
  /** GET /api/plans lists past occurrences this far back, made or missed. */
  recentDays: 7,
  /** A call counts for an occurrence when it starts this long before it… */
  callEarlyMinutes: 15,
  /** …or up to this long after it. */
  callLateMinutes: 60,
} as const;

/** How a call came to be linked to a planned occurrence. */
export const PLAN_CALL_VIAS = ['call-now', 'time'] as const;
export type PlanCallVia = (typeof PLAN_CALL_VIAS)[number];

// ---------------------------------------------------------------- schemas

/** An IANA zone name that this runtime knows (Europe/Istanbul, America/New_York, UTC). */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => /^[A-Za-z0-9_+\-/]+$/.test(zone) && Info.isValidIANAZone(zone), 'timeZone: not a known IANA time zone');

export const WEEKDAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

/** A calendar date (the last day of a repeat, inclusive, in the plan's zone). */
const LocalDate = z.iso.date();

const RepeatEnd = z.union([
  z.object({ until: LocalDate, count: z.undefined().optional() }),
  z.object({ count: z.number().int().min(1).max(PLAN_LIMITS.occurrencesPerPlan), until: z.undefined().optional() }),
]);

/**
 * How a plan repeats: a small closed set of shapes (never a free RRULE string),
 * always with an end. Monthly repeats fall on the start's day of the month, or
 * on the month's last day when the month is shorter (31st → 30th, 28th/29th).
 */
export const PlanRuleSchema = z.intersection(
  z.discriminatedUnion('freq', [
    z.object({ freq: z.literal('daily') }),
    z.object({
      freq: z.literal('weekly'),
      weekdays: z
        .array(WeekdaySchema)
        .min(1)
        .max(7)
        .refine((days) => new Set(days).size === days.length, 'weekdays: each day at most once'),
    }),
    z.object({ freq: z.literal('monthly') }),
  ]),
  RepeatEnd,
);
export type PlanRule = z.infer<typeof PlanRuleSchema>;

// Unicode category Cc (C0, DEL, C1) plus the line and paragraph separators.
const ControlChars = /[\p{Cc}\u2028\u2029]/u;
export const PlanNoteSchema = z
  .string()
  .trim()
  .max(PLAN_LIMITS.noteMaxChars, `note: at most ${PLAN_LIMITS.noteMaxChars} characters`)
  .refine((note) => !ControlChars.test(note), 'note: no control characters or line breaks');

/** An instant with its offset, as the client's clock and zone produced it. */
const Instant = z.iso.datetime({ offset: true });

export const CreatePlanBody = z
  .object({
    type: CallTypeSchema,
    startsAt: Instant,
    timeZone: TimeZoneSchema,
    rule: PlanRuleSchema.nullable().optional(),
    note: PlanNoteSchema.optional(),
    remindMinutes: z.number().int().min(0).max(PLAN_LIMITS.remindMinutesMax).optional(),
  })
  .strict();
export type CreatePlanBody = z.infer<typeof CreatePlanBody>;

/** A move or any other change: the fields given replace the plan's. */
export const UpdatePlanBody = CreatePlanBody.partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');
export type UpdatePlanBody = z.infer<typeof UpdatePlanBody>;

export const SkipPlanBody = z.object({ occurrence: Instant }).strict();
export type SkipPlanBody = z.infer<typeof SkipPlanBody>;

export const PlansQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PLAN_LIMITS.listMax).default(PLAN_LIMITS.listDefault),
});
export type PlansQuery = z.infer<typeof PlansQuery>;

export const TimeZoneBody = z.object({ timeZone: TimeZoneSchema }).strict();
export type TimeZoneBody = z.infer<typeof TimeZoneBody>;

export const PlanSchema = z.object({
  id: z.string(),
  createdBy: z.string(),
  type: CallTypeSchema,
  /** The first occurrence (ISO instant, UTC). */
  startsAt: z.string(),
  /** The creator's zone: repeats keep their wall-clock time there. */
  timeZone: z.string(),
  rule: PlanRuleSchema.nullable(),
  note: z.string(),
  remindMinutes: z.number().int(),
  /** Occurrences skipped (ISO instants). */
  skipped: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Plan = z.infer<typeof PlanSchema>;

export const OccurrenceSchema = z.object({ planId: z.string(), at: z.string(), type: CallTypeSchema, note: z.string() });
export type Occurrence = z.infer<typeof OccurrenceSchema>;

/** A past occurrence and what became of it: the answered call the server linked to it, or none (missed). */
export const PastOccurrenceSchema = OccurrenceSchema.extend({
  callId: z.string().nullable(),
  made: z.boolean(),
  /** How the call was linked: started with "Call now" from a reminder, or near the time without it. Null when missed. */
  via: z.enum(PLAN_CALL_VIAS).nullable(),
});
export type PastOccurrence = z.infer<typeof PastOccurrenceSchema>;

export const PlansResponseSchema = z.object({
  plans: z.array(PlanSchema),
  /** The next occurrences of every plan, soonest first. */
  occurrences: z.array(OccurrenceSchema),
  /** Occurrences of the last PLAN_LIMITS.recentDays days, newest first, each linked to the call made for it. */
  recent: z.array(PastOccurrenceSchema),
  /** Each partner's zone as their devices last reported it (null: never reported). */
  timeZones: z.record(z.string(), z.string().nullable()),
});
export type PlansResponse = z.infer<typeof PlansResponseSchema>;

export interface PlanResponse {
  plan: Plan;
}

export const REMINDER_KINDS = ['lead', 'now'] as const;
export const ReminderKindSchema = z.enum(REMINDER_KINDS);
export type ReminderKind = z.infer<typeof ReminderKindSchema>;

export const PlansChangedEventSchema = z.object({ plans: z.array(PlanSchema) });
export type PlansChangedEvent = z.infer<typeof PlansChangedEventSchema>;

export const PlanReminderEventSchema = z.object({ planId: z.string(), occurrence: z.string(), kind: ReminderKindSchema });
export type PlanReminderEvent = z.infer<typeof PlanReminderEventSchema>;

/** Whether two mentions of a reminder are the same one: the same plan, occurrence (as an instant) and kind. */
export const sameReminder = (a: { planId: string; occurrence: string; kind: string }, b: { planId: string; occurrence: string; kind: string }): boolean =>
  a.planId === b.planId && Date.parse(a.occurrence) === Date.parse(b.occurrence) && a.kind === b.kind;

/** What the desktop app's main process keeps of the plans (IPC `plans:sync`). */
export const PlansSyncSchema = z
  .object({
    plans: z.array(PlanSchema).max(PLAN_LIMITS.activePlansPerCouple * 2),
    partnerName: z.string().max(64).nullable(),
  })
  .strict();
export type PlansSync = z.infer<typeof PlansSyncSchema>;

/** The plan events a client receives, with their runtime checks. */
export interface PlanServerToClientEvents {
  'plans:changed': (event: PlansChangedEvent) => void;
  'plan:reminder': (event: PlanReminderEvent) => void;
}
export const PlanEventSchemas = {
  'plans:changed': PlansChangedEventSchema,
  'plan:reminder': PlanReminderEventSchema,
} as const satisfies { [E in keyof PlanServerToClientEvents]: z.ZodType<Parameters<PlanServerToClientEvents[E]>[0]> };

// ---------------------------------------------------------------- zones

/** A wall-clock time with no zone, to the minute: `2027-03-28T21:00`. */
export type WallClock = string;

export function wallClockOf(instantMs: number, zone: string): WallClock {
  return DateTime.fromMillis(instantMs, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/**
 * The instant a wall-clock time names in `zone`. A time skipped by a DST jump
 * (02:30 on the spring-forward day) moves forward by the gap (03:30); a time
 * that happens twice (the fall-back hour) is the first of the two, as RFC 5545
 * reads it.
 */
export function instantOf(wallClock: WallClock, zone: string): number {
  const local = DateTime.fromISO(wallClock, { zone });
  if (!local.isValid) throw new RangeError(`not a wall-clock time in ${zone}: ${wallClock}`);
  return Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis()), local.toMillis());
}

// ---------------------------------------------------------------- occurrences

/** What expansion needs of a plan. */
export interface PlanTiming {
  /** The first occurrence's wall-clock time in `timeZone`. */
  startLocal: WallClock;
  timeZone: string;
  rule: PlanRule | null;
  /** Skipped occurrences, as epoch milliseconds. */
  skipped?: readonly number[];
}

const RRULE_WEEKDAY = { mo: RRule.MO, tu: RRule.TU, we: RRule.WE, th: RRule.TH, fr: RRule.FR, sa: RRule.SA, su: RRule.SU } as const;

/** rrule works on "floating" dates: the wall clock written into a Date's UTC fields. */
const floating = (wallClock: WallClock): Date => DateTime.fromISO(wallClock, { zone: 'UTC' }).toJSDate();
const wallClockOfFloating = (date: Date): WallClock => DateTime.fromJSDate(date, { zone: 'UTC' }).toFormat("yyyy-MM-dd'T'HH:mm");

function rruleFor(startLocal: WallClock, rule: PlanRule): InstanceType<typeof RRule> {
  const dtstart = floating(startLocal);
  const day = dtstart.getUTCDate();
  const shape =
    rule.freq === 'daily'
      ? { freq: RRule.DAILY }
      : rule.freq === 'weekly'
        ? { freq: RRule.WEEKLY, byweekday: rule.weekdays.map((d) => RRULE_WEEKDAY[d]) }
        : // The last existing day among 28..day: the start's date, or the month's end when the month is shorter.
          { freq: RRule.MONTHLY, bymonthday: Array.from({ length: Math.max(day - 27, 1) }, (_, i) => Math.min(28 + i, day)), bysetpos: -1 };
  const end =
    rule.until !== undefined
      ? { until: DateTime.fromISO(rule.until, { zone: 'UTC' }).endOf('day').toJSDate() }
      : { count: rule.count ?? PLAN_LIMITS.occurrencesPerPlan };
  return new RRule({ ...shape, ...end, dtstart });
}

/** Every occurrence of a plan, in order, as instants (skips included; at most occurrencesPerPlan). */
export function allOccurrences(plan: Pick<PlanTiming, 'startLocal' | 'timeZone' | 'rule'>): number[] {
  if (!plan.rule) return [instantOf(plan.startLocal, plan.timeZone)];
  const local = rruleFor(plan.startLocal, plan.rule).all((_, index) => index < PLAN_LIMITS.occurrencesPerPlan);
  return local.map((date) => instantOf(wallClockOfFloating(date), plan.timeZone));
}

/** The next `limit` occurrences at or after `from`, skipped ones left out. */
export function upcomingOccurrences(plan: PlanTiming, from: number, limit: number): number[] {
  const skipped = new Set(plan.skipped ?? []);
  return allOccurrences(plan)
    .filter((at) => at >= from && !skipped.has(at))
    .slice(0, limit);
}

/** After its time, a "now" reminder is still worth showing for this long (a device that wakes late, a node that restarts). */
export const NOW_REMINDER_FRESH_MS = 5 * 60_000;

/** A lead reminder is worth showing until the call's time; the one at the time, for a few minutes after it. */
export function isReminderFresh(reminder: { kind: ReminderKind; occurrenceAt: number }, now: number): boolean {
  return reminder.kind === 'lead' ? now < reminder.occurrenceAt : now < reminder.occurrenceAt + NOW_REMINDER_FRESH_MS;
}

/** When an occurrence's reminders are due: `lead` minutes before (if any), and at the time. */
export function reminderDueTimes(occurrence: number, remindMinutes: number): { kind: ReminderKind; dueAt: number }[] {
  const now = { kind: 'now' as const, dueAt: occurrence };
  return remindMinutes > 0 ? [{ kind: 'lead', dueAt: occurrence - remindMinutes * 60_000 }, now] : [now];
}

/** A call may count for an occurrence when it starts from PLAN_LIMITS.callEarlyMinutes before it to callLateMinutes after. */
export function inCallWindow(occurrenceAt: number, startedAt: number): boolean {
  return startedAt >= occurrenceAt - PLAN_LIMITS.callEarlyMinutes * 60_000 && startedAt <= occurrenceAt + PLAN_LIMITS.callLateMinutes * 60_000;
}

/**
 * The occurrence a call started without "Call now" is made for: the one nearest
 * to the call's start whose window holds it and that has no answered call yet
 * (a second call later that evening is not another planned call). Null: none.
 */
export function occurrenceForCall<T extends { at: number; made: boolean }>(startedAt: number, candidates: readonly T[]): T | null {
  let best: T | null = null;
  for (const candidate of candidates) {
    if (candidate.made || !inCallWindow(candidate.at, startedAt)) continue;
    if (!best || Math.abs(candidate.at - startedAt) < Math.abs(best.at - startedAt)) best = candidate;
  }
  return best;
}

/** A call linked to an occurrence, as the server stored it. */
export interface PlanCallLink {
  callId: string;
  planId: string;
  occurrenceAt: number;
  via: PlanCallVia;
  callCreatedAt: number;
  answered: boolean;
}

export type OccurrenceOutcome = { made: true; callId: string; via: PlanCallVia } | { made: false; callId: null; via: null };

/**
 * What became of a past occurrence: made (the first answered call linked to
 * it), missed (none answered and its window is over), or null while its
 * window is still open and nothing was answered yet.
 */
export function occurrenceOutcome(occurrenceAt: number, links: readonly PlanCallLink[], now: number): OccurrenceOutcome | null {
  const answered = links.filter((link) => link.answered && link.occurrenceAt === occurrenceAt).sort((a, b) => a.callCreatedAt - b.callCreatedAt)[0];
  if (answered) return { made: true, callId: answered.callId, via: answered.via };
  return now > occurrenceAt + PLAN_LIMITS.callLateMinutes * 60_000 ? { made: false, callId: null, via: null } : null;
}

/** Why a plan's timing cannot be accepted at `now`, or null when it can. */
export function timingProblem(plan: PlanTiming, now: number): string | null {
  const occurrences = allOccurrences(plan);
  const first = occurrences[0];
  if (first === undefined) return 'the repeat has no occurrence';
  const last = occurrences[occurrences.length - 1] ?? first;
  if (first <= now) return 'startsAt is in the past';
  if (last > now + PLAN_LIMITS.horizonDays * 86_400_000) return `plans may reach at most ${PLAN_LIMITS.horizonDays} days ahead`;
  return null;
}
