import { describe, expect, it } from 'vitest';
import type { Call } from '../../src-shared/protocol';
import { MemoryHistoryCache } from '../../src-main/cache/history-cache.std';
import { compareNewestFirst, planMerge } from '../../src-main/cache/history-merge.std';
import { makeCall } from './main-fixtures';

const mapOf = (calls: Call[]) => new Map(calls.map((call) => [call.id, call]));

describe('planMerge', () => {
  it('writes new calls and reports the newly missed ones', () => {
    const missed = makeCall({ status: 'missed', endReason: 'timeout' });
    const ended = makeCall({ status: 'ended' });
    expect(planMerge(new Map(), [missed, ended])).toEqual({ writes: [missed, ended], newlyMissed: [missed] });
  });

  it('is idempotent: the same page again writes nothing', () => {
    const calls = [makeCall(), makeCall({ status: 'missed' })];
    expect(planMerge(mapOf(calls), calls)).toEqual({ writes: [], newlyMissed: [] });
  });

  it("lets the server's row win over the cached one", () => {
    const cached = makeCall({ status: 'ringing' });
    const fromServer = { ...cached, status: 'missed' as const, endReason: 'timeout' as const, endedAt: '2026-01-01T12:01:00.000Z' };
    expect(planMerge(mapOf([cached]), [fromServer])).toEqual({ writes: [fromServer], newlyMissed: [fromServer] });
    const corrected = { ...fromServer, status: 'declined' as const, endReason: 'declined' as const };
    expect(planMerge(mapOf([fromServer]), [corrected])).toEqual({ writes: [corrected], newlyMissed: [] });
  });

  it('does not let a stale snapshot take a finished call back to ringing or connected', () => {
    const ended = makeCall({ status: 'ended', durationSec: 30 });
    expect(planMerge(mapOf([ended]), [{ ...ended, status: 'ringing', durationSec: 0 }]).writes).toEqual([]);
    expect(planMerge(mapOf([ended]), [{ ...ended, status: 'connected' }]).writes).toEqual([]);
  });

  it('keeps the most advanced row when a page repeats an id', () => {
    const ringing = makeCall({ status: 'ringing' });
    const missed = { ...ringing, status: 'missed' as const };
    expect(planMerge(new Map(), [missed, ringing]).writes).toEqual([missed]);
  });

  it('does not announce a call that was already missed', () => {
    const missed = makeCall({ status: 'missed' });
    expect(planMerge(mapOf([missed]), [{ ...missed, endReason: 'timeout' }]).newlyMissed).toEqual([]);
  });
});

describe('compareNewestFirst and MemoryHistoryCache', () => {
  it('orders newest first, ties by id', () => {
    const a = makeCall({ id: 'a', createdAt: '2026-01-01T00:00:00.000Z' });
    const b = makeCall({ id: 'b', createdAt: '2026-01-01T00:00:00.000Z' });
    const c = makeCall({ id: 'c', createdAt: '2026-01-02T00:00:00.000Z' });
    expect([a, b, c].sort(compareNewestFirst).map((call) => call.id)).toEqual(['c', 'b', 'a']);
  });

  it('merges, counts unseen missed calls to me, and marks them seen', () => {
    const cache = new MemoryHistoryCache();
    cache.merge([makeCall({ status: 'missed' }), makeCall({ status: 'missed', callerId: 'me', calleeId: 'partner' }), makeCall()]);
    expect(cache.missedCount('me')).toBe(1);
    cache.markMissedSeen('me');
    expect(cache.missedCount('me')).toBe(0);
    cache.merge([makeCall({ status: 'missed' })]);
    expect(cache.missedCount('me')).toBe(1);
    expect(cache.recent(2)).toHaveLength(2);
    cache.clear();
    expect(cache.recent(10)).toEqual([]);
  });
});
