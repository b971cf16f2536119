// The durable call timers: two nodes' sweepers (two CallServices on one store,
// each with its own view of connected devices) racing over the same calls end each
// call exactly once, and a device that is back stops its call's grace period.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CallService, type Notifier } from '../../server/calls/call-service';
import { CallSweeper, deviceKey } from '../../server/calls/call-sweeper';
import { SqliteStore } from '../../server/store/sqlite-store';

const dir = mkdtempSync(join(tmpdir(), 'heartline-sweeper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RING_MS = 1000;
const GRACE_MS = 500;

/** One store, a shared clock and connected-device set, and two "nodes" on them. */
async function cluster() {
  const store = new SqliteStore(join(dir, `${Math.random().toString(36).slice(2)}.db`));
  let now = 1_000_000;
  const online = new Set<string>();
  const told: { userId: string; event: string; payload: unknown }[] = [];
  const notifier: Notifier = {
    toUser: (userId, event, payload) => void told.push({ userId, event, payload }),
    toDevice: (userId, _device, event, payload) => void told.push({ userId, event, payload }),
  };
  const presence = {
    isUserOnline: async (userId: string) => [...online].some((key) => key.startsWith(`${userId}\n`)),
    isDeviceOnline: async (userId: string, deviceId: string) => online.has(deviceKey(userId, deviceId)),
  };
  const node = () => {
    const calls = new CallService({ store, notifier, presence, ringTimeoutMs: RING_MS, callGraceMs: GRACE_MS, now: () => now });
    const sweeper = new CallSweeper({ store, calls, connectedDevices: async () => online, intervalMs: 1000, onError: (error) => expect.fail(String(error)), now: () => now });
    return { calls, sweeper };
  };
  for (const id of ['ann', 'ben']) await store.createUser({ id, username: id, displayName: id, passwordHash: 'h', createdAt: 0 });
  await store.createInvite({ code: 'CODE', inviterId: 'ann', createdAt: 0, expiresAt: Number.MAX_SAFE_INTEGER });
  await store.acceptInvite('CODE', 'ben', 0);
  online.add(deviceKey('ann', 'laptop')).add(deviceKey('ben', 'phone'));
  const endedFor = (userId: string) => told.filter((t) => t.userId === userId && t.event === 'call:ended');
  return { store, online, nodes: [node(), node()] as const, advance: (ms: number) => (now += ms), endedFor };
}

const bothSweep = async (nodes: readonly { sweeper: CallSweeper }[]) => Promise.all(nodes.map((n) => n.sweeper.sweep()));

describe('the call sweeper', () => {
  it('an unanswered ring: two nodes sweeping at once make exactly one missed call, told once', async () => {
    const { store, nodes, advance, endedFor } = await cluster();
    const start = await nodes[0].calls.start({ userId: 'ann', deviceId: 'laptop' }, 'voice');
    const callId = start.ok ? start.value.callId : '';
    advance(RING_MS - 1);
    expect((await bothSweep(nodes)).map((r) => r.missed)).toEqual([0, 0]);
    advance(1);
    const results = await bothSweep(nodes);
    expect(results.reduce((sum, r) => sum + r.missed, 0)).toBe(1);
    expect(await store.getCall(callId)).toMatchObject({ status: 'missed', endReason: 'timeout' });
    expect(endedFor('ben')).toHaveLength(1);
    expect(endedFor('ann')).toHaveLength(1);
    await store.close();
  });

  it('a connected call whose device is gone ends once as connection_lost after the grace period, not before', async () => {
    const { store, online, nodes, advance, endedFor } = await cluster();
    const start = await nodes[0].calls.start({ userId: 'ann', deviceId: 'laptop' }, 'video');
    const callId = start.ok ? start.value.callId : '';
    await nodes[1].calls.accept({ userId: 'ben', deviceId: 'phone' }, callId);
    // The answering pair's media flows (as real clients report it): this call really happened.
    expect(await nodes[1].calls.media({ userId: 'ben', deviceId: 'phone' }, callId)).toEqual({ ok: true, value: {} });
    expect((await store.getCall(callId))?.mediaAt).not.toBeNull();

    online.delete(deviceKey('ann', 'laptop'));
    const first = await bothSweep(nodes);
    expect(first.reduce((sum, r) => sum + r.graceStarted, 0)).toBe(1);
    advance(GRACE_MS - 1);
    await bothSweep(nodes);
    expect((await store.getCall(callId))?.status).toBe('connected');
    advance(1);
    const results = await bothSweep(nodes);
    expect(results.reduce((sum, r) => sum + r.lost, 0)).toBe(1);
    expect(await store.getCall(callId)).toMatchObject({ status: 'ended', endReason: 'connection_lost', graceDeadline: null });
    expect(endedFor('ben').filter((t) => (t.payload as { reason: string }).reason === 'connection_lost')).toHaveLength(1);
    // Nothing is stuck: once Ann is back, the couple can call again.
    online.add(deviceKey('ann', 'laptop'));
    expect((await nodes[1].calls.start({ userId: 'ben', deviceId: 'phone' }, 'voice')).ok).toBe(true);
    await store.close();
  });

  it('a device back within the grace period (on any node) keeps the call, past the old deadline', async () => {
    const { store, online, nodes, advance, endedFor } = await cluster();
    const start = await nodes[0].calls.start({ userId: 'ann', deviceId: 'laptop' }, 'video');
    const callId = start.ok ? start.value.callId : '';
    await nodes[0].calls.accept({ userId: 'ben', deviceId: 'phone' }, callId);

    online.delete(deviceKey('ann', 'laptop'));
    await nodes[0].sweeper.sweep();
    expect((await store.getCall(callId))?.graceDeadline).toBe(1_000_000 + GRACE_MS);
    advance(GRACE_MS / 2);
    // The laptop reconnects to the other node.
    online.add(deviceKey('ann', 'laptop'));
    await nodes[1].calls.deviceBack('ann', 'laptop');
    expect((await store.getCall(callId))?.graceDeadline).toBeNull();
    advance(GRACE_MS * 4);
    await bothSweep(nodes);
    expect((await store.getCall(callId))?.status).toBe('connected');
    expect(endedFor('ann')).toEqual([]);
    await store.close();
  });

  it('ending needs the deadline to still stand: cleared meanwhile, the end does not happen', async () => {
    const { store, online, nodes, advance } = await cluster();
    const start = await nodes[0].calls.start({ userId: 'ann', deviceId: 'laptop' }, 'video');
    const callId = start.ok ? start.value.callId : '';
    await nodes[0].calls.accept({ userId: 'ben', deviceId: 'phone' }, callId);
    online.delete(deviceKey('ben', 'phone'));
    await nodes[0].sweeper.sweep();
    advance(GRACE_MS);
    await store.updateCallIf(callId, 'connected', { graceDeadline: null });
    expect(await nodes[1].calls.endBySystem(callId, 'connection_lost', { graceDueBy: 1_000_000 + GRACE_MS })).toBe(false);
    expect((await store.getCall(callId))?.status).toBe('connected');
    await store.close();
  });
});
