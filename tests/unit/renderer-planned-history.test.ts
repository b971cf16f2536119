// Planned calls in the history (pure): a call the server linked to an occurrence
// is marked as planned; an occurrence with no answered call is its own "missed"
// row at its time, among the calls, newest first; only occurrences within the
// calls loaded so far are placed, so rows never jump when "Load more" comes.
// `recent` is what GET /api/plans returns: the server has already left out
// skipped occurrences and those of canceled plans, and decides made or missed.
import { describe, expect, it } from 'vitest';
import type { PastOccurrence } from '../../src-shared/plans';
import type { Call } from '../../src-shared/protocol';
import { groupHistory } from '../../src-renderer/components/Home/history-groups';
import { plannedCallMarks, withMissedPlans, type PlannedHistoryRow } from '../../src-renderer/components/Home/planned-history';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2030, 0, 10, 18, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

const call = (id: string, at: number, patch: Partial<Call> = {}): Call => ({
  id,
  callerId: 'me',
  calleeId: 'partner',
  type: 'voice',
  status: 'ended',
  createdAt: iso(at),
  answeredAt: iso(at),
  endedAt: iso(at + 60_000),
  durationSec: 60,
  endReason: 'hangup',
  ...patch,
});
const made = (planId: string, at: number, callId: string, via: 'call-now' | 'time' = 'call-now'): PastOccurrence => ({ planId, at: iso(at), type: 'voice', note: '', callId, made: true, via });
const missed = (planId: string, at: number): PastOccurrence => ({ planId, at: iso(at), type: 'video', note: 'movie night', callId: null, made: false, via: null });

/** Each row as a short word: the call id, "missed×n" for a folded run, "plan@<hours before T0>" for a missed occurrence. */
const shape = (rows: readonly PlannedHistoryRow[]): string[] =>
  rows.map((row) => (row.kind === 'call' ? row.call.id : row.kind === 'missed' ? `missed×${row.calls.length}` : `plan@-${(T0 - Date.parse(row.occurrence.at)) / HOUR}h`));

function history(calls: Call[], recent: PastOccurrence[], complete: boolean): string[] {
  return shape(withMissedPlans(groupHistory(calls, 'me'), calls, recent, complete));
}

describe('plannedCallMarks: which call was made for which occurrence', () => {
  it('maps each made occurrence to its call; missed ones mark nothing', () => {
    const marks = plannedCallMarks([made('weekly', T0, 'c1'), missed('weekly', T0 - 7 * DAY), made('daily', T0 - DAY, 'c2', 'time')]);
    expect([...marks.keys()]).toEqual(['c1', 'c2']);
    expect(marks.get('c1')).toMatchObject({ planId: 'weekly', via: 'call-now' });
    expect(marks.get('c2')).toMatchObject({ planId: 'daily', via: 'time' });
    expect(plannedCallMarks([]).size).toBe(0);
  });

  it('a call the server did not link (a second call that evening, a canceled plan\'s call) stays an ordinary call', () => {
    const marks = plannedCallMarks([made('daily', T0, 'c1')]);
    expect(marks.has('c-later-that-evening')).toBe(false);
  });
});

describe('withMissedPlans: missed occurrences among the calls', () => {
  const calls = [call('today', T0 + HOUR), call('yesterday', T0 - DAY), call('last-week', T0 - 6 * DAY)];

  it('a missed occurrence goes at its time, newest first; made ones add no row (their call carries the mark)', () => {
    const recent = [made('daily', T0 + HOUR, 'today'), missed('daily', T0 - 2 * DAY)];
    expect(history(calls, recent, false)).toEqual(['today', 'yesterday', 'plan@-48h', 'last-week']);
  });

  it('the server\'s order does not matter: several missed occurrences are sorted among the calls', () => {
    const recent = [missed('daily', T0 - 5 * DAY), missed('weekly', T0), missed('daily', T0 - 3 * DAY)];
    expect(history(calls, recent, false)).toEqual(['today', 'plan@-0h', 'yesterday', 'plan@-72h', 'plan@-120h', 'last-week']);
  });

  it('an occurrence at the same instant as a call comes first, and the calls keep their order', () => {
    expect(history(calls, [missed('daily', T0 - DAY)], false)).toEqual(['today', 'plan@-24h', 'yesterday', 'last-week']);
  });

  it('older than every loaded call: left out until the last page is loaded (no row jumps on "Load more")', () => {
    const recent = [missed('daily', T0 - 6 * DAY - HOUR)];
    expect(history(calls, recent, false)).toEqual(['today', 'yesterday', 'last-week']);
    expect(history(calls, recent, true)).toEqual(['today', 'yesterday', 'last-week', 'plan@-145h']);
  });

  it('no calls yet: nothing until the (empty) history is known to be complete, then every missed occurrence', () => {
    const recent = [missed('daily', T0 - DAY), missed('daily', T0)];
    expect(history([], recent, false)).toEqual([]);
    expect(history([], recent, true)).toEqual(['plan@-0h', 'plan@-24h']);
  });

  it('sits among folded runs of missed calls by the run\'s latest call', () => {
    const fromPartner = (id: string, at: number) => call(id, at, { callerId: 'partner', calleeId: 'me', status: 'missed', answeredAt: null, durationSec: 0, endReason: 'timeout' });
    const withRun = [call('today', T0 + HOUR), fromPartner('m2', T0 - 2 * HOUR), fromPartner('m1', T0 - 3 * HOUR), call('old', T0 - DAY)];
    expect(history(withRun, [missed('daily', T0 - HOUR), missed('daily', T0 - 12 * HOUR)], false)).toEqual(['today', 'plan@-1h', 'missed×2', 'plan@-12h', 'old']);
  });

  it('a skipped occurrence or a canceled plan is absent from `recent`, so it adds nothing; an unanswered call stays a plain call', () => {
    // What the server sends after the 18:00 occurrence was skipped: nothing for it.
    const declined = call('declined', T0 + 5 * 60_000, { status: 'declined', answeredAt: null, durationSec: 0, endReason: 'declined' });
    const rows = withMissedPlans(groupHistory([declined], 'me'), [declined], [], true);
    expect(shape(rows)).toEqual(['declined']);
    expect(plannedCallMarks([]).get('declined')).toBeUndefined();
  });
});
