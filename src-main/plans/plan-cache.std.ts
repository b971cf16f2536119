// Where main keeps the couple's plans and the reminders this device has shown.
// The SQLite file in the app (sqlite-plan-cache.node.ts); memory when it cannot open.
import type { Plan, ReminderKind } from '../../src-shared/plans';

export interface FiredKey {
  planId: string;
  occurrenceAt: number;
  kind: ReminderKind;
}

export interface PlanCache {
  plans(): Plan[];
  /** The server's copy replaces whatever was cached. */
  replacePlans(plans: readonly Plan[]): void;
  /** Records a reminder as shown; false when it already was (then it must not be shown again). */
  claimFired(key: FiredKey, at: number): boolean;
  /** Forgets fired records older than `before` (they can never be due again). */
  pruneFired(before: number): void;
  close(): void;
}

const keyOf = (key: FiredKey): string => `${key.planId}@${key.occurrenceAt}@${key.kind}`;

export class MemoryPlanCache implements PlanCache {
  private cached: Plan[] = [];
  private readonly fired = new Map<string, number>();

  plans(): Plan[] {
    return [...this.cached];
  }

  replacePlans(plans: readonly Plan[]): void {
    this.cached = [...plans];
  }

  claimFired(key: FiredKey): boolean {
    if (this.fired.has(keyOf(key))) return false;
    this.fired.set(keyOf(key), key.occurrenceAt);
    return true;
  }

  pruneFired(before: number): void {
    for (const [key, occurrenceAt] of this.fired) if (occurrenceAt < before) this.fired.delete(key);
  }

  close(): void {}
}
