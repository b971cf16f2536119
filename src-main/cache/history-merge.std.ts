// How a page of calls from the server merges into the local cache: by id, the
// server's row wins, re-merging the same page changes nothing (idempotent). One
// guard: a stale snapshot never takes a finished call back to ringing/connected,
// since the server only moves a call forward (ringing -> connected -> ended, or
// ringing -> missed/declined); a late response must not undo that.
import type { Call, CallStatus } from '../../src-shared/protocol';

const STAGE: Record<CallStatus, number> = { ringing: 0, connected: 1, ended: 2, missed: 2, declined: 2 };

export interface MergePlan {
  /** Rows to insert or replace. Empty when the page brings nothing new. */
  writes: Call[];
  /** Calls that became 'missed' with this page (for the notification and the badge). */
  newlyMissed: Call[];
}

export function sameCall(a: Call, b: Call): boolean {
  return (
    a.id === b.id &&
    a.callerId === b.callerId &&
    a.calleeId === b.calleeId &&
    a.type === b.type &&
    a.status === b.status &&
    a.createdAt === b.createdAt &&
    a.answeredAt === b.answeredAt &&
    a.endedAt === b.endedAt &&
    a.durationSec === b.durationSec &&
    a.endReason === b.endReason
  );
}

export function planMerge(existing: ReadonlyMap<string, Call>, incoming: readonly Call[]): MergePlan {
  const latestById = new Map<string, Call>();
  for (const call of incoming) {
    const seen = latestById.get(call.id);
    if (!seen || STAGE[call.status] >= STAGE[seen.status]) latestById.set(call.id, call);
  }
  const writes: Call[] = [];
  const newlyMissed: Call[] = [];
  for (const call of latestById.values()) {
    const previous = existing.get(call.id);
    if (previous && sameCall(previous, call)) continue;
    if (previous && STAGE[call.status] < STAGE[previous.status]) continue;
    writes.push(call);
    if (call.status === 'missed' && previous?.status !== 'missed') newlyMissed.push(call);
  }
  return { writes, newlyMissed };
}

/** Newest first; ties broken by id so the order is stable. */
export function compareNewestFirst(a: Call, b: Call): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
