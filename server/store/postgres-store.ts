// The store for several nodes: PostgreSQL through `pg`. Same schema, same
// semantics as the SQLite store; conditional updates and transactions make the
// races (two devices answering, both partners calling) safe across nodes.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pendingMigrations } from '../../src-shared/migrations';
import type { CallStatus } from '../../src-shared/protocol';
import { PostgresEndOutbox, withEndNotice } from '../calls/end-outbox-store';
import { PostgresPlanStore } from '../plans/postgres-plan-store';
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
import { readMigrations } from './sqlite-migrations';
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

export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/postgres', import.meta.url));

// BIGINT (epoch ms) comes back as a string by default; our times fit a double exactly.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string }).code === '23505';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Ends the open codes of these users by expiring them now (kept, so a late try reads "gone"). */
async function revokeOpenInvites(client: Queryable, userA: string, userB: string, now: number): Promise<void> {
  await client.query('UPDATE invites SET expires_at = $1 WHERE inviter_id IN ($2, $3) AND used_at IS NULL AND expires_at > $1', [now, userA, userB]);
}

export class PostgresStore implements Store {
  readonly plans: PostgresPlanStore;
  readonly endOutbox: PostgresEndOutbox;

  private constructor(private readonly pool: pg.Pool) {
    this.plans = new PostgresPlanStore(pool, (work) => this.transaction(work));
    this.endOutbox = new PostgresEndOutbox(pool);
  }

  /** For tables kept beside the store's own (the recording consent log). */
  get rawPool(): pg.Pool {
    return this.pool;
  }

  /** Connects, and brings the schema up to date (serialized across nodes by an advisory lock). */
  static async open(connectionString: string, options: { schema?: string } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString,
      types,
      max: 10,
      // While PostgreSQL is down or restarting, a query fails within seconds instead of hanging.
      connectionTimeoutMillis: 5000,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle connection that dies (PostgreSQL restarted) leaves the pool and is replaced on next use;
    // without a listener its 'error' event would end the process.
    pool.on('error', () => undefined);
    const store = new PostgresStore(pool);
    if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    await store.migrate();
    return store;
  }

