// The durable outbox of call ends (migration 008, both SQL stores). An entry is
// written with the end itself (updateCallIf's `endNotice`, one statement in
// PostgreSQL, one transaction in SQLite), so an end can never be logged without
// a record that its devices still have to be told. The publishing node removes
// it once it has told them; any node's sweep re-publishes entries past their
// due time, claiming each one first so two sweeping nodes do not both re-send.
import type Database from 'better-sqlite3';
import type pg from 'pg';

export interface DueEnd {
  callId: string;
  /** How many times a sweep has claimed it, this claim included. */
  attempts: number;
}

export interface EndOutboxStore {
  /**
   * Claims up to `limit` entries due by `now`: moves each one's due time to
   * `leaseUntil`, so no other sweep claims it again before then. A claimant that
   * dies leaves the entry to be claimed again after the lease.
   */
  claimDue(now: number, leaseUntil: number, limit: number): Promise<DueEnd[]>;
  /** The call's end was told to its devices: nothing is left to re-send. */
  remove(callId: string): Promise<void>;
  /** How many ends still wait to be confirmed told (for tests and diagnostics). */
  pending(): Promise<number>;
}

/** SQLite: the entry inserted in the end's transaction (call id, due time). */
export const INSERT_END_NOTICE = 'INSERT INTO call_end_outbox (call_id, due_at) VALUES (?, ?)';

/** PostgreSQL: an end's `UPDATE calls … RETURNING *` and its entry as one statement; `dueAt` is the due time's placeholder. */
export const withEndNotice = (endSql: string, dueAt: string): string =>
  `WITH ended AS (${endSql}), queued AS (INSERT INTO call_end_outbox (call_id, due_at) SELECT id, ${dueAt}::bigint FROM ended) SELECT * FROM ended`;

type ClaimedRow = { call_id: string; attempts: number };
const toDue = (row: ClaimedRow): DueEnd => ({ callId: row.call_id, attempts: Number(row.attempts) });

export class SqliteEndOutbox implements EndOutboxStore {
  // One writer at a time in SQLite: the select and the update are one atomic statement.
  private readonly claim: Database.Statement;
  private readonly removal: Database.Statement;
  private readonly count: Database.Statement;

  constructor(db: Database.Database) {
    this.claim = db.prepare(
      `UPDATE call_end_outbox SET due_at = ?, attempts = attempts + 1
       WHERE call_id IN (SELECT call_id FROM call_end_outbox WHERE due_at <= ? ORDER BY due_at LIMIT ?)
       RETURNING call_id, attempts`,
    );
    this.removal = db.prepare('DELETE FROM call_end_outbox WHERE call_id = ?');
    this.count = db.prepare('SELECT count(*) AS n FROM call_end_outbox');
  }

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<DueEnd[]> {
    return (this.claim.all(leaseUntil, now, limit) as ClaimedRow[]).map(toDue);
  }

  async remove(callId: string): Promise<void> {
    this.removal.run(callId);
  }

  async pending(): Promise<number> {
    return (this.count.get() as { n: number }).n;
  }
}

export class PostgresEndOutbox implements EndOutboxStore {
  constructor(private readonly pool: pg.Pool) {}

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<DueEnd[]> {
    // SKIP LOCKED: a row another node is claiming right now is left to it; the outer
    // `due_at <= now` re-checks a row whose claim committed meanwhile.
    const { rows } = await this.pool.query<ClaimedRow>(
      `UPDATE call_end_outbox SET due_at = $2, attempts = attempts + 1
       WHERE call_id IN (SELECT call_id FROM call_end_outbox WHERE due_at <= $1 ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         AND due_at <= $1
       RETURNING call_id, attempts`,
      [now, leaseUntil, limit],
    );
    return rows.map(toDue);
  }

  async remove(callId: string): Promise<void> {
    await this.pool.query('DELETE FROM call_end_outbox WHERE call_id = $1', [callId]);
  }

  async pending(): Promise<number> {
    return (await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM call_end_outbox')).rows[0]?.n ?? 0;
  }
}
