// Seeds users, couples and calls straight into a Heartline SQLite file (through
// SqliteStore, so the schema and migrations are the server's own): thousands of
// scrypt registrations would measure scrypt, not the thing under test.
import { randomUUID } from 'node:crypto';
import { coupleKey, type SqliteStore } from '../../server/store/sqlite-store';

export interface SeededUser {
  id: string;
  username: string;
}

export interface Couple {
  a: SeededUser;
  b: SeededUser;
}

/** Inserts `count` paired couples in one transaction. The password hash is a placeholder: nobody logs in. */
export function seedCouples(store: SqliteStore, count: number, prefix = 'bench'): Couple[] {
  const db = store.raw;
  const insert = db.prepare(
    'INSERT INTO users (id, username, display_name, password_hash, partner_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const setPartner = db.prepare('UPDATE users SET partner_id = ? WHERE id = ?');
  const couples: Couple[] = [];
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const a = { id: randomUUID(), username: `${prefix}_${i}_a` };
      const b = { id: randomUUID(), username: `${prefix}_${i}_b` };
      insert.run(a.id, a.username, `A ${i}`, 'seeded:no-login', null, now);
      insert.run(b.id, b.username, `B ${i}`, 'seeded:no-login', a.id, now);
      setPartner.run(b.id, a.id);
      couples.push({ a, b });
    }
  })();
  return couples;
}

export interface CallSeedOptions {
  /** All calls, the heavy couple's included; the rest are spread evenly over the other couples. */
  totalCalls: number;
  /** Calls of the one couple with years of history. */
  heavyCalls: number;
  /** Minutes between two calls of the heavy couple. */
  heavySpacingMin: number;
}

/**
 * Inserts finished calls: couples[0] is the heavy couple. One transaction, one
 * prepared statement; ids are random UUIDs like the server's. Returns the row count.
 */
export function seedCalls(store: SqliteStore, couples: readonly Couple[], options: CallSeedOptions): number {
  const db = store.raw;
  const insert = db.prepare(
    `INSERT INTO calls (id, caller_id, callee_id, couple_key, type, status, created_at, answered_at, ended_at,
                        duration_sec, end_reason, caller_device, callee_device)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now();
  const year = 365 * 24 * 3600_000;
  let rows = 0;
  // A deterministic generator, so two runs seed the same shape.
  let state = 0x9e3779b9;
  const rand = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const add = (couple: Couple, createdAt: number): void => {
    const aCalls = rand() < 0.5;
    const caller = aCalls ? couple.a : couple.b;
    const callee = aCalls ? couple.b : couple.a;
    const roll = rand();
    const type = rand() < 0.6 ? 'video' : 'voice';
    let status: 'ended' | 'missed' | 'declined';
    let answeredAt: number | null = null;
    let endedAt: number;
    let duration = 0;
    let reason: string;
    if (roll < 0.12) {
      status = 'missed';
      endedAt = createdAt + 45_000;
      reason = roll < 0.06 ? 'timeout' : 'canceled';
    } else if (roll < 0.17) {
      status = 'declined';
      endedAt = createdAt + 4_000;
      reason = 'declined';
    } else {
      status = 'ended';
      answeredAt = createdAt + 3_000;
      duration = Math.floor(rand() * 3600);
      endedAt = answeredAt + duration * 1000;
      reason = 'hangup';
    }
    insert.run(
      randomUUID(),
      caller.id,
      callee.id,
      coupleKey(caller.id, callee.id),
      type,
      status,
      createdAt,
      answeredAt,
      endedAt,
      duration,
      reason,
      'seed-device-1',
      status === 'ended' ? 'seed-device-2' : null,
    );
    rows++;
  };
  db.transaction(() => {
    const [heavy, ...rest] = couples;
    if (heavy) {
      for (let i = 0; i < options.heavyCalls; i++) add(heavy, now - (i + 1) * options.heavySpacingMin * 60_000 - Math.floor(rand() * 60_000));
    }
    const remaining = Math.max(0, options.totalCalls - (heavy ? options.heavyCalls : 0));
    rest.forEach((couple, j) => {
      const count = Math.floor(remaining / rest.length) + (j < remaining % rest.length ? 1 : 0);
      for (let i = 0; i < count; i++) add(couple, now - Math.floor(rand() * year));
    });
  })();
  return rows;
}

/** A live sign-in for a seeded user (access tokens name one; it must exist for the server to accept them). */
export function seedSession(store: SqliteStore, userId: string): string {
  const familyId = randomUUID();
  store.raw
    .prepare('INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at) VALUES (?, ?, ?, ?)')
    .run(`seeded-${familyId}`, userId, familyId, Date.now() + 24 * 3600_000);
  return familyId;
}
