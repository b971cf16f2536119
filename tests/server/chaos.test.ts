// Server nodes as real processes sharing PostgreSQL and Redis, killed (SIGKILL) or
// stopped (SIGTERM) in the middle of calls: whichever node survives ends every call
// that should end, exactly once, within its ring or grace deadline plus the sweep,
// and keeps every call whose devices are still (or again) connected to some node.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse } from '../../src-shared/protocol';
import { requireOrSkip } from '../support/requirements';
import { REDIS_URL, postgresAnswers, redisAnswers } from '../support/services';
import { closeAllSockets, couple, device, emit, inbox, settle, waitFor, type ClientSocket } from './helpers';
import { exited, freshDatabase, killAll, startNode, type NodeProcess } from './processes';

const available =
  requireOrSkip('postgres', await postgresAnswers(), 'chaos tests need PostgreSQL on 127.0.0.1:5432') &&
  requireOrSkip('redis', await redisAnswers(), 'chaos tests need Redis on 127.0.0.1:6379');

const RING_MS = 3000;
const GRACE_MS = 1500;
const SWEEP_MS = 100;
/** How long an end's publisher has to confirm it told the devices before a sweep re-sends it. */
const RESEND_MS = 1000;
/** How long a stale call may outlive its deadline: a sweep to notice, one to end, and slack for a loaded machine. */
const SLACK_MS = 5 * SWEEP_MS + 3000;

