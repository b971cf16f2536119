import { describe, expect, it } from 'vitest';
import type { Call } from '../../src-shared/protocol';
import { withCallRecord, withMissedRecord } from '../../src-renderer/api/call-log';

const call = (id: string, minute: number, patch: Partial<Call> = {}): Call => ({
  id,
  callerId: 'alice',
  calleeId: 'bob',
  type: 'voice',
  status: 'ended',
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString(),
  answeredAt: null,
  endedAt: null,
  durationSec: 0,
  endReason: 'hangup',
  ...patch,
});

describe('call log from final records', () => {
  it('a record replaces its own row and a new call joins at the top, newest first', () => {
    const list = [call('b', 2, { status: 'connected', endReason: null }), call('a', 1)];
    const ended = call('b', 2, { status: 'ended', endReason: 'failed' });
    expect(withCallRecord(list, ended)).toEqual([ended, list[1]]);
    const newer = call('c', 3);
    expect(withCallRecord(list, newer).map((c) => c.id)).toEqual(['c', 'b', 'a']);
  });

  it('only calls missed by this user enter the missed section', () => {
    const missed = call('m', 5, { status: 'missed', endReason: 'timeout' });
    expect(withMissedRecord([], missed, 'bob')).toEqual([missed]);
    expect(withMissedRecord([], missed, 'alice')).toEqual([]);
    expect(withMissedRecord([missed], { ...missed, status: 'ended' }, 'bob')).toEqual([]);
  });
});
