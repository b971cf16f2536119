// One test per SQL migration of the server's SQLite store.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS_DIR } from '../../server/store/sqlite-store';
import { migrate, readMigrations } from '../../server/store/sqlite-migrations';

const migrations = readMigrations(SQLITE_MIGRATIONS_DIR);

describe('server migrations', () => {
  it('are numbered 1..n, each number once, in order (the runner refuses anything else)', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('001_init: creates the tables, the history indexes, and one live call per couple', () => {
    const db = new Database(':memory:');
    expect(migrate(db, migrations.slice(0, 1))).toEqual([1]);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['calls', 'invites', 'refresh_tokens', 'users']);

    db.prepare("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ('a', 'a', 'A', 'h', 0), ('b', 'b', 'B', 'h', 0)").run();
    const insert = db.prepare(
      "INSERT INTO calls (id, caller_id, callee_id, couple_key, type, status, created_at, caller_device) VALUES (?, 'a', 'b', 'a:b', 'video', ?, ?, 'd')",
    );
    insert.run('c1', 'ringing', 1);
    expect(() => insert.run('c2', 'connected', 2)).toThrow(/UNIQUE/);
    insert.run('c3', 'missed', 3);
    expect(() => insert.run('c4', 'lost', 4)).toThrow(/CHECK/);

    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM calls WHERE caller_id = 'a' AND (created_at, id) < (5, 'z') ORDER BY created_at DESC, id DESC LIMIT 20")
      .all()
      .map((row) => (row as { detail: string }).detail)
      .join(' ');
    expect(plan).toContain('calls_by_caller');
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it('running migrate again applies nothing', () => {
    const db = new Database(':memory:');
    migrate(db, migrations);
    expect(migrate(db, migrations)).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version);
  });
});

describe('server migration 002_live_calls', () => {
  it('finds a live call through the partial indexes, not by reading the history', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 2));
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT * FROM calls WHERE status IN ('ringing', 'connected') AND (caller_id = 'a' OR callee_id = 'a') ORDER BY created_at DESC LIMIT 1",
      )
      .all()
      .map((row) => (row as { detail: string }).detail)
      .join(' | ');
    expect(plan).toContain('calls_live_by_caller');
    expect(plan).toContain('calls_live_by_callee');
  });
});

describe('server migration 004_security_limits', () => {
  it('counts a couple\'s recent calls and finds a user\'s open invites through indexes', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version <= 4));
    const plan = (sql: string) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((row) => (row as { detail: string }).detail)
        .join(' ');
    expect(plan("SELECT created_at FROM calls WHERE couple_key = 'a:b' AND created_at > 5 ORDER BY created_at DESC LIMIT 12")).toContain('calls_by_couple');
    expect(plan("UPDATE invites SET expires_at = 1 WHERE inviter_id IN ('a', 'b') AND used_at IS NULL AND expires_at > 1")).toContain('invites_open_by_inviter');
  });
});

describe('server migration 006_plans', () => {
  const upTo6 = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.filter((m) => m.version <= 6));
    db.prepare("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ('a', 'a', 'A', 'h', 0), ('b', 'b', 'B', 'h', 0)").run();
    db.prepare(
      "INSERT INTO plans (id, couple_key, created_by, type, start_local, time_zone, remind_minutes, status, ends_at, created_at, updated_at) VALUES ('p', 'a:b', 'a', 'voice', '2030-01-01T21:00', 'UTC', 10, 'active', 1, 0, 0)",
    ).run();
    return db;
  };

  it('keeps one reminder row per occurrence and kind, and one delivery per device', () => {
    const db = upTo6();
    const reminder = db.prepare("INSERT INTO plan_reminders (plan_id, occurrence_at, kind, due_at) VALUES ('p', 100, ?, 90)");
    reminder.run('lead');
    reminder.run('now');
    expect(() => reminder.run('lead')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => reminder.run('soon')).toThrow(/CHECK/);
    const delivery = db.prepare("INSERT INTO plan_reminder_deliveries (plan_id, occurrence_at, kind, user_id, device_id, delivered_at) VALUES ('p', 100, 'lead', 'a', ?, 95)");
    delivery.run('laptop');
    delivery.run('phone');
    expect(() => delivery.run('laptop')).toThrow(/UNIQUE|PRIMARY/);
  });

  it('finds due reminders through the partial index', () => {
    const db = upTo6();
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT plan_id FROM plan_reminders WHERE sent_at IS NULL AND due_at <= 5 ORDER BY due_at LIMIT 10')
      .all()
      .map((row) => (row as { detail: string }).detail)
      .join(' ');
    expect(plan).toContain('plan_reminders_due');
  });
});

describe('server migration 005_call_media', () => {
  it('adds media_at to calls, empty for calls logged before it', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version < 5));
    db.prepare("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ('a', 'a', 'A', 'h', 0), ('b', 'b', 'B', 'h', 0)").run();
    db.prepare("INSERT INTO calls (id, caller_id, callee_id, couple_key, type, status, created_at, caller_device) VALUES ('c', 'a', 'b', 'a:b', 'video', 'ended', 0, 'd')").run();
    expect(migrate(db, migrations.filter((m) => m.version <= 5))).toEqual([5]);
    expect(db.prepare("SELECT media_at FROM calls WHERE id = 'c'").pluck().get()).toBeNull();
    db.prepare("UPDATE calls SET media_at = 42 WHERE id = 'c'").run();
    expect(db.prepare("SELECT media_at FROM calls WHERE id = 'c'").pluck().get()).toBe(42);
  });
});
