// The one migration runner the server stores and the desktop caches share.
import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../../server/store/sqlite-migrations';
import { MigrationError, pendingMigrations, runMigrations, userVersionLedger, type Migration } from '../../src-shared/migrations';

const m = (version: number, sql = `CREATE TABLE t${version} (x INTEGER);`): Migration => ({ version, name: `${String(version).padStart(3, '0')}_step.sql`, sql });
const three = [m(1), m(2), m(3)];

describe('which migrations run', () => {
  it('runs the ones not applied yet, in order, up to an optional target', () => {
    expect(pendingMigrations(three, []).map((x) => x.version)).toEqual([1, 2, 3]);
    expect(pendingMigrations(three, [1]).map((x) => x.version)).toEqual([2, 3]);
    expect(pendingMigrations(three, [1], 2).map((x) => x.version)).toEqual([2]);
    expect(pendingMigrations(three, [1, 2, 3])).toEqual([]);
  });

  it('refuses a set with a gap, naming the missing number', () => {
    expect(() => pendingMigrations([m(1), m(3)], [])).toThrow(new MigrationError('migration 002 is missing before 003_step.sql: migrations are numbered 1..n without gaps'));
  });

  it('refuses a number used twice', () => {
    expect(() => pendingMigrations([m(1), m(2), m(2)], [])).toThrow(/migration 002 is numbered twice/);
  });

  it('refuses a database a newer build migrated, saying what to do', () => {
    expect(() => pendingMigrations(three, [1, 2, 3, 4])).toThrow(/migration 004 applied, newer than this build knows \(up to 003\): run a newer build/);
  });

  it('refuses a database that skipped a migration it has later ones of', () => {
    expect(() => pendingMigrations(three, [1, 3])).toThrow(/skipped migration 002_step.sql/);
  });
});

describe('the SQLite ledger (PRAGMA user_version)', () => {
  it('applies each migration with its version, and nothing twice', () => {
    const db = new Database(':memory:');
    expect(runMigrations(userVersionLedger(db), three)).toEqual([1, 2, 3]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(runMigrations(userVersionLedger(db), three)).toEqual([]);
  });

  it('leaves no trace of a migration that fails, and keeps the ones before it', () => {
    const db = new Database(':memory:');
    const broken = [m(1), m(2, 'CREATE TABLE half (x INTEGER); INSERT INTO missing VALUES (1);')];
    expect(() => runMigrations(userVersionLedger(db), broken)).toThrow(/no such table: missing/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
  });
});

describe('migration files', () => {
  it('picks up a newly added numbered file and ignores other files', () => {
    const folder = mkdtempSync(join(tmpdir(), 'migrations-'));
    for (const name of ['001_a.sql', '002_b.sql', 'README.md', 'notes.sql']) writeFileSync(join(folder, name), 'SELECT 1;');
    expect(readMigrations(folder).map((x) => x.name)).toEqual(['001_a.sql', '002_b.sql']);
    writeFileSync(join(folder, '003_c.sql'), 'CREATE TABLE c (x INTEGER);');
    const db = new Database(':memory:');
    expect(runMigrations(userVersionLedger(db), readMigrations(folder))).toEqual([1, 2, 3]);
  });
});
