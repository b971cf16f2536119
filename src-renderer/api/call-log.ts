// The call history as the window keeps it: newest first, one row per call. A final
// record from the server (call:ended) replaces that call's row or joins the list
// in its place, so nothing is fetched again after a call.
import type { Call } from '../../src-shared/protocol';

const newerFirst = (a: Call, b: Call): number => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

export function withCallRecord(calls: readonly Call[], record: Call): Call[] {
  const others = calls.filter((call) => call.id !== record.id);
  return [...others, record].sort(newerFirst);
}

/** The missed section: calls to `userId` that were missed, newest first. */
export function withMissedRecord(missed: readonly Call[], record: Call, userId: string): Call[] {
  const isMissedForMe = record.status === 'missed' && record.calleeId === userId;
  const others = missed.filter((call) => call.id !== record.id);
  return isMissedForMe ? [...others, record].sort(newerFirst) : others;
}
