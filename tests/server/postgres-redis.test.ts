// The several-node setup against the real services of this machine: the
// PostgreSQL store passes the same contract as SQLite, and two server nodes
// sharing PostgreSQL and Redis ring, relay and log across each other.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallsPage } from '../../src-shared/protocol';
import { buildApp, type Heartline } from '../../server/app';
import { loadConfig } from '../../server/config';
import { PostgresStore } from '../../server/store/postgres-store';
import { coupleKey } from '../../server/store/rows';
import { SqliteStore } from '../../server/store/sqlite-store';
import { CallInProgressError, NotPairedError, UsernameTakenError, type CallRecord, type Store } from '../../server/store/types';
import { api, closeAllSockets, couple, device, emit, inbox, waitUntil } from './helpers';

const PG_URL = process.env.HEARTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.HEARTLINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}
const hasPostgres = await reachable(async () => {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  await client.end();
});
const hasRedis = await reachable(async () => {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  await client.connect();
  await client.quit();
});
if (!hasPostgres) console.log(`skipped: no PostgreSQL at ${PG_URL}`);
if (!hasRedis) console.log(`skipped: no Redis at ${REDIS_URL}`);

const schemas: string[] = [];
async function freshPostgres(): Promise<PostgresStore> {
  const schema = `hl_test_${randomBytes(5).toString('hex')}`;
  schemas.push(schema);
  return PostgresStore.open(PG_URL, { schema });
}
afterAll(async () => {
  if (!schemas.length) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

function callFor(callerId: string, calleeId: string, patch: Partial<CallRecord> = {}): CallRecord {
  return {
    id: randomUUID(),
    callerId,
    calleeId,
    type: 'video',
    status: 'ringing',
    createdAt: Date.now(),
    answeredAt: null,
    endedAt: null,
    durationSec: 0,
    endReason: null,
    callerDevice: 'd1',
    calleeDevice: null,
    ...patch,
  };
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'heartline-contract-'));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));
const stores: [string, boolean, () => Promise<Store>][] = [
  ['SQLite', true, async () => new SqliteStore(join(sqliteDir, `${randomUUID()}.db`))],
  ['PostgreSQL', hasPostgres, freshPostgres],
];

