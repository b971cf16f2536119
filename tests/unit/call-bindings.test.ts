// Relaying a call's signals reads its row once, not once per ICE candidate.
import { describe, expect, it } from 'vitest';
import { CallBindings } from '../../server/calls/call-bindings';
import type { CallRecord } from '../../server/store/types';

const call = (status: CallRecord['status']): CallRecord => ({
  id: 'c1',
  callerId: 'ann',
  calleeId: 'ben',
  type: 'video',
  status,
  createdAt: 0,
  answeredAt: 1,
  endedAt: null,
  durationSec: 0,
  endReason: null,
  callerDevice: 'laptop',
  calleeDevice: 'phone',
  ringDeadline: null,
  graceDeadline: null,
    mediaAt: null,
});

describe('call bindings', () => {
  it('read an answered call once, again after it is forgotten or its time is up, and never keep a call that is not connected', async () => {
    let now = 0;
    let reads = 0;
    let stored = call('connected');
    const load = async (): Promise<CallRecord> => (reads++, stored);
    const bindings = new CallBindings(5000, () => now);
    for (let i = 0; i < 14; i++) expect((await bindings.get('c1', load))?.calleeDevice).toBe('phone');
    expect(reads).toBe(1);

    bindings.forget('c1');
    stored = call('ended');
    expect((await bindings.get('c1', load))?.status).toBe('ended');
    expect((await bindings.get('c1', load))?.status).toBe('ended');
    expect(reads).toBe(3);

    stored = call('connected');
    await bindings.get('c1', load);
    now += 5000;
    await bindings.get('c1', load);
    expect(reads).toBe(5);
  });
});
