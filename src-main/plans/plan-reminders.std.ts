// Plan reminders fired from main: from the cached plans on main's own timer, so
// they come while the server is unreachable (and with the window closed), and from
// the server's plan:reminder events that the renderer passes on. Whichever comes
// first is shown; the cache's fired records keep it from being shown twice on this
// device, across reconnects and restarts. The server's plans replace the cache.
import {
  NOW_REMINDER_FRESH_MS,
  isReminderFresh,
  reminderDueTimes,
  upcomingOccurrences,
  wallClockOf,
  type Plan,
  type PlanReminderEvent,
  type ReminderKind,
} from '../../src-shared/plans';
import type { CallType } from '../../src-shared/protocol';
import type { PlanCache } from './plan-cache.std';

export interface ReminderToShow {
  planId: string;
  occurrenceAt: number;
  kind: ReminderKind;
  callType: CallType;
  note: string;
  remindMinutes: number;
}

export interface PlanRemindersDeps {
  cache: PlanCache;
  /** The notification factory: shows one reminder (native notification, tray). */
  show(reminder: ReminderToShow): void;
  doNotDisturb(): boolean;
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  log(message: string): void;
}

/** How often main looks for due reminders in its cache. */
export const PLAN_TICK_MS = 15_000;
/** Fired records are kept this long after their occurrence. */
const FIRED_KEEP_MS = 2 * 24 * 60 * 60_000;
/** Only the nearest occurrences of a plan can have a reminder due. */
const NEAREST = 3;

const timingOf = (plan: Plan) => ({
  startLocal: wallClockOf(Date.parse(plan.startsAt), plan.timeZone),
  timeZone: plan.timeZone,
  rule: plan.rule,
  skipped: plan.skipped.map((at) => Date.parse(at)),
});

export class PlanReminders {
  private timer: unknown = null;

  constructor(private readonly deps: PlanRemindersDeps) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = this.deps.setInterval(() => this.tick(), PLAN_TICK_MS);
    this.tick();
  }

  stop(): void {
    if (this.timer !== null) this.deps.clearInterval(this.timer);
    this.timer = null;
  }

  /** The server's plans (reachable again, or changed): they replace the cache, then anything due fires. */
  sync(plans: readonly Plan[]): void {
    this.deps.cache.replacePlans(plans);
    this.tick();
  }

  /** A plan:reminder from the server; shown unless this device already showed it. Returns whether it was shown. */
  fromServer(event: PlanReminderEvent): boolean {
    const plan = this.deps.cache.plans().find((p) => p.id === event.planId);
    return this.fire({
      planId: event.planId,
      occurrenceAt: Date.parse(event.occurrence),
      kind: event.kind,
      callType: plan?.type ?? 'voice',
      note: plan?.note ?? '',
      remindMinutes: plan?.remindMinutes ?? 0,
    });
  }

  /** Fires every cached reminder that is due and still fresh; returns how many were shown. */
  tick(): number {
    const now = this.deps.now();
    let shown = 0;
    for (const plan of this.deps.cache.plans()) {
      let occurrences: number[];
      try {
        occurrences = upcomingOccurrences(timingOf(plan), now - NOW_REMINDER_FRESH_MS, NEAREST);
      } catch (error) {
        this.deps.log(`plan ${plan.id}: cannot expand (${(error as Error).message})`);
        continue;
      }
      for (const occurrenceAt of occurrences) {
        for (const { kind, dueAt } of reminderDueTimes(occurrenceAt, plan.remindMinutes)) {
          if (dueAt > now || !isReminderFresh({ kind, occurrenceAt }, now)) continue;
          const reminder = { planId: plan.id, occurrenceAt, kind, callType: plan.type, note: plan.note, remindMinutes: plan.remindMinutes };
          if (this.fire(reminder)) shown += 1;
        }
      }
    }
    this.deps.cache.pruneFired(now - FIRED_KEEP_MS);
    return shown;
  }

  private fire(reminder: ReminderToShow): boolean {
    // Claimed even under do-not-disturb: a silenced reminder stays silenced when it is lifted.
    if (!this.deps.cache.claimFired(reminder, this.deps.now())) return false;
    if (this.deps.doNotDisturb()) return false;
    this.deps.show(reminder);
    return true;
  }
}
