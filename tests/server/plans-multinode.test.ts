// Plan reminders with two server nodes on the real PostgreSQL and Redis: both
// nodes sweep the same due rows at once, one node restarts in the middle, and a
// node "dies" after reaching one device; every device of both partners still
// gets each reminder exactly once.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, type Heartline } from '../../server/app';
import { loadConfig } from '../../server/config';
import { REMINDER_LEASE_MS } from '../../server/plans/reminder-dispatcher';
import { PostgresStore } from '../../server/store/postgres-store';
import { requireOrSkip } from '../support/requirements';
import { PG_URL, REDIS_URL, postgresAnswers, redisAnswers } from '../support/services';
import { api, closeAllSockets, couple, device, inbox, type ClientSocket } from './helpers';
import { MINUTE, T0, TestClock, awaitReminders, createPlan, isoAt, remindersOf } from './plan-helpers';

const hasPostgres = requireOrSkip('postgres', await postgresAnswers(), `no PostgreSQL at ${PG_URL}`);
const hasRedis = requireOrSkip('redis', await redisAnswers(), `no Redis at ${REDIS_URL}`);

describe.skipIf(!hasPostgres || !hasRedis)('plan reminders on two nodes sharing PostgreSQL and Redis', () => {
  const schema = `hl_test_${randomBytes(5).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'heartline-plan-nodes-'));
  const clock = new TestClock(T0);
  const env = {
    DATABASE_PATH: join(dir, 'unused.db'),
    JWT_SECRET: 'shared-between-nodes',
    REDIS_URL,
    REDIS_CHANNEL_PREFIX: `heartline-test-${randomBytes(4).toString('hex')}`,
    STUN_URLS: '',
    PLAN_SWEEP_MS: '3600000',
  };
  const running = new Set<Heartline>();

  async function startNode(): Promise<{ heartline: Heartline; url: string }> {
    const heartline = await buildApp(loadConfig(env), { store: await PostgresStore.open(PG_URL, { schema }), now: clock.now });
    await heartline.app.listen({ port: 0, host: '127.0.0.1' });
    running.add(heartline);
    return { heartline, url: `http://127.0.0.1:${(heartline.app.server.address() as AddressInfo).port}` };
  }
  async function stopNode(node: { heartline: Heartline }): Promise<void> {
    running.delete(node.heartline);
    await node.heartline.close();
  }

  afterAll(async () => {
    closeAllSockets();
    for (const heartline of running) await heartline.close();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every device gets every reminder once: concurrent sweeps, a restart, and a node dying mid-delivery', async () => {
    let a = await startNode();
    const b = await startNode();
    const { alice, bob } = await couple(a);
    // Each partner has one device on each node.
    const connect = async () => ({
      aliceOnA: await device(a, alice, 'alice-laptop-1'),
      aliceOnB: await device(b, alice, 'alice-phone-1'),
      bobOnA: await device(a, bob, 'bob-laptop-1'),
      bobOnB: await device(b, bob, 'bob-phone-1'),
    });
    let devices = await connect();
    const received = new Map<string, string[]>();
    const collect = (): void => {
      for (const [name, socket] of Object.entries(devices)) received.set(name, [...(received.get(name) ?? []), ...remindersOf(socket)]);
    };

    const first = T0 + 30 * MINUTE;
    const day = 24 * 60 * MINUTE;
    await createPlan(a, alice, { startsAt: isoAt(first), rule: { freq: 'daily', count: 3 }, remindMinutes: 10 });
    const occurrences = [first, first + day, first + 2 * day];
    const expected = occurrences.flatMap((at) => [`lead@${isoAt(at)}`, `now@${isoAt(at)}`]).sort();

    /** Both nodes sweep at once, twice each; returns how many reminders were claimed in all. */
    const sweepEverywhere = async (): Promise<number> => {
      const results = await Promise.all([a, b, a, b].map((node) => node.heartline.plans.reminders.sweep()));
      return results.reduce((sum, r) => sum + r.claimed, 0);
    };
    const allHave = async (count: number): Promise<void> => {
      for (const socket of Object.values(devices)) await awaitReminders(socket, count);
    };

    // Occurrence 1, both reminders, with both nodes racing for each row.
    clock.set(first - 10 * MINUTE);
    expect(await sweepEverywhere()).toBe(1);
    await allHave(1);
    clock.set(first);
    expect(await sweepEverywhere()).toBe(1);
    await allHave(2);

    // Node A restarts: its devices reconnect to the new process, with the same device ids.
    collect();
    closeAllSockets();
    await stopNode(a);
    a = await startNode();
    devices = await connect();

    clock.set(first + day - 10 * MINUTE);
    expect(await sweepEverywhere()).toBe(1);
    await allHave(1);
    clock.set(first + day);
    expect(await sweepEverywhere()).toBe(1);
    await allHave(2);

    // A node claims occurrence 3's lead, reaches Alice's laptop, and dies before the others.
    const store = a.heartline.store.plans;
    const [row] = await store.dueReminders(first + 2 * day - 10 * MINUTE, 10);
    expect(row).toMatchObject({ occurrenceAt: first + 2 * day, kind: 'lead' });
    if (!row) return;
    expect(await store.claimReminder(row, 'node-that-dies', first + 2 * day - 10 * MINUTE, REMINDER_LEASE_MS)).toBe(true);
    expect(await store.recordDelivery(row, alice.user.id, 'alice-laptop-1', first + 2 * day - 10 * MINUTE)).toBe(true);
    a.heartline.io.to(`device:${alice.user.id}:alice-laptop-1`).emit('plan:reminder', { planId: row.planId, occurrence: isoAt(row.occurrenceAt), kind: 'lead' });
    await awaitReminders(devices.aliceOnA, 1);
    // While its lease holds nobody else takes the row; after it, one node finishes the job for the other three devices.
    clock.set(first + 2 * day - 10 * MINUTE + REMINDER_LEASE_MS - 1);
    expect(await sweepEverywhere()).toBe(0);
    clock.set(first + 2 * day - 10 * MINUTE + REMINDER_LEASE_MS + 1);
    expect(await sweepEverywhere()).toBe(1);
    await allHave(1);
    clock.set(first + 2 * day);
    expect(await sweepEverywhere()).toBe(1);
    await allHave(2);
    expect(await sweepEverywhere()).toBe(0);

    // A barrier: each node tells every device something after all it sent before; once every
    // device has heard both, any duplicate reminder would have arrived.
    await api(a, 'PUT', '/api/me/time-zone', { token: alice.token, body: { timeZone: 'Europe/Istanbul' } });
    await api(b, 'PUT', '/api/me/time-zone', { token: bob.token, body: { timeZone: 'Europe/Berlin' } });
    for (const socket of Object.values(devices) as ClientSocket[]) await inbox(socket).next('plans:changed', () => inbox(socket).all('plans:changed').length >= 2);

    collect();
    const figures = Object.fromEntries([...received].map(([name, got]) => [name, { expected: expected.length, delivered: got.length }]));
    console.log(`plan reminders, two nodes + a restart + a dead node: ${JSON.stringify(figures)}`);
    for (const [name, got] of received) expect(got.sort(), name).toEqual(expected);
  });
});
