// The consent log (migration 007) behaves the same on SQLite and PostgreSQL:
// events come back in order with who and why, and only accepted calls count as recorded.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingLogFor } from '../../server/recording/recording-log';
import { PostgresStore } from '../../server/store/postgres-store';
import { SqliteStore } from '../../server/store/sqlite-store';
import type { Store } from '../../server/store/types';
import { requireOrSkip } from '../support/requirements';

const PG_URL = process.env.HEARTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const hasPostgres = await (async () => {
  try {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
})();
const postgresRuns = requireOrSkip('postgres', hasPostgres, `recording log on PostgreSQL needs PostgreSQL at ${PG_URL}`);

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function sqlite(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'heartline-reclog-'));
  const store = new SqliteStore(join(dir, 'db.sqlite'));
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

async function postgres(): Promise<Store> {
  const schema = `hl_rec_${randomBytes(5).toString('hex')}`;
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

async function seedCall(store: Store): Promise<{ callId: string; alice: string; bob: string }> {
  const alice = randomUUID();
  const bob = randomUUID();
  for (const [id, name] of [[alice, 'alice'], [bob, 'bob']] as const) {
    await store.createUser({ id, username: `${name}${randomBytes(3).toString('hex')}`, displayName: name, passwordHash: 'x', createdAt: 1 });
  }
  const code = randomBytes(4).toString('hex').toUpperCase();
  await store.createInvite({ code, inviterId: alice, createdAt: 1, expiresAt: Date.now() + 60_000 });
  expect(await store.acceptInvite(code, bob, 2)).toMatchObject({ kind: 'paired' });
  const callId = randomUUID();
  await store.createCall({ id: callId, callerId: alice, calleeId: bob, type: 'voice', status: 'ended', createdAt: 1, answeredAt: 2, endedAt: 3, durationSec: 1, endReason: 'hangup', callerDevice: 'a', calleeDevice: 'b', mediaAt: 2, ringDeadline: null, graceDeadline: null });
  return { callId, alice, bob };
}

describe.each([
  ['SQLite', sqlite, true],
  ['PostgreSQL', postgres, postgresRuns],
] as const)('recording log on %s', (_name, open, runs) => {
  it.skipIf(!runs)('keeps consent events in order and marks only accepted calls as recorded', async () => {
    const store = await open();
    const log = recordingLogFor(store);
    const recorded = await seedCall(store);
    const declined = await seedCall(store);
    await log.append(recorded.callId, { kind: 'requested', userId: recorded.alice, at: 10, expiresAt: 30_010 });
    await log.append(recorded.callId, { kind: 'accepted', userId: recorded.bob, at: 20 });
    await log.append(recorded.callId, { kind: 'stopped', userId: recorded.alice, at: 30, reason: 'failed', detail: 'disk full' });
    await log.append(declined.callId, { kind: 'requested', userId: declined.bob, at: 10, expiresAt: 30_010 });
    await log.append(declined.callId, { kind: 'declined', userId: declined.alice, at: 11 });

    expect(await log.list(recorded.callId)).toEqual([
      { kind: 'requested', userId: recorded.alice, at: 10, expiresAt: 30_010, reason: null, detail: null },
      { kind: 'accepted', userId: recorded.bob, at: 20, expiresAt: null, reason: null, detail: null },
      { kind: 'stopped', userId: recorded.alice, at: 30, expiresAt: null, reason: 'failed', detail: 'disk full' },
    ]);
    expect(await log.recordedAmong([recorded.callId, declined.callId, randomUUID()])).toEqual(new Set([recorded.callId]));
    expect(await log.recordedAmong([])).toEqual(new Set());
  });
});
