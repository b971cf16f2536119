// The SQLite history cache under Node with real temp files: WAL, one test per
// migration, idempotent merges, and a crash in the middle of a write.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src-main/cache/migrate.node.js';
import { CACHE_MIGRATIONS } from '../../src-main/cache/migrations/index';
import { SqliteHistoryCache } from '../../src-main/cache/sqlite-history-cache.node.js';
import { makeCall } from './main-fixtures';

const folders: string[] = [];
const open: { close(): void }[] = [];
afterEach(() => {
  open.splice(0).forEach((db) => db.close());
  folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true }));
});
function tempDb(): string {
  const folder = mkdtempSync(join(tmpdir(), 'heartline-cache-'));
  folders.push(folder);
  return join(folder, 'history.sqlite');
}
function rawDb(file: string): Database.Database {
  const db = new Database(file);
  open.push(db);
  return db;
}
function cache(file: string, options: { afterRowWritten?: (index: number) => void } = {}): SqliteHistoryCache {
  const instance = new SqliteHistoryCache(file, { migrations: CACHE_MIGRATIONS, ...options });
  open.push(instance);
  return instance;
}
const columns = (db: Database.Database) => (db.prepare('PRAGMA table_info(calls)').all() as { name: string }[]).map((column) => column.name);

describe('cache migrations', () => {
  it('001_calls: creates the calls table and its newest-first index', () => {
    const db = rawDb(tempDb());
    expect(migrate(db, CACHE_MIGRATIONS, 1)).toEqual([1]);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(columns(db)).toEqual(['id', 'caller_id', 'callee_id', 'type', 'status', 'created_at', 'answered_at', 'ended_at', 'duration_sec', 'end_reason']);
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls'").all() as { name: string }[]).map((row) => row.name);
    expect(indexes).toContain('calls_created_at');
    // The CHECK constraints hold: a status the protocol does not know is refused.
    expect(() =>
      db.prepare("INSERT INTO calls (id, caller_id, callee_id, type, status, created_at) VALUES ('x', 'a', 'b', 'voice', 'lost', '2026')").run(),
    ).toThrow(/CHECK constraint/);
  });

  it('002_missed_seen: adds the seen flag, keeping the rows cached before it (as unseen)', () => {
    const db = rawDb(tempDb());
    migrate(db, CACHE_MIGRATIONS, 1);
    db.prepare(
      "INSERT INTO calls (id, caller_id, callee_id, type, status, created_at, duration_sec) VALUES ('old', 'partner', 'me', 'video', 'missed', '2026-01-01T00:00:00.000Z', 0)",
    ).run();
    expect(migrate(db, CACHE_MIGRATIONS)).toEqual([2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(columns(db)).toContain('seen');
    expect(db.prepare("SELECT id, status, seen FROM calls WHERE id = 'old'").get()).toEqual({ id: 'old', status: 'missed', seen: 0 });
    expect(() => db.prepare("UPDATE calls SET seen = 2 WHERE id = 'old'").run()).toThrow(/CHECK constraint/);
  });

  it('bundles exactly the numbered .sql files of the migrations folder', () => {
    const folder = fileURLToPath(new URL('../../src-main/cache/migrations', import.meta.url));
    expect(CACHE_MIGRATIONS).toEqual(readMigrations(folder));
  });

  it('runs each migration once, and refuses a database newer than the app', () => {
    const db = rawDb(tempDb());
    expect(migrate(db, CACHE_MIGRATIONS)).toEqual([1, 2]);
    expect(migrate(db, CACHE_MIGRATIONS)).toEqual([]);
    db.pragma('user_version = 99');
    expect(() => migrate(db, CACHE_MIGRATIONS)).toThrow(/newer than this build knows/);
  });

  it('rolls a failing migration back completely', () => {
    const db = rawDb(tempDb());
    const broken = [...CACHE_MIGRATIONS, { version: 3, name: '003_broken.sql', sql: 'CREATE TABLE extra (id TEXT); SELECT * FROM no_such_table;' }];
    expect(() => migrate(db, broken)).toThrow(/no such table/);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ n: 0 });
  });
});

describe('SqliteHistoryCache', () => {
  it('opens in WAL mode and survives a reopen', () => {
    const file = tempDb();
    const first = cache(file);
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const call = makeCall({ status: 'ended', durationSec: 42, answeredAt: '2026-01-01T12:00:05.000Z', endedAt: '2026-01-01T12:00:47.000Z', endReason: 'hangup' });
    first.merge([call]);
    first.close();
    expect(cache(file).recent(10)).toEqual([call]);
  });

  it('merges idempotently, the server winning, newest first', () => {
    const history = cache(tempDb());
    const a = makeCall({ status: 'ringing' });
    const b = makeCall({ status: 'ended' });
    expect(history.merge([a, b]).writes).toHaveLength(2);
    expect(history.merge([a, b])).toEqual({ writes: [], newlyMissed: [] });
    const missed = { ...a, status: 'missed' as const, endReason: 'timeout' as const };
    expect(history.merge([missed])).toEqual({ writes: [missed], newlyMissed: [missed] });
    expect(history.recent(10)).toEqual([b, missed]);
    expect(history.recent(1)).toEqual([b]);
    // A stale page cannot bring the missed call back to ringing.
    history.merge([a]);
    expect(history.recent(10)[1]?.status).toBe('missed');
  });

  it('counts unseen missed calls to me; a re-merge keeps them seen', () => {
    const history = cache(tempDb());
    const missed = makeCall({ status: 'missed' });
    history.merge([missed, makeCall({ status: 'missed', callerId: 'me', calleeId: 'partner' }), makeCall({ status: 'declined' })]);
    expect(history.missedCount('me')).toBe(1);
    expect(history.unseenMissed('me', 10)).toEqual([missed]);
    history.markMissedSeen('me');
    expect(history.missedCount('me')).toBe(0);
    expect(history.unseenMissed('me', 10)).toEqual([]);
    history.merge([{ ...missed, endReason: 'timeout' }]);
    expect(history.missedCount('me')).toBe(0);
    expect(history.unseenMissed('me', 10)).toEqual([]);
    history.clear();
    expect(history.recent(10)).toEqual([]);
  });

  it('rolls back a merge that fails half-way', () => {
    const history = cache(tempDb(), {
      afterRowWritten: (index: number) => {
        if (index === 1) throw new Error('disk full');
      },
    });
    expect(() => history.merge([makeCall(), makeCall(), makeCall()])).toThrow('disk full');
    expect(history.recent(10)).toEqual([]);
  });

  it('survives the process being killed in the middle of a merge', () => {
    const file = tempDb();
    const child = fileURLToPath(new URL('./fixtures/main-cache-crash-child.ts', import.meta.url));
    const tsx = new URL('../../node_modules/tsx/dist/esm/index.mjs', import.meta.url).href;
    const result = spawnSync(process.execPath, ['--import', tsx, child, file], { encoding: 'utf8', timeout: 20_000 });
    // The child commits one page, then SIGKILLs itself while writing the second.
    expect(result.signal).toBe('SIGKILL');
    expect(result.stdout).toContain('committed first page');
    expect(result.stdout).toContain('writing row 50 of second page');
    expect(result.stdout).not.toMatch(/still running|second page committed/);

    const reopened = cache(file);
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const ids = reopened.recent(500).map((call) => call.id);
    expect(ids.filter((id) => id.startsWith('first-'))).toHaveLength(10);
    expect(ids.filter((id) => id.startsWith('second-'))).toHaveLength(0);
    // And it keeps working.
    expect(reopened.merge([makeCall({ id: 'after-crash' })]).writes).toHaveLength(1);
  });
});
