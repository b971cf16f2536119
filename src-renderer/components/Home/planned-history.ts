// Planned calls in the call history: a call the server linked to a planned
// occurrence is marked as planned, and an occurrence nobody called for appears
// as its own row at its time. Only occurrences within the calls loaded so far
// are placed (older ones come with "Load more"), so rows never jump around.
import type { PastOccurrence } from '../../../src-shared/plans';
import type { Call } from '../../../src-shared/protocol';
import type { HistoryRow } from './history-groups';

export type PlannedHistoryRow = HistoryRow | { kind: 'planned-missed'; occurrence: PastOccurrence };

/** The occurrence each call was made for, by call id. */
export function plannedCallMarks(recent: readonly PastOccurrence[]): Map<string, PastOccurrence> {
  return new Map(recent.flatMap((occurrence) => (occurrence.callId ? [[occurrence.callId, occurrence] as const] : [])));
}

const timeOf = (row: PlannedHistoryRow): number =>
  Date.parse(row.kind === 'planned-missed' ? row.occurrence.at : row.kind === 'call' ? row.call.createdAt : row.latest.createdAt);

/**
 * `rows` newest first (groupHistory); missed occurrences join them by time.
 * `complete`: every call is loaded (no more pages), so older occurrences belong too.
 */
export function withMissedPlans(rows: readonly HistoryRow[], calls: readonly Call[], recent: readonly PastOccurrence[], complete: boolean): PlannedHistoryRow[] {
  const oldest = calls.length ? Math.min(...calls.map((call) => Date.parse(call.createdAt))) : Infinity;
  const missed: PlannedHistoryRow[] = recent
    .filter((occurrence) => !occurrence.made && (complete || Date.parse(occurrence.at) >= oldest))
    .map((occurrence) => ({ kind: 'planned-missed', occurrence }));
  // A stable merge: calls keep their order, each missed occurrence goes before the first older row.
  const out: PlannedHistoryRow[] = [];
  const pending = [...missed].sort((a, b) => timeOf(b) - timeOf(a));
  for (const row of rows) {
    while (pending.length && timeOf(pending[0]!) >= timeOf(row)) out.push(pending.shift()!);
    out.push(row);
  }
  return [...out, ...pending];
}
