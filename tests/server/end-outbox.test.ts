// The outbox of ends, on both stores: a node that dies between writing an end and
// telling the devices (the fault hook stands in for the kill) leaves an entry that
// another node's sweep re-sends once the publisher's time is up, exactly once even
// when two nodes sweep together; a repeat of an end the devices already had
// changes nothing they show; and one call's failure does not stop a sweep.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CallService, type Notifier } from '../../server/calls/call-service';
import { CallSweeper, deviceKey } from '../../server/calls/call-sweeper';
import type { EndFaultPoint } from '../../server/calls/end-fault';
import { PostgresStore } from '../../server/store/postgres-store';
import { SqliteStore } from '../../server/store/sqlite-store';
import type { Store } from '../../server/store/types';
import { withCallRecord } from '../../src-renderer/api/call-log';
import { callReducer, type CallState } from '../../src-shared/call-machine';
import type { CallEndedEvent } from '../../src-shared/protocol';
import { requireOrSkip } from '../support/requirements';
import { PG_URL, postgresAnswers } from '../support/services';

const postgresRuns = requireOrSkip('postgres', await postgresAnswers(), `the outbox on PostgreSQL needs PostgreSQL at ${PG_URL}`);

const RESEND_MS = 2000;
const dir = mkdtempSync(join(tmpdir(), 'heartline-outbox-'));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function sqlite(): Promise<Store> {
  const store = new SqliteStore(join(dir, `${randomBytes(5).toString('hex')}.db`));
  cleanups.push(() => store.close());
  return store;
}