describe.each(stores)('the %s store', (_name, available, open) => {
  it.skipIf(!available)('keeps users unique, pairs atomically, one live call per couple, conditional updates', async () => {
    const store = await open();
    try {
      const user = (id: string) => ({ id, username: id, displayName: id.toUpperCase(), passwordHash: 'h', createdAt: 1 });
      await store.createUser(user('ann'));
      await store.createUser(user('ben'));
      await expect(store.createUser({ ...user('x'), username: 'ann' })).rejects.toBeInstanceOf(UsernameTakenError);

      await store.createInvite({ code: 'ABCDEFGH', inviterId: 'ann', createdAt: 1, expiresAt: Date.now() + 60_000 });
      expect(await store.acceptInvite('ABCDEFGH', 'ann', Date.now())).toEqual({ kind: 'own_invite' });
      expect(await store.acceptInvite('ABCDEFGH', 'ben', Date.now())).toEqual({ kind: 'paired', inviterId: 'ann' });
      expect(await store.acceptInvite('ABCDEFGH', 'ben', Date.now())).toEqual({ kind: 'gone' });
      expect((await store.findUserById('ann'))?.partnerId).toBe('ben');

      const ringing = await store.createCall(callFor('ann', 'ben'));
      await expect(store.createCall(callFor('ben', 'ann'))).rejects.toEqual(new CallInProgressError(ringing.id));
      const answered = await store.updateCallIf(ringing.id, 'ringing', { status: 'connected', answeredAt: 5, calleeDevice: 'phone' });
      expect(answered).toMatchObject({ status: 'connected', answeredAt: 5, calleeDevice: 'phone' });
      expect(await store.updateCallIf(ringing.id, 'ringing', { status: 'connected' })).toBeUndefined();
      expect((await store.findActiveCall('ben'))?.id).toBe(ringing.id);
      await store.updateCallIf(ringing.id, 'connected', { status: 'ended', endedAt: 10, durationSec: 0, endReason: 'hangup' });
      expect(await store.findActiveCall('ben')).toBeUndefined();
      expect(await store.listActiveCalls()).toEqual([]);

      expect(await store.unpair('ben')).toBe('ann');
      expect((await store.findUserById('ann'))?.partnerId).toBeNull();
    } finally {
      await store.close();
    }
  });

  it.skipIf(!available)('pages history by keyset across both roles, and lists missed calls', async () => {
    const store = await open();
    try {
      for (const id of ['cat', 'dan']) await store.createUser({ id, username: id, displayName: id, passwordHash: 'h', createdAt: 1 });
      await store.createInvite({ code: 'CATDAN22', inviterId: 'cat', createdAt: 1, expiresAt: Date.now() + 60_000 });
      await store.acceptInvite('CATDAN22', 'dan', Date.now());
      const made: CallRecord[] = [];
      for (let i = 0; i < 9; i++) {
        const [caller, callee] = i % 2 ? ['cat', 'dan'] : ['dan', 'cat'];
        made.push(await store.createCall(callFor(caller!, callee!, { createdAt: 1000 + Math.floor(i / 2), status: i % 3 ? 'ended' : 'missed', endedAt: 2000 })));
      }
      const expected = [...made].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map((c) => c.id);
      const first = await store.listCalls('cat', 4, undefined);
      const last = first.at(-1)!;
      const second = await store.listCalls('cat', 10, { createdAt: last.createdAt, id: last.id });
      expect([...first, ...second].map((c) => c.id)).toEqual(expected);
      const missedForCat = made.filter((c) => c.status === 'missed' && c.calleeId === 'cat').map((c) => c.id);
      expect((await store.listMissed('cat', 0)).map((c) => c.id).sort()).toEqual(missedForCat.sort());
    } finally {
      await store.close();
    }
  });

  it.skipIf(!available)('rotates refresh tokens and revokes the family when an old one returns', async () => {
    const store = await open();
    try {
      await store.createUser({ id: 'eve', username: 'eve', displayName: 'Eve', passwordHash: 'h', createdAt: 1 });
      await store.saveRefreshToken({ tokenHash: 't1', userId: 'eve', familyId: 'f', expiresAt: Date.now() + 60_000 });
      expect(await store.rotateRefreshToken('t1', { tokenHash: 't2', expiresAt: Date.now() + 60_000 }, Date.now())).toEqual({ kind: 'rotated', userId: 'eve', familyId: 'f' });
      expect(await store.isSessionLive('f', Date.now())).toBe(true);
      expect(await store.rotateRefreshToken('t1', { tokenHash: 't3', expiresAt: Date.now() + 60_000 }, Date.now())).toEqual({ kind: 'reused', userId: 'eve', familyId: 'f' });
      expect(await store.isSessionLive('f', Date.now())).toBe(false);
      // The family is gone: the newer token no longer works either.
      expect((await store.rotateRefreshToken('t2', { tokenHash: 't4', expiresAt: Date.now() + 60_000 }, Date.now())).kind).not.toBe('rotated');
      expect(await store.rotateRefreshToken('nope', { tokenHash: 't5', expiresAt: Date.now() + 60_000 }, Date.now())).toEqual({ kind: 'invalid' });

      // Logout ends the sign-in and says which one; other sign-ins of the user live on.
      await store.saveRefreshToken({ tokenHash: 'g1', userId: 'eve', familyId: 'g', expiresAt: Date.now() + 60_000 });
      await store.saveRefreshToken({ tokenHash: 'h1', userId: 'eve', familyId: 'h', expiresAt: Date.now() + 60_000 });
      expect(await store.revokeRefreshToken('g1', Date.now())).toEqual({ userId: 'eve', familyId: 'g' });
      expect(await store.isSessionLive('g', Date.now())).toBe(false);
      expect(await store.isSessionLive('h', Date.now())).toBe(true);
      expect(await store.isSessionLive('h', Date.now() + 120_000)).toBe(false);
      expect(await store.revokeRefreshToken('unknown', Date.now())).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it.skipIf(!available)('keeps one live invite per user, revokes both users\' codes on pairing, and writes calls only between partners', async () => {
    const store = await open();
    try {
      for (const id of ['fay', 'gus', 'hal']) await store.createUser({ id, username: id, displayName: id, passwordHash: 'h', createdAt: 1 });
      const later = Date.now() + 60_000;
      await store.createInvite({ code: 'OLDCODE2', inviterId: 'fay', createdAt: Date.now(), expiresAt: later });
      await store.createInvite({ code: 'NEWCODE2', inviterId: 'fay', createdAt: Date.now(), expiresAt: later });
      await store.createInvite({ code: 'GUSCODE2', inviterId: 'gus', createdAt: Date.now(), expiresAt: later });
      expect(await store.acceptInvite('OLDCODE2', 'gus', Date.now())).toEqual({ kind: 'gone' });
      expect(await store.acceptInvite('NEWCODE2', 'gus', Date.now())).toEqual({ kind: 'paired', inviterId: 'fay' });
      // Gus's own open code died with the pairing: after an unpair nobody can use it.
      await store.unpair('fay');
      expect(await store.acceptInvite('GUSCODE2', 'hal', Date.now())).toEqual({ kind: 'gone' });

      await expect(store.createCall(callFor('fay', 'gus'))).rejects.toBeInstanceOf(NotPairedError);
      expect(await store.listActiveCalls()).toEqual([]);

      await store.createInvite({ code: 'AGAINXX2', inviterId: 'fay', createdAt: Date.now(), expiresAt: later });
      await store.acceptInvite('AGAINXX2', 'gus', Date.now());
      const ringing = await store.createCall(callFor('fay', 'gus'));
      expect(await store.recentCallTimes(coupleKey('fay', 'gus'), 0, 5)).toEqual([ringing.createdAt]);
      await store.unpair('gus');
      // An unpair that lands before the answer wins: the ring is not answered.
      expect(await store.updateCallIf(ringing.id, 'ringing', { status: 'connected', answeredAt: 5 }, { whilePaired: true })).toBeUndefined();
      expect(await store.updateCallIf(ringing.id, 'ringing', { status: 'missed', endedAt: 6 })).toMatchObject({ status: 'missed' });
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(!hasPostgres || !hasRedis)('two server nodes sharing PostgreSQL and Redis', () => {
  const nodes: { heartline: Heartline; url: string }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'heartline-nodes-'));

  beforeAll(async () => {
    const schema = `hl_test_${randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    const env = {
      DATABASE_PATH: join(dir, 'unused.db'),
      JWT_SECRET: 'shared-between-nodes',
      REDIS_URL,
      REDIS_CHANNEL_PREFIX: `heartline-test-${randomBytes(4).toString('hex')}`,
      STUN_URLS: '',
      RING_TIMEOUT_MS: '5000',
      CALL_GRACE_MS: '500',
      REGISTER_MAX: '1000',
      LOGIN_MAX: '4',
      PRESENCE_DEBOUNCE_MS: '50',
    };
    for (let i = 0; i < 2; i++) {
      const heartline = await buildApp(loadConfig(env), { store: await PostgresStore.open(PG_URL, { schema }) });
      await heartline.app.listen({ port: 0, host: '127.0.0.1' });
      nodes.push({ heartline, url: `http://127.0.0.1:${(heartline.app.server.address() as AddressInfo).port}` });
    }
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    for (const node of nodes) await node.heartline.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Alice on node A calls Bob on node B: ring, answer, signals and hang-up cross nodes; one log', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const { alice, bob } = await couple(a);
    const aliceSocket = await device(a, alice);
    const bobSocket = await device(b, bob);
    // Presence crosses nodes too (fetchSockets through the adapter).
    expect(await inbox(aliceSocket).next('presence', (p) => p.online)).toMatchObject({ userId: bob.user.id, online: true });

    const start = await emit(aliceSocket, 'call:start', { type: 'video' });
    expect(start.ok).toBe(true);
    const callId = start.ok ? start.callId : '';
    expect((await inbox(bobSocket).next('call:incoming')).call.id).toBe(callId);
    expect(await emit(bobSocket, 'call:accept', { callId })).toEqual({ ok: true });
    await inbox(aliceSocket).next('call:accepted');
    await emit(bobSocket, 'call:signal', { callId, data: { type: 'offer', sdp: 'across nodes' } });
    expect((await inbox(aliceSocket).next('call:signal')).data).toEqual({ type: 'offer', sdp: 'across nodes' });
    await emit(aliceSocket, 'call:hangup', { callId });
    expect(await inbox(bobSocket).next('call:ended')).toEqual({ callId, status: 'ended', reason: 'hangup' });

    const fromA = await api<CallsPage>(a, 'GET', '/api/calls', { token: alice.token });
    const fromB = await api<CallsPage>(b, 'GET', '/api/calls', { token: bob.token });
    expect(fromA.body.calls).toEqual(fromB.body.calls);
    expect(fromA.body.calls[0]).toMatchObject({ id: callId, status: 'ended' });
  });

  it('both partners pressing call on different nodes at once still make exactly one call', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const { alice, bob } = await couple(a);
    const aliceSocket = await device(a, alice);
    const bobSocket = await device(b, bob);
    const acks = await Promise.all([emit(aliceSocket, 'call:start', { type: 'voice' }), emit(bobSocket, 'call:start', { type: 'voice' })]);
    expect(acks.filter((ack) => ack.ok)).toHaveLength(1);
    expect(acks.find((ack) => !ack.ok)).toMatchObject({ ok: false, error: { code: 'CALL_IN_PROGRESS' } });
  });

  it('logout, a replayed refresh token and unpairing on node A disconnect the sockets on node B at once', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const { alice, bob } = await couple(a);
    const aliceOnB = await device(b, alice);
    const bobOnB = await device(b, bob);

    expect((await api(a, 'POST', '/api/auth/logout', { body: { refreshToken: alice.refreshToken } })).status).toBe(204);
    await waitUntil(() => !aliceOnB.connected, 4000, "Alice's socket on node B to close");
    expect((await api(b, 'GET', '/api/me', { token: alice.token })).status).toBe(401);
    expect(bobOnB.connected).toBe(true);

    // Bob's refresh token is rotated, then the old copy comes back (a thief): his sign-in ends everywhere.
    expect((await api(a, 'POST', '/api/auth/refresh', { body: { refreshToken: bob.refreshToken } })).status).toBe(200);
    expect((await api(a, 'POST', '/api/auth/refresh', { body: { refreshToken: bob.refreshToken } })).status).toBe(401);
    await waitUntil(() => !bobOnB.connected, 4000, "Bob's socket on node B to close");

    const { alice: carol, bob: dan } = await couple(a);
    const carolOnB = await device(b, carol);
    const danOnB = await device(b, dan);
    expect((await api(a, 'DELETE', '/api/pairing', { token: carol.token })).status).toBe(204);
    await waitUntil(() => !carolOnB.connected && !danOnB.connected, 4000, 'both former partners\' sockets on node B to close');
  });

  it('the per-address login limit is shared by the nodes (counted in Redis)', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const attempt = async (node: (typeof nodes)[0]) => (await api(node, 'POST', '/api/auth/login', { body: { username: 'nobody', password: 'guess-guess' } })).status;
    const statuses = [await attempt(a), await attempt(b), await attempt(a), await attempt(b), await attempt(a), await attempt(b)];
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });
});
