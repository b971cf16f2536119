// The storage boundary for planned calls, implemented by both SQL stores
// (SQLite and PostgreSQL, migration 006). Times are epoch milliseconds.
import type { CallType } from '../../src-shared/protocol';
import type { PlanCallLink, PlanCallVia, PlanRule, ReminderKind } from '../../src-shared/plans';

export interface PlanRecord {
  id: string;
  coupleKey: string;
  createdBy: string;
  type: CallType;
  /** The first occurrence's wall-clock time in `timeZone`. */
  startLocal: string;
  timeZone: string;
  rule: PlanRule | null;
  note: string;
  remindMinutes: number;
  skipped: number[];
  status: 'active' | 'canceled';
  /** The last occurrence. */
  endsAt: number;
  createdAt: number;
  updatedAt: number;
}

/** One reminder of one occurrence. */
export interface ReminderKey {
  planId: string;
  occurrenceAt: number;
  kind: ReminderKind;
}

export interface ReminderRecord extends ReminderKey {
  dueAt: number;
}

export interface PlanStore {
  /** Plans of a couple that are active and not over at `now`. */
  listActivePlans(coupleKey: string, now: number): Promise<PlanRecord[]>;
  getPlan(id: string): Promise<PlanRecord | undefined>;
  /**
   * Inserts a plan with its reminders, unless the couple already has `cap`
   * active plans (checked and written atomically, also across nodes). Returns
   * whether it was inserted.
   */
  insertPlanUnderCap(plan: PlanRecord, reminders: ReminderRecord[], cap: number, now: number): Promise<boolean>;
  /**
   * Replaces a plan and its undelivered reminders in one transaction. Reminders
   * already claimed or sent for the same occurrence and kind are kept, so a
   * change never delivers one twice.
   */
  updatePlan(plan: PlanRecord, reminders: ReminderRecord[]): Promise<void>;

  /** Unclaimed (or lease-expired) reminders due at `now`, oldest first. */
  dueReminders(now: number, limit: number): Promise<ReminderRecord[]>;
  /** Claims a due reminder for `nodeId` until `now + leaseMs`; false when another node holds it or it was sent. */
  claimReminder(key: ReminderKey, nodeId: string, now: number, leaseMs: number): Promise<boolean>;
  markReminderSent(key: ReminderKey, now: number): Promise<void>;
  /** Reminders of a couple already claimed or sent whose occurrence is at or after `since`: for devices that come online late. */
  startedReminders(coupleKey: string, since: number): Promise<ReminderRecord[]>;
  /** Records that a device got a reminder; false when it already had (then it must not be sent again). */
  recordDelivery(key: ReminderKey, userId: string, deviceId: string, now: number): Promise<boolean>;

  /** Links a call to the occurrence it was made for (migration 009); a call is linked once, later links of it are ignored. */
  linkCall(link: { callId: string; planId: string; occurrenceAt: number; via: PlanCallVia }): Promise<void>;
  /** Calls linked to occurrences of these plans at or after `since`, with whether each was answered. */
  callLinks(planIds: readonly string[], since: number): Promise<PlanCallLink[]>;

  setTimeZone(userId: string, timeZone: string, now: number): Promise<void>;
  getTimeZone(userId: string): Promise<string | null>;
}

// ---------------------------------------------------------------- rows (same columns in both stores)

export interface PlanRow {
  id: string;
  couple_key: string;
  created_by: string;
  type: CallType;
  start_local: string;
  time_zone: string;
  rule: string | null;
  note: string;
  remind_minutes: number;
  skipped: string;
  status: PlanRecord['status'];
  ends_at: number;
  created_at: number;
  updated_at: number;
}

export interface ReminderRow {
  plan_id: string;
  occurrence_at: number;
  kind: ReminderKind;
  due_at: number;
}

export const toPlan = (row: PlanRow): PlanRecord => ({
  id: row.id,
  coupleKey: row.couple_key,
  createdBy: row.created_by,
  type: row.type,
  startLocal: row.start_local,
  timeZone: row.time_zone,
  rule: row.rule === null ? null : (JSON.parse(row.rule) as PlanRule),
  note: row.note,
  remindMinutes: row.remind_minutes,
  skipped: JSON.parse(row.skipped) as number[],
  status: row.status,
  endsAt: row.ends_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The plan's columns in table order, for INSERT and UPDATE. */
export const planValues = (plan: PlanRecord): unknown[] => [
  plan.id,
  plan.coupleKey,
  plan.createdBy,
  plan.type,
  plan.startLocal,
  plan.timeZone,
  plan.rule === null ? null : JSON.stringify(plan.rule),
  plan.note,
  plan.remindMinutes,
  JSON.stringify(plan.skipped),
  plan.status,
  plan.endsAt,
  plan.createdAt,
  plan.updatedAt,
];

export const PLAN_COLUMNS =
  'id, couple_key, created_by, type, start_local, time_zone, rule, note, remind_minutes, skipped, status, ends_at, created_at, updated_at';

export const toReminder = (row: ReminderRow): ReminderRecord => ({
  planId: row.plan_id,
  occurrenceAt: row.occurrence_at,
  kind: row.kind,
  dueAt: row.due_at,
});

export interface PlanCallRow {
  call_id: string;
  plan_id: string;
  occurrence_at: number | string;
  via: PlanCallVia;
  created_at: number | string;
  answered_at: number | string | null;
}

/** Linked calls joined with their call rows (same query in both stores, PostgreSQL's BIGINTs arrive as strings). */
export const CALL_LINKS_SELECT = `SELECT l.call_id, l.plan_id, l.occurrence_at, l.via, c.created_at, c.answered_at
  FROM plan_calls l JOIN calls c ON c.id = l.call_id`;

export const toCallLink = (row: PlanCallRow): PlanCallLink => ({
  callId: row.call_id,
  planId: row.plan_id,
  occurrenceAt: Number(row.occurrence_at),
  via: row.via,
  callCreatedAt: Number(row.created_at),
  answered: row.answered_at !== null,
});