async function postgres(): Promise<Store> {
  const schema = `hl_outbox_${randomBytes(5).toString('hex')}`;
  const store = await PostgresStore.open(PG_URL, { schema });
  cleanups.push(async () => {
    await store.close();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  return store;
}

/** What the fault hook throws: the rest of that end's work never runs, as if the node were killed there. */
class NodeKilled extends Error {}

/** Two "nodes" (call services and sweepers) on one store, with a shared clock and record of what devices were told. */
async function cluster(open: () => Promise<Store>, options: { killAt?: EndFaultPoint; wrap?: (store: Store) => Store } = {}) {
  const store = await open();
  let now = 1_000_000;
  const online = new Set([deviceKey('ann', 'laptop'), deviceKey('ben', 'phone'), deviceKey('cem', 'tablet'), deviceKey('dia', 'phone')]);
  const told: { userId: string; event: string; payload: unknown }[] = [];
  const errors: unknown[] = [];
  const notifier: Notifier = {
    toUser: (userId, event, payload) => void told.push({ userId, event, payload }),
    toDevice: (userId, _device, event, payload) => void told.push({ userId, event, payload }),
  };
  const presence = {
    isUserOnline: async (userId: string) => [...online].some((key) => key.startsWith(`${userId}\n`)),
    isDeviceOnline: async (userId: string, deviceId: string) => online.has(deviceKey(userId, deviceId)),
  };
  const node = (faultPoint?: (point: EndFaultPoint) => void) => {
    const seen = options.wrap ? options.wrap(store) : store;
    const common = { store: seen, notifier, presence, ringTimeoutMs: 1000, callGraceMs: 500, endResendMs: RESEND_MS, now: () => now };
    const calls = new CallService({ ...common, ...(faultPoint && { faultPoint }) });
    const sweeper = new CallSweeper({ store: seen, calls, connectedDevices: async () => online, intervalMs: 1000, resendLeaseMs: RESEND_MS, onError: (e) => void errors.push(e), now: () => now });
    return { calls, sweeper };
  };
  const killAt = options.killAt;
  const doomed = node(killAt && ((point) => {
    if (point === killAt) throw new NodeKilled(point);
  }));
  for (const [a, b] of [['ann', 'ben'], ['cem', 'dia']] as const) {
    for (const id of [a, b]) await store.createUser({ id, username: id, displayName: id, passwordHash: 'h', createdAt: 0 });
    await store.createInvite({ code: `CODE-${a}`, inviterId: a, createdAt: 0, expiresAt: Number.MAX_SAFE_INTEGER });
    await store.acceptInvite(`CODE-${a}`, b, 0);
  }
  // The ends of a call (not "answered on another of your devices", which is call:ended with status connected).
  const ends = (userId: string) =>
    told.filter((t) => t.userId === userId && t.event === 'call:ended').map((t) => t.payload as CallEndedEvent).filter((e) => e.status !== 'connected');
  const presenceFor = (userId: string) => told.filter((t) => t.userId === userId && t.event === 'presence').map((t) => t.payload);
  /** ann calls ben on the doomed node; ben answers and their media flows. */
  const connected = async (): Promise<string> => {
    const start = await doomed.calls.start({ userId: 'ann', deviceId: 'laptop' }, 'voice');
    const callId = start.ok ? start.value.callId : '';
    await doomed.calls.accept({ userId: 'ben', deviceId: 'phone' }, callId);
    await doomed.calls.media({ userId: 'ben', deviceId: 'phone' }, callId);
    return callId;
  };
  return { store, doomed, survivor: node(), advance: (ms: number) => (now += ms), ends, presenceFor, errors, connected };
}

describe.each([
  { name: 'SQLite', open: sqlite, runs: true },
  { name: 'PostgreSQL', open: postgres, runs: postgresRuns },
])('the outbox of ends on $name', ({ open, runs }) => {
  it.runIf(runs)('an end written by a node killed before telling anyone reaches both parties once, through the other node’s sweep', async () => {
    const { store, doomed, survivor, advance, ends, presenceFor, connected } = await cluster(open, { killAt: 'end-written' });
    const callId = await connected();
    advance(3000);
    await expect(doomed.calls.hangup({ userId: 'ann', deviceId: 'laptop' }, callId)).rejects.toBeInstanceOf(NodeKilled);
    expect(await store.getCall(callId)).toMatchObject({ status: 'ended', endReason: 'hangup', durationSec: 3 });
    expect(ends('ben')).toEqual([]);
    expect(await store.endOutbox.pending()).toBe(1);

    // The publisher still has its time: no sweep re-sends yet.
    advance(RESEND_MS - 1);
    expect((await survivor.sweeper.sweep()).resent).toBe(0);
    expect(ends('ben')).toEqual([]);

    advance(1);
    expect((await survivor.sweeper.sweep()).resent).toBe(1);
    for (const user of ['ann', 'ben']) expect(ends(user)).toEqual([expect.objectContaining({ callId, status: 'ended', reason: 'hangup' })]);
    // Each partner learns the other is no longer in a call.
    expect(presenceFor('ben')).toEqual(expect.arrayContaining([{ userId: 'ann', online: true, inCall: false }]));
    expect(await store.endOutbox.pending()).toBe(0);

    // Later sweeps (past any lease) have nothing left to send.
    advance(3 * RESEND_MS);
    expect((await survivor.sweeper.sweep()).resent).toBe(0);
    expect(ends('ben')).toHaveLength(1);
  });

  it.runIf(runs)('two nodes sweeping the same unconfirmed end at once re-send it once', async () => {
    const { doomed, survivor, advance, ends, connected } = await cluster(open, { killAt: 'end-written' });
    const callId = await connected();
    await expect(doomed.calls.hangup({ userId: 'ben', deviceId: 'phone' }, callId)).rejects.toBeInstanceOf(NodeKilled);
    advance(RESEND_MS);
    const results = await Promise.all([survivor.sweeper.sweep(), doomed.sweeper.sweep()]);
    expect(results.map((r) => r.resent).sort()).toEqual([0, 1]);
    expect(ends('ann')).toHaveLength(1);
    expect(ends('ben')).toHaveLength(1);
  });

  it.runIf(runs)('an end told but not confirmed is re-sent as the same end, which a device’s call state and history show once', async () => {
    const { doomed, survivor, advance, ends, connected } = await cluster(open, { killAt: 'end-published' });
    const callId = await connected();
    await expect(doomed.calls.hangup({ userId: 'ann', deviceId: 'laptop' }, callId)).rejects.toBeInstanceOf(NodeKilled);
    expect(ends('ben')).toHaveLength(1);
    advance(RESEND_MS);
    expect((await survivor.sweeper.sweep()).resent).toBe(1);
    const [first, repeat] = ends('ben');
    expect(repeat).toEqual(first);

    // Ben's device was in the call: the first end ends it there, the repeat changes nothing.
    const inCall: CallState = { kind: 'active', callId, callType: 'voice', role: 'callee', media: 'voice', since: 0, connectedAt: 1 };
    const toEvent = (event: CallEndedEvent, at: number) => ({ type: 'remote-ended' as const, callId: event.callId, status: event.status, reason: event.reason, at });
    const afterFirst = callReducer(inCall, toEvent(first!, 10));
    expect(afterFirst).toMatchObject({ kind: 'ended', callId, reason: 'hangup' });
    expect(callReducer(afterFirst, toEvent(repeat!, 20))).toBe(afterFirst);
    // Its history keeps one row for the call.
    expect(withCallRecord(withCallRecord([], first!.call), repeat!.call)).toEqual([first!.call]);
  });

  it.runIf(runs)('a conditional end that loses its race queues nothing, and a confirmed end leaves nothing queued', async () => {
    const { store, survivor, ends, connected } = await cluster(open);
    const callId = await connected();
    expect(await store.updateCallIf(callId, 'ringing', { status: 'missed', endedAt: 1 }, { endNotice: { dueAt: 1 } })).toBeUndefined();
    expect(await store.endOutbox.pending()).toBe(0);
    expect(await survivor.calls.hangup({ userId: 'ann', deviceId: 'laptop' }, callId)).toEqual({ ok: true, value: {} });
    expect(ends('ben')).toHaveLength(1);
    expect(await store.endOutbox.pending()).toBe(0);
  });

  it.runIf(runs)('a sweep that fails on one call still ends the others, and reports the failure', async () => {
    let broken: string | undefined;
    // The first live call the sweep lists cannot be read back (a transient failure on that one call).
    const wrap = (store: Store): Store =>
      new Proxy(store, {
        get(target, key, receiver) {
          if (key === 'listActiveCalls') {
            return async () => {
              const live = await target.listActiveCalls();
              broken ??= live[0]?.id;
              return live;
            };
          }
          if (key === 'getCall') {
            return async (id: string) => {
              if (id === broken) throw new Error(`cannot read call ${id}`);
              return target.getCall(id);
            };
          }
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
    const { store, survivor, advance, errors } = await cluster(open, { wrap });
    const first = await survivor.calls.start({ userId: 'ann', deviceId: 'laptop' }, 'voice');
    const second = await survivor.calls.start({ userId: 'cem', deviceId: 'tablet' }, 'video');
    const ids = [first, second].map((start) => (start.ok ? start.value.callId : ''));
    advance(1000);
    expect((await survivor.sweeper.sweep()).missed).toBe(1);
    expect(errors).toHaveLength(1);
    const statuses = await Promise.all(ids.map(async (id) => (await store.getCall(id))?.status));
    expect(statuses.sort()).toEqual(['missed', 'ringing']);
    expect(statuses).toHaveLength(2);
  });
});