describe.skipIf(!available)('chaos: server nodes killed and stopped mid-call', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let env: Record<string, string>;
  const nodes: NodeProcess[] = [];

  async function node(extra: Record<string, string> = {}): Promise<NodeProcess> {
    const started = await startNode({ ...env, ...extra });
    nodes.push(started);
    return started;
  }

  /** Every row of the couple's calls, straight from PostgreSQL. */
  async function rows(a: AuthResponse): Promise<{ id: string; status: string; end_reason: string | null }[]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query('SELECT id, status, end_reason FROM calls WHERE caller_id = $1 OR callee_id = $1 ORDER BY created_at', [a.user.id])).rows;
    } finally {
      await client.end();
    }
  }

  /** How many ends are written but not yet confirmed told to the devices. */
  async function unconfirmedEnds(): Promise<number> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM call_end_outbox')).rows[0]!.n;
    } finally {
      await client.end();
    }
  }

  const endedEvents = (socket: ClientSocket, callId: string) => inbox(socket).all('call:ended').filter((e) => e.callId === callId);

  beforeAll(async () => {
    database = await freshDatabase();
    env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_CHANNEL_PREFIX: `heartline-chaos-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: 'chaos-shared-secret',
      RING_TIMEOUT_MS: String(RING_MS),
      CALL_GRACE_MS: String(GRACE_MS),
      CALL_SWEEP_MS: String(SWEEP_MS),
      CALL_END_RESEND_MS: String(RESEND_MS),
      LOG_LEVEL: 'warn',
      // One address registers every user of the suite; the limits have their own tests.
      REGISTER_MAX: '100000',
      LOGIN_MAX: '100000',
      INVITE_ACCEPT_MAX: '100000',
    };
  });
  afterEach(async () => {
    closeAllSockets();
    for (const n of nodes.splice(0)) await n.stop('SIGKILL');
  });
  afterAll(async () => {
    killAll();
    await database?.drop();
  });

  it('a node killed while its user\'s call rings: the partner on the other node stops ringing, one missed call', async () => {
    const [a, b] = [await node(), await node()];
    const { alice, bob } = await couple(a);
    const aliceSocket = await device(a, alice);
    const bobSocket = await device(b, bob);
    const start = await emit(aliceSocket, 'call:start', { type: 'voice' });
    const callId = start.ok ? start.callId : '';
    await inbox(bobSocket).next('call:incoming');

    await a.stop('SIGKILL');
    expect(await inbox(bobSocket).next('call:ended', (e) => e.callId === callId, RING_MS + SLACK_MS)).toMatchObject({
      callId,
      status: 'missed',
      reason: 'timeout',
      call: { id: callId, status: 'missed', endReason: 'timeout', answeredAt: null, durationSec: 0 },
    });
    await settle(bobSocket);
    expect(endedEvents(bobSocket, callId)).toHaveLength(1);
    expect(await rows(alice)).toEqual([{ id: callId, status: 'missed', end_reason: 'timeout' }]);
  }, 60_000);

  it('a node killed mid-call with the caller on it, gone for good: the partner is told connection_lost and the couple can call again', async () => {
    const [a, b] = [await node(), await node()];
    const { alice, bob } = await couple(a);
    const aliceSocket = await device(a, alice);
    const bobSocket = await device(b, bob);
    const start = await emit(aliceSocket, 'call:start', { type: 'video' });
    const callId = start.ok ? start.callId : '';
    await inbox(bobSocket).next('call:incoming');
    expect(await emit(bobSocket, 'call:accept', { callId })).toEqual({ ok: true });
    // Bob's device reports the pair's media flowing, as a real client does once answered.
    expect(await emit(bobSocket, 'call:media', { callId })).toEqual({ ok: true });

    await a.stop('SIGKILL');
    expect(await inbox(bobSocket).next('call:ended', (e) => e.callId === callId, GRACE_MS + SLACK_MS)).toMatchObject({
      callId,
      status: 'ended',
      reason: 'connection_lost',
      call: { id: callId, status: 'ended', endReason: 'connection_lost' },
    });
    await settle(bobSocket);
    expect(endedEvents(bobSocket, callId)).toHaveLength(1);

    // Not stuck: Alice, on the surviving node now, calls Bob again.
    const again = await emit(await device(b, alice), 'call:start', { type: 'voice' });
    expect(again).toMatchObject({ ok: true });
    expect((await rows(alice)).map((r) => [r.status, r.end_reason])).toEqual([
      ['ended', 'connection_lost'],
      ['ringing', null],
    ]);
  }, 60_000);

  it('a node killed mid-call, the caller reconnecting to the surviving node: the call goes on and is logged once at hang-up', async () => {
    const [a, b] = [await node(), await node()];
    const { alice, bob } = await couple(a);
    const aliceSocket = await device(a, alice, 'alice-laptop');
    const bobSocket = await device(b, bob);
    const start = await emit(aliceSocket, 'call:start', { type: 'video' });
    const callId = start.ok ? start.callId : '';
    await inbox(bobSocket).next('call:incoming');
    expect(await emit(bobSocket, 'call:accept', { callId })).toEqual({ ok: true });
    expect(await emit(bobSocket, 'call:media', { callId })).toEqual({ ok: true });

    await a.stop('SIGKILL');
    const back = await device(b, alice, 'alice-laptop');
    // Well past the grace deadline the call still runs, and signals flow through the surviving node.
    const killedAt = Date.now();
    await waitFor(() => Date.now() - killedAt, (ms) => ms > GRACE_MS + 10 * SWEEP_MS);
    expect((await rows(alice)).map((r) => r.status)).toEqual(['connected']);
    await emit(back, 'call:signal', { callId, data: { type: 'offer', sdp: 'after failover' } });
    expect((await inbox(bobSocket).next('call:signal')).data).toEqual({ type: 'offer', sdp: 'after failover' });

    expect(await emit(back, 'call:hangup', { callId })).toEqual({ ok: true });
    expect(await inbox(bobSocket).next('call:ended', (e) => e.callId === callId)).toMatchObject({
      callId,
      status: 'ended',
      reason: 'hangup',
      call: { id: callId, status: 'ended', endReason: 'hangup' },
    });
    await settle(bobSocket, back);
    expect(endedEvents(bobSocket, callId)).toHaveLength(1);
    expect(endedEvents(back, callId)).toHaveLength(1);
    expect(await rows(alice)).toEqual([{ id: callId, status: 'ended', end_reason: 'hangup' }]);
  }, 60_000);

  it('a node killed between writing a hang-up and telling anyone: the other node\'s sweep tells the partner, exactly once', async () => {
    // Node A kills itself (SIGKILL) right after its first end is in the database (server/calls/end-fault.ts).
    const [a, b] = [await node({ HEARTLINE_FAULT_KILL_AT: 'end-written' }), await node()];
    const { alice, bob } = await couple(a);
    const aliceSocket = await device(a, alice);
    const bobSocket = await device(b, bob);
    const start = await emit(aliceSocket, 'call:start', { type: 'voice' });
    const callId = start.ok ? start.callId : '';
    await inbox(bobSocket).next('call:incoming');
    expect(await emit(bobSocket, 'call:accept', { callId })).toEqual({ ok: true });
    expect(await emit(bobSocket, 'call:media', { callId })).toEqual({ ok: true });

    const presenceBefore = inbox(bobSocket).all('presence').length;
    const died = exited(a.child);
    aliceSocket.emit('call:hangup', { callId }, () => undefined);
    await died;
    expect(a.child.signalCode).toBe('SIGKILL');
    expect(await rows(alice)).toEqual([{ id: callId, status: 'ended', end_reason: 'hangup' }]);

    expect(await inbox(bobSocket).next('call:ended', (e) => e.callId === callId, RESEND_MS + SLACK_MS)).toMatchObject({
      callId,
      status: 'ended',
      reason: 'hangup',
      call: { id: callId, status: 'ended', endReason: 'hangup' },
    });
    // …and that Alice is no longer in a call.
    await waitFor(
      () => inbox(bobSocket).all('presence').slice(presenceBefore),
      (events) => events.some((p) => p.userId === alice.user.id && !p.inCall),
    );
    // Once the entry is gone nothing can re-send it; whatever node B sent before has arrived after settle.
    await waitFor(unconfirmedEnds, (n) => n === 0, RESEND_MS + SLACK_MS);
    await settle(bobSocket);
    expect(endedEvents(bobSocket, callId)).toHaveLength(1);

    // Not stuck: Alice, back on the surviving node, calls Bob again.
    expect(await emit(await device(b, alice), 'call:start', { type: 'voice' })).toMatchObject({ ok: true });
  }, 60_000);

  it('SIGTERM to one node of two during calls (a rolling restart): no call is ended by it', async () => {
    const [a, b] = [await node(), await node()];
    // Call 0 has both devices on node A; call 1 has Alice on A and Bob on B.
    const calls: { callId: string; alice: AuthResponse; bob: AuthResponse; bobSocket: ClientSocket }[] = [];
    for (const [i, bobNode] of [a, b].entries()) {
      const { alice, bob } = await couple(a);
      const aliceSocket = await device(a, alice, `alice-laptop-${i}`);
      const bobSocket = await device(bobNode, bob, `bob-phone-${i}`);
      const start = await emit(aliceSocket, 'call:start', { type: 'voice' });
      const callId = start.ok ? start.callId : '';
      await inbox(bobSocket).next('call:incoming');
      expect(await emit(bobSocket, 'call:accept', { callId })).toEqual({ ok: true });
      expect(await emit(bobSocket, 'call:media', { callId })).toEqual({ ok: true });
      calls.push({ callId, alice, bob, bobSocket });
    }

    expect(await a.stop('SIGTERM')).toBe(0);
    // Node B's own devices stay connected; node A's reconnect to B, as clients do.
    expect(calls[1]!.bobSocket.connected).toBe(true);
    const alices = await Promise.all(calls.map(({ alice }, i) => device(b, alice, `alice-laptop-${i}`)));
    const bobs = [await device(b, calls[0]!.bob, 'bob-phone-0'), calls[1]!.bobSocket];
    const stoppedAt = Date.now();
    await waitFor(() => Date.now() - stoppedAt, (ms) => ms > GRACE_MS + 10 * SWEEP_MS);
    for (const [i, { callId, alice }] of calls.entries()) {
      expect((await rows(alice)).map((r) => [r.status, r.end_reason]), `call ${i}`).toEqual([['connected', null]]);
      await settle(bobs[i]!);
      expect(endedEvents(bobs[i]!, callId)).toEqual([]);
      expect(await emit(alices[i]!, 'call:hangup', { callId })).toEqual({ ok: true });
      expect(await inbox(bobs[i]!).next('call:ended', (e) => e.callId === callId)).toMatchObject({
        callId,
        status: 'ended',
        reason: 'hangup',
        call: { id: callId, status: 'ended', endReason: 'hangup' },
      });
    }
  }, 60_000);
});
