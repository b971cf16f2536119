// Two server processes on a private Redis and a private PostgreSQL (never the
// machine's shared ones), each dependency restarted mid-test: while it is down the
// server answers at once with an error; afterwards the nodes reconnect by
// themselves, calls across nodes work again, and nothing already logged is lost.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse, Call, CallsPage } from '../../src-shared/protocol';
import { requireOrSkip } from '../support/requirements';
import { api, closeAllSockets, couple, device, emit, inbox, waitFor, type ClientSocket } from './helpers';
import { killAll, startNode, startPrivatePostgres, startPrivateRedis, type NodeProcess, type PrivateService } from './processes';

const hasPostgres = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').length > 0;
const available =
  requireOrSkip('postgres', hasPostgres, 'restart tests need PostgreSQL installed (/usr/lib/postgresql/*/bin/initdb)') &&
  requireOrSkip('redis', existsSync('/usr/bin/redis-server'), 'restart tests need redis-server');

describe.skipIf(!available)('chaos: Redis and PostgreSQL restarted under two nodes', () => {
  let redis: PrivateService;
  let postgres: PrivateService;
  let a: NodeProcess;
  let b: NodeProcess;
  let alice: AuthResponse;
  let bob: AuthResponse;
  let aliceSocket: ClientSocket;
  let bobSocket: ClientSocket;
  const logged: string[] = [];

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startPrivateRedis(), startPrivatePostgres()]);
    const env = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      REDIS_CHANNEL_PREFIX: `heartline-restarts-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: 'restarts-shared-secret',
      RING_TIMEOUT_MS: '5000',
      CALL_GRACE_MS: '3000',
      CALL_SWEEP_MS: '100',
      // The failed sweeps while a dependency is down are logged as errors; keep the run readable.
      LOG_LEVEL: 'fatal',
    };
    a = await startNode(env);
    b = await startNode(env);
    ({ alice, bob } = await couple(a));
    aliceSocket = await device(a, alice);
    bobSocket = await device(b, bob);
    await callAcrossNodes();
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await a?.stop('SIGKILL');
    await b?.stop('SIGKILL');
    killAll();
    await redis?.remove();
    await postgres?.remove();
  });

  /** Alice on node A calls Bob on node B, he answers, she hangs up: one more logged call. */
  async function callAcrossNodes(): Promise<void> {
    const start = await emit(aliceSocket, 'call:start', { type: 'voice' });
    if (!start.ok) throw new Error(`call:start: ${JSON.stringify(start)}`);
    await inbox(bobSocket).next('call:incoming', (ring) => ring.call.id === start.callId);
    expect(await emit(bobSocket, 'call:accept', { callId: start.callId })).toEqual({ ok: true });
    // As a real client does once audio flows (else the call is logged as failed).
    expect(await emit(bobSocket, 'call:media', { callId: start.callId })).toEqual({ ok: true });
    expect(await emit(aliceSocket, 'call:hangup', { callId: start.callId })).toEqual({ ok: true });
    expect(await inbox(bobSocket).next('call:ended', (e) => e.callId === start.callId)).toMatchObject({ status: 'ended', reason: 'hangup' });
    logged.push(start.callId);
  }

  /** Places calls until one goes through (the nodes are reconnecting); bounded. */
  async function callsWorkAgain(): Promise<void> {
    await waitFor(
      () => callAcrossNodes().then(() => true, () => false),
      (ok) => ok,
      30_000,
      200,
    );
  }

  async function history(): Promise<Call[]> {
    return (await api<CallsPage>(b, 'GET', '/api/calls?limit=100', { token: bob.token })).body.calls;
  }

  it('Redis restarted: call:start answers an error at once while it is down; afterwards calls cross nodes again and the log is whole', async () => {
    await redis.stop();
    // An answer (not a hang): the acknowledgement arrives well within emit()'s 4 s.
    expect(await emit(aliceSocket, 'call:start', { type: 'voice' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await redis.start();
    await callsWorkAgain();
    const ids = (await history()).map((c) => c.id);
    for (const id of logged) expect(ids).toContain(id);
  }, 90_000);

  it('PostgreSQL restarted: REST and sockets answer an error at once while it is down; afterwards calls work and the log is whole', async () => {
    await postgres.stop();
    const rest = await api<{ error: { code: string } }>(a, 'GET', '/api/calls', { token: alice.token });
    expect(rest.status).toBe(500);
    expect(rest.body.error.code).toBe('INTERNAL');
    expect(await emit(aliceSocket, 'call:start', { type: 'voice' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await postgres.start();
    await callsWorkAgain();
    const calls = await history();
    for (const id of logged) expect(calls.find((c) => c.id === id)).toMatchObject({ status: 'ended', endReason: 'hangup' });
    // Nothing half-written: no call was left live by the failures.
    expect(calls.filter((c) => c.status === 'ringing' || c.status === 'connected')).toEqual([]);
  }, 90_000);
});