  private async migrate(): Promise<void> {
    const known = readMigrations(POSTGRES_MIGRATIONS_DIR);
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(7364501)');
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      const applied = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version);
      // The one runner decides (src-shared/migrations.ts); this ledger is a table, applied inside this one locked transaction.
      for (const migration of pendingMigrations(known, applied)) {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      }
    });
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async createUser(user: { id: string; username: string; displayName: string; passwordHash: string; createdAt: number }): Promise<UserRecord> {
    try {
      await this.pool.query('INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
        user.id,
        user.username,
        user.displayName,
        user.passwordHash,
        user.createdAt,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new UsernameTakenError(user.username);
      throw error;
    }
    return { ...user, partnerId: null };
  }

  async findUserByUsername(username: string): Promise<UserRecord | undefined> {
    const row = (await this.pool.query<UserRow>('SELECT * FROM users WHERE username = $1', [username])).rows[0];
    return row && toUser(row);
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const row = (await this.pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
    return row && toUser(row);
  }

  async saveRefreshToken(record: { tokenHash: string; userId: string; familyId: string; expiresAt: number }): Promise<void> {
    await this.pool.query('INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at) VALUES ($1, $2, $3, $4)', [
      record.tokenHash,
      record.userId,
      record.familyId,
      record.expiresAt,
    ]);
  }

  async rotateRefreshToken(oldHash: string, next: { tokenHash: string; expiresAt: number }, now: number): Promise<RotateResult> {
    return this.transaction(async (client): Promise<RotateResult> => {
      const row = (await client.query<RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE', [oldHash])).rows[0];
      const result = judgeRotation(row && toRefreshToken(row), now);
      if (result.kind === 'reused') {
        await client.query('UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL', [now, result.familyId]);
      } else if (result.kind === 'rotated') {
        await client.query('UPDATE refresh_tokens SET revoked_at = $1 WHERE token_hash = $2', [now, oldHash]);
        await client.query('INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at) VALUES ($1, $2, $3, $4)', [
          next.tokenHash,
          result.userId,
          result.familyId,
          next.expiresAt,
        ]);
      }
      return result;
    });
  }

  async revokeRefreshToken(tokenHash: string, now: number): Promise<SessionRef | undefined> {
    const row = (await this.pool.query<{ user_id: string; family_id: string }>('SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1', [tokenHash]))
      .rows[0];
    if (!row) return undefined;
    // Logout ends the whole sign-in (every rotation of it), not one link of the chain.
    await this.pool.query('UPDATE refresh_tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND family_id = $2', [now, row.family_id]);
    return { userId: row.user_id, familyId: row.family_id };
  }

  async isSessionLive(familyId: string, now: number): Promise<boolean> {
    const found = await this.pool.query('SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL AND expires_at > $2 LIMIT 1', [familyId, now]);
    return found.rowCount !== null && found.rowCount > 0;
  }

  async createInvite(invite: { code: string; inviterId: string; createdAt: number; expiresAt: number }): Promise<void> {
    await this.transaction(async (client) => {
      await revokeOpenInvites(client, invite.inviterId, invite.inviterId, invite.createdAt);
      await client.query('INSERT INTO invites (code, inviter_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
        invite.code,
        invite.inviterId,
        invite.createdAt,
        invite.expiresAt,
      ]);
    });
  }

  async acceptInvite(code: string, accepterId: string, now: number): Promise<AcceptInviteResult> {
    return this.transaction(async (client): Promise<AcceptInviteResult> => {
      const row = (await client.query<InviteRow>('SELECT * FROM invites WHERE code = $1 FOR UPDATE', [code])).rows[0];
      const invite = checkInvite(row && toInvite(row), accepterId, now);
      if (invite.kind !== 'open') return invite;
      // Lock both users in a fixed order so two acceptances cannot pair anyone twice.
      const partners = (
        await client.query<{ partner_id: string | null }>('SELECT partner_id FROM users WHERE id IN ($1, $2) ORDER BY id FOR UPDATE', [invite.inviterId, accepterId])
      ).rows.map((user) => user.partner_id);
      const outcome = pairingOutcome(invite.inviterId, partners);
      if (outcome.kind !== 'paired') return outcome;
      await client.query('UPDATE invites SET used_at = $1, used_by = $2 WHERE code = $3', [now, accepterId, code]);
      await revokeOpenInvites(client, invite.inviterId, accepterId, now);
      await client.query('UPDATE users SET partner_id = $1 WHERE id = $2', [invite.inviterId, accepterId]);
      await client.query('UPDATE users SET partner_id = $1 WHERE id = $2', [accepterId, invite.inviterId]);
      return outcome;
    });
  }

  async unpair(userId: string): Promise<string | null> {
    return this.transaction(async (client) => {
      const row = (await client.query<{ partner_id: string | null }>('SELECT partner_id FROM users WHERE id = $1 FOR UPDATE', [userId])).rows[0];
      const partnerId = row?.partner_id ?? null;
      if (!partnerId) return null;
      await client.query('UPDATE users SET partner_id = NULL WHERE id IN ($1, $2)', [userId, partnerId]);
      return partnerId;
    });
  }

  async createCall(call: CallRecord): Promise<CallRecord> {
    try {
      await this.transaction(async (client) => {
        // Holding the caller's row (FOR SHARE) makes a concurrent unpair wait for this
        // insert, or this insert see the unpair: a call never outlives the pairing unseen.
        const paired = await client.query('SELECT 1 FROM users WHERE id = $1 AND partner_id = $2 FOR SHARE', [call.callerId, call.calleeId]);
        if (!paired.rowCount) throw new NotPairedError();
        const values = callRowValues(call);
        await client.query(`INSERT INTO calls (${CALL_COLUMNS.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`, values);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.findActiveCall(call.callerId);
      throw new CallInProgressError(existing?.id ?? '');
    }
    return call;
  }

  async getCall(id: string): Promise<CallRecord | undefined> {
    const row = (await this.pool.query<CallRow>('SELECT * FROM calls WHERE id = $1', [id])).rows[0];
    return row && toCall(row);
  }

  async findActiveCall(userId: string): Promise<CallRecord | undefined> {
    const row = (
      await this.pool.query<CallRow>(
        `SELECT * FROM calls WHERE status IN ('ringing', 'connected') AND (caller_id = $1 OR callee_id = $1) ORDER BY created_at DESC LIMIT 1`,
        [userId],
      )
    ).rows[0];
    return row && toCall(row);
  }

  async updateCallIf(id: string, expected: CallStatus, patch: CallUpdate, options: CallUpdateOptions = {}): Promise<CallRecord | undefined> {
    const keys = Object.keys(patch) as (keyof CallUpdate)[];
    if (keys.length === 0) return undefined;
    const params: unknown[] = [id, expected, ...keys.map((key) => patch[key])];
    const sets = keys.map((key, i) => `${UPDATE_COLUMNS[key]} = $${i + 3}`).join(', ');
    const dueBy = graceDueBy(options.grace);
    if (dueBy !== null) params.push(dueBy);
    const paired = options.whilePaired ? ` AND ${STILL_PARTNERS}` : '';
    const where = `id = $1 AND status = $2${graceGuardSql(options.grace, `$${params.length}`)}${paired}`;
    let sql = `UPDATE calls SET ${sets} WHERE ${where} RETURNING *`;
    if (options.endNotice) {
      // One statement: the outbox entry exists exactly when the end was written.
      params.push(options.endNotice.dueAt);
      sql = withEndNotice(sql, `$${params.length}`);
    }
    const row = (await this.pool.query<CallRow>(sql, params)).rows[0];
    return row && toCall(row);
  }

  async recentCallTimes(key: string, since: number, limit: number): Promise<number[]> {
    const rows = (
      await this.pool.query<{ created_at: number }>('SELECT created_at FROM calls WHERE couple_key = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT $3', [
        key,
        since,
        limit,
      ])
    ).rows;
    return rows.map((row) => row.created_at);
  }

  async listCalls(userId: string, limit: number, before: CallCursor | undefined): Promise<CallRecord[]> {
    const older = before ? 'AND (created_at, id) < ($3, $4)' : '';
    const params: unknown[] = before ? [userId, limit, before.createdAt, before.id] : [userId, limit];
    const rows = (
      await this.pool.query<CallRow>(
        `SELECT * FROM (
           (SELECT * FROM calls WHERE caller_id = $1 ${older} ORDER BY created_at DESC, id DESC LIMIT $2)
           UNION ALL
           (SELECT * FROM calls WHERE callee_id = $1 ${older} ORDER BY created_at DESC, id DESC LIMIT $2)
         ) AS page ORDER BY created_at DESC, id DESC LIMIT $2`,
        params,
      )
    ).rows;
    return rows.map(toCall);
  }

  async listMissed(userId: string, since: number): Promise<CallRecord[]> {
    const rows = (
      await this.pool.query<CallRow>(
        `SELECT * FROM calls WHERE callee_id = $1 AND status = 'missed' AND created_at > $2 ORDER BY created_at DESC LIMIT 500`,
        [userId, since],
      )
    ).rows;
    return rows.map(toCall);
  }

  async listActiveCalls(): Promise<CallRecord[]> {
    return (await this.pool.query<CallRow>(`SELECT * FROM calls WHERE status IN ('ringing', 'connected')`)).rows.map(toCall);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** For tests: drop a schema made for them. */
  async query(sql: string): Promise<void> {
    await (this.pool as Queryable).query(sql);
  }
}
