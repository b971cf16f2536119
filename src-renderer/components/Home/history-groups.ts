// A run of calls the user missed reads as one row ("Ana · 11 missed", latest time),
// not eleven: consecutive missed incoming calls from one caller fold together.
import type { Call } from '../../../src-shared/protocol';

export type HistoryRow = { kind: 'call'; call: Call } | { kind: 'missed'; callerId: string; calls: Call[]; latest: Call };

export const isMissedFor = (call: Call, userId: string): boolean => call.status === 'missed' && call.calleeId === userId;

/** `calls` newest first (as the server sends them); rows keep that order. */
export function groupHistory(calls: readonly Call[], userId: string): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const call of calls) {
    const last = rows[rows.length - 1];
    if (isMissedFor(call, userId)) {
      if (last?.kind === 'missed' && last.callerId === call.callerId) last.calls.push(call);
      else rows.push({ kind: 'missed', callerId: call.callerId, calls: [call], latest: call });
    } else {
      rows.push({ kind: 'call', call });
    }
  }
  return rows;
}
