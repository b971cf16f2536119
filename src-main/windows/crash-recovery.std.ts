// When the hidden call window's renderer dies, nothing would ring any more: reload
// it, but only a few times in a row, so a page that crashes on load does not spin.

export interface CrashRecoveryLimits {
  /** Reloads allowed within `windowMs`. */
  maxReloads: number;
  windowMs: number;
}

export const CALL_WINDOW_CRASH_LIMITS: CrashRecoveryLimits = { maxReloads: 3, windowMs: 5 * 60_000 };

export type CrashDecision = { kind: 'reload'; attempt: number } | { kind: 'give-up'; crashes: number };

/** Keeps the recent crash times; `decide` is called once per render-process-gone. */
export class CrashRecovery {
  private crashes: number[] = [];

  constructor(private readonly limits: CrashRecoveryLimits = CALL_WINDOW_CRASH_LIMITS) {}

  decide(now: number): CrashDecision {
    this.crashes = [...this.crashes.filter((at) => now - at < this.limits.windowMs), now];
    if (this.crashes.length > this.limits.maxReloads) return { kind: 'give-up', crashes: this.crashes.length };
    return { kind: 'reload', attempt: this.crashes.length };
  }
}
