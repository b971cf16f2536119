// The one plan the desktop reminder tests use: a one-off video call made in Istanbul,
// "our anniversary!", reminded 10 minutes before; `createdAt` is when it was made.
import type { Plan } from '../../src-shared/plans';

const iso = (ms: number): string => new Date(ms).toISOString();

export function anniversaryPlan(startsAt: number, createdAt: number, patch: Partial<Plan> = {}): Plan {
  return {
    id: 'plan-1',
    createdBy: 'alice',
    type: 'video',
    startsAt: iso(startsAt),
    timeZone: 'Europe/Istanbul',
    rule: null,
    note: 'our anniversary!',
    remindMinutes: 10,
    skipped: [],
    createdAt: iso(createdAt),
    updatedAt: iso(createdAt),
    ...patch,
  };
}
