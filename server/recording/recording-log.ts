// Where the consent events of call recordings are kept: the recording_events
// table (migration 007), in whichever store the server runs on.
import type pg from 'pg';
import type Database from 'better-sqlite3';
import type { RecordingLogEntry } from '../../src-shared/recording';
import { PostgresStore } from '../store/postgres-store';
import { SqliteStore } from '../store/sqlite-store';
import type { Store } from '../store/types';

export interface RecordingLog {
  append(callId: string, entry: RecordingLogEntry): Promise<void>;
  /** A call's consent events, oldest first. */
  list(callId: string): Promise<RecordingLogEntry[]>;
  /** Which of these calls were recorded (a partner accepted a request). */
  recordedAmong(callIds: readonly string[]): Promise<Set<string>>;
}

interface EventRow {
  kind: RecordingLogEntry['kind'];
  user_id: string | null;
  at: number;
  expires_at: number | null;
  reason: RecordingLogEntry['reason'];
  detail: string | null;
}

const toEntry = (row: EventRow): RecordingLogEntry => ({
  kind: row.kind,
  userId: row.user_id,
  at: Number(row.at),
  expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  reason: row.reason,
  detail: row.detail,
});

const COLUMNS = 'call_id, kind, user_id, at, expires_at, reason, detail';
const values = (callId: string, e: RecordingLogEntry): unknown[] => [callId, e.kind, e.userId, e.at, e.expiresAt ?? null, e.reason ?? null, e.detail ?? null];

export class SqliteRecordingLog implements RecordingLog {
  constructor(private readonly db: Database.Database) {}

  async append(callId: string, entry: RecordingLogEntry): Promise<void> {
    this.db.prepare(`INSERT INTO recording_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(...values(callId, entry));
  }

  async list(callId: string): Promise<RecordingLogEntry[]> {
    return (this.db.prepare('SELECT * FROM recording_events WHERE call_id = ? ORDER BY id').all(callId) as EventRow[]).map(toEntry);
  }

  async recordedAmong(callIds: readonly string[]): Promise<Set<string>> {
    if (!callIds.length) return new Set();
    const marks = callIds.map(() => '?').join(', ');
    const rows = this.db.prepare(`SELECT DISTINCT call_id FROM recording_events WHERE kind = 'accepted' AND call_id IN (${marks})`).all(...callIds) as { call_id: string }[];
    return new Set(rows.map((row) => row.call_id));
  }
}

export class PostgresRecordingLog implements RecordingLog {
  constructor(private readonly pool: pg.Pool) {}

  async append(callId: string, entry: RecordingLogEntry): Promise<void> {
    await this.pool.query(`INSERT INTO recording_events (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, values(callId, entry));
  }

  async list(callId: string): Promise<RecordingLogEntry[]> {
    return (await this.pool.query<EventRow>('SELECT * FROM recording_events WHERE call_id = $1 ORDER BY id', [callId])).rows.map(toEntry);
  }

  async recordedAmong(callIds: readonly string[]): Promise<Set<string>> {
    if (!callIds.length) return new Set();
    const rows = await this.pool.query<{ call_id: string }>(
      "SELECT DISTINCT call_id FROM recording_events WHERE kind = 'accepted' AND call_id = ANY($1::text[])",
      [callIds],
    );
    return new Set(rows.rows.map((row) => row.call_id));
  }
}

/** The log beside the store's own tables. */
export function recordingLogFor(store: Store): RecordingLog {
  if (store instanceof SqliteStore) return new SqliteRecordingLog(store.raw);
  if (store instanceof PostgresStore) return new PostgresRecordingLog(store.rawPool);
  throw new Error('recording needs the SQLite or PostgreSQL store');
}
