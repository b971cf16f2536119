// The embedded default store: one SQLite file in WAL mode (better-sqlite3).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CallStatus } from '../../src-shared/protocol';
import { INSERT_END_NOTICE, SqliteEndOutbox } from '../calls/end-outbox-store';
import { SqlitePlanStore } from '../plans/sqlite-plan-store';
import {
  CALL_COLUMNS,
  STILL_PARTNERS,
  UPDATE_COLUMNS,
  callRowValues,
  graceDueBy,
  graceGuardSql,
  toCall,
  toInvite,
  toRefreshToken,
  toUser,
  type CallRow,
  type InviteRow,
  type RefreshTokenRow,
  type UserRow,
} from './rows';
import { migrate, readMigrations } from './sqlite-migrations';
import { checkInvite, judgeRotation, pairingOutcome } from './store-rules';
import {
  CallInProgressError,
  NotPairedError,
  UsernameTakenError,
  type AcceptInviteResult,
  type CallCursor,
  type CallRecord,
  type CallUpdate,
  type CallUpdateOptions,
  type RotateResult,
  type SessionRef,
  type Store,
  type UserRecord,
} from './types';

export { coupleKey } from './rows';

export const SQLITE_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/sqlite', import.meta.url));

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT');
}

const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

const CHECKPOINTER = new URL('./sqlite-checkpointer.worker.mjs', import.meta.url);

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly checkpointer: Worker | undefined;
  readonly plans: SqlitePlanStore;
  readonly endOutbox: SqliteEndOutbox;

  constructor(path: string, options: { checkpointIntervalMs?: number } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // Whenever the WAL restarts, its file is cut back to this size instead of keeping its high-water mark.
    this.db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    migrate(this.db, readMigrations(SQLITE_MIGRATIONS_DIR));
    this.plans = new SqlitePlanStore(this.db);
    this.endOutbox = new SqliteEndOutbox(this.db);
    if (path !== ':memory:') {
      // Automatic checkpoints run inside a write, on the event loop, with a disk sync:
      // the bench traced the worst ring-latency stalls to them. A worker does them instead.
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new Worker(CHECKPOINTER, { workerData: { path, intervalMs: options.checkpointIntervalMs ?? 2000 } });
      this.checkpointer.unref();
    }
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Each distinct SQL text is prepared once: preparing costs more than running these queries. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** For tests and benchmarks that seed data directly. */
  get raw(): Database.Database {
    return this.db;
  }

  async createUser(user: { id: string; username: string; displayName: string; passwordHash: string; createdAt: number }): Promise<UserRecord> {
    try {
      this.sql('INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(user.id, user.username, user.displayName, user.passwordHash, user.createdAt);
    } catch (error) {
      if (isUniqueViolation(error)) throw new UsernameTakenError(user.username);
      throw error;
    }
    return { ...user, partnerId: null };
  }

  async findUserByUsername(username: string): Promise<UserRecord | undefined> {
    const row = this.sql('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row && toUser(row);
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const row = this.sql('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  async saveRefreshToken(record: { tokenHash: string; userId: string; familyId: string; expiresAt: number }): Promise<void> {
    this.sql('INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at) VALUES (?, ?, ?, ?)')
      .run(record.tokenHash, record.userId, record.familyId, record.expiresAt);
  }

  async rotateRefreshToken(oldHash: string, next: { tokenHash: string; expiresAt: number }, now: number): Promise<RotateResult> {
    return this.db.transaction((): RotateResult => {
      const row = this.sql('SELECT * FROM refresh_tokens WHERE token_hash = ?').get(oldHash) as RefreshTokenRow | undefined;
      const result = judgeRotation(row && toRefreshToken(row), now);
      if (result.kind === 'reused') {
        this.sql('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL').run(now, result.familyId);
      } else if (result.kind === 'rotated') {
        this.sql('UPDATE refresh_tokens SET revoked_at = ? WHERE token_hash = ?').run(now, oldHash);
        this.sql('INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at) VALUES (?, ?, ?, ?)')
          .run(next.tokenHash, result.userId, result.familyId, next.expiresAt);
      }
      return result;
    })();
  }

  async revokeRefreshToken(tokenHash: string, now: number): Promise<SessionRef | undefined> {
    const row = this.sql('SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = ?').get(tokenHash) as
      | { user_id: string; family_id: string }
      | undefined;
    if (!row) return undefined;
    // Logout ends the whole sign-in (every rotation of it), not one link of the chain.
    this.sql('UPDATE refresh_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND family_id = ?').run(now, row.family_id);
    return { userId: row.user_id, familyId: row.family_id };
  }

  async isSessionLive(familyId: string, now: number): Promise<boolean> {
    return this.sql('SELECT 1 FROM refresh_tokens WHERE family_id = ? AND revoked_at IS NULL AND expires_at > ? LIMIT 1').get(familyId, now) !== undefined;
  }

  async createInvite(invite: { code: string; inviterId: string; createdAt: number; expiresAt: number }): Promise<void> {
    this.db.transaction(() => {
      this.revokeOpenInvites(invite.inviterId, invite.inviterId, invite.createdAt);
      this.sql('INSERT INTO invites (code, inviter_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(invite.code, invite.inviterId, invite.createdAt, invite.expiresAt);
    })();
  }

  /** Ends the open codes of these users by expiring them now (kept, so a late try reads "gone"). */
  private revokeOpenInvites(userA: string, userB: string, now: number): void {
    this.sql('UPDATE invites SET expires_at = ? WHERE inviter_id IN (?, ?) AND used_at IS NULL AND expires_at > ?').run(now, userA, userB, now);
  }

  async acceptInvite(code: string, accepterId: string, now: number): Promise<AcceptInviteResult> {
    return this.db.transaction((): AcceptInviteResult => {
      const row = this.sql('SELECT * FROM invites WHERE code = ?').get(code) as InviteRow | undefined;
      const invite = checkInvite(row && toInvite(row), accepterId, now);
      if (invite.kind !== 'open') return invite;
      const partners = this.sql('SELECT partner_id FROM users WHERE id IN (?, ?)').pluck().all(invite.inviterId, accepterId) as (string | null)[];
      const outcome = pairingOutcome(invite.inviterId, partners);
      if (outcome.kind !== 'paired') return outcome;
      this.sql('UPDATE invites SET used_at = ?, used_by = ? WHERE code = ?').run(now, accepterId, code);
      this.revokeOpenInvites(invite.inviterId, accepterId, now);
      this.sql('UPDATE users SET partner_id = ? WHERE id = ?').run(invite.inviterId, accepterId);
      this.sql('UPDATE users SET partner_id = ? WHERE id = ?').run(accepterId, invite.inviterId);
      return outcome;
    })();
  }

  async unpair(userId: string): Promise<string | null> {
    return this.db.transaction((): string | null => {
      const row = this.sql('SELECT partner_id FROM users WHERE id = ?').get(userId) as { partner_id: string | null } | undefined;
      const partnerId = row?.partner_id ?? null;
      if (!partnerId) return null;
      this.sql('UPDATE users SET partner_id = NULL WHERE id IN (?, ?)').run(userId, partnerId);
      return partnerId;
    })();
  }

  async createCall(call: CallRecord): Promise<CallRecord> {
    const insert = this.sql(
      `INSERT INTO calls (${CALL_COLUMNS.join(', ')}) SELECT ${CALL_COLUMNS.map(() => '?').join(', ')}
       WHERE EXISTS (SELECT 1 FROM users WHERE id = ? AND partner_id = ?)`,
    );
    try {
      if (insert.run(...callRowValues(call), call.callerId, call.calleeId).changes === 0) throw new NotPairedError();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.findActiveCall(call.callerId);
      throw new CallInProgressError(existing?.id ?? '');
    }
    return call;
  }

  async getCall(id: string): Promise<CallRecord | undefined> {
    const row = this.sql('SELECT * FROM calls WHERE id = ?').get(id) as CallRow | undefined;
    return row && toCall(row);
  }

  async findActiveCall(userId: string): Promise<CallRecord | undefined> {
    const row = this.sql(
        `SELECT * FROM calls WHERE status IN ('ringing', 'connected') AND (caller_id = ? OR callee_id = ?)
         ORDER BY created_at DESC LIMIT 1`,
      )
      .get(userId, userId) as CallRow | undefined;
    return row && toCall(row);
  }

  async updateCallIf(id: string, expected: CallStatus, patch: CallUpdate, options: CallUpdateOptions = {}): Promise<CallRecord | undefined> {
    const keys = Object.keys(patch) as (keyof CallUpdate)[];
    if (keys.length === 0) return undefined;
    const sets = keys.map((key) => `${UPDATE_COLUMNS[key]} = @${key}`).join(', ');
    const paired = options.whilePaired ? ` AND ${STILL_PARTNERS}` : '';
    const dueBy = graceDueBy(options.grace);
    const update = this.sql(`UPDATE calls SET ${sets} WHERE id = @id AND status = @expected${graceGuardSql(options.grace, '@graceDueBy')}${paired} RETURNING *`);
    const params = { ...patch, id, expected, ...(dueBy === null ? {} : { graceDueBy: dueBy }) };
    const { endNotice } = options;
    const row = endNotice
      ? this.db.transaction(() => {
          const ended = update.get(params) as CallRow | undefined;
          if (ended) this.sql(INSERT_END_NOTICE).run(id, endNotice.dueAt);
          return ended;
        })()
      : (update.get(params) as CallRow | undefined);
    return row && toCall(row);
  }

  async recentCallTimes(key: string, since: number, limit: number): Promise<number[]> {
    const rows = this.sql('SELECT created_at FROM calls WHERE couple_key = ? AND created_at > ? ORDER BY created_at DESC LIMIT ?')
      .all(key, since, limit) as { created_at: number }[];
    return rows.map((row) => row.created_at);
  }

  async listCalls(userId: string, limit: number, before: CallCursor | undefined): Promise<CallRecord[]> {
    // Two index range scans (as caller, as callee), each stopping after `limit` rows,
    // merged: the cost depends on the page size, never on how deep the page is.
    const older = before ? 'AND (created_at, id) < (@createdAt, @id)' : '';
    const rows = this.sql(
        `SELECT * FROM (SELECT * FROM calls WHERE caller_id = @userId ${older} ORDER BY created_at DESC, id DESC LIMIT @limit)
         UNION ALL
         SELECT * FROM (SELECT * FROM calls WHERE callee_id = @userId ${older} ORDER BY created_at DESC, id DESC LIMIT @limit)
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
      )
      .all({ userId, limit, createdAt: before?.createdAt ?? 0, id: before?.id ?? '' }) as CallRow[];
    return rows.map(toCall);
  }

  async listMissed(userId: string, since: number): Promise<CallRecord[]> {
    const rows = this.sql(`SELECT * FROM calls WHERE callee_id = ? AND status = 'missed' AND created_at > ? ORDER BY created_at DESC LIMIT 500`)
      .all(userId, since) as CallRow[];
    return rows.map(toCall);
  }

  async listActiveCalls(): Promise<CallRecord[]> {
    const rows = this.sql(`SELECT * FROM calls WHERE status IN ('ringing', 'connected')`).all() as CallRow[];
    return rows.map(toCall);
  }

  async close(): Promise<void> {
    if (this.checkpointer) {
      // Let the worker close its connection first, so ours is the last one and its
      // close checkpoints the WAL into the database file.
      const exited = new Promise((resolve) => this.checkpointer?.once('exit', resolve));
      this.checkpointer.postMessage('close');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      await this.checkpointer.terminate();
    }
    if (this.db.open) this.db.close();
  }
}
