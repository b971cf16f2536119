// The local call-history cache: one SQLite file in the user data folder, WAL mode,
// numbered migrations. Every merge is one transaction, so a crash mid-write leaves the
// cache as it was before that merge, never half-merged.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Call, CallStatus, CallType, EndReason } from '../../src-shared/protocol';
import type { HistoryCache } from './history-cache.std';
import { planMerge, type MergePlan } from './history-merge.std';
import { migrate, type Migration } from './migrate.node.js';

export interface SqliteHistoryCacheOptions {
  /**
   * better-sqlite3's compiled addon. Under Node (tests) the default one in node_modules;
   * under Electron a separate build for Electron's ABI (see `npm run rebuild:electron`).
   */
  nativeBinding?: string;
  /** CACHE_MIGRATIONS (migrations/index.ts) in the app: passed in so this file loads under plain Node too. */
  migrations: readonly Migration[];
  /** Test hook: called after each row a merge writes, inside the transaction. */
  afterRowWritten?: (index: number) => void;
}

interface CallRow {
  id: string;
  caller_id: string;
  callee_id: string;
  type: CallType;
  status: CallStatus;
  created_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_sec: number;
  end_reason: EndReason | null;
}

const toCall = (row: CallRow): Call => ({
  id: row.id,
  callerId: row.caller_id,
  calleeId: row.callee_id,
  type: row.type,
  status: row.status,
  createdAt: row.created_at,
  answeredAt: row.answered_at,
  endedAt: row.ended_at,
  durationSec: row.duration_sec,
  endReason: row.end_reason,
});

const MAX_LIMIT = 500;

export class SqliteHistoryCache implements HistoryCache {
  readonly db: Database.Database;
  private readonly statements;

  constructor(
    readonly file: string,
    private readonly options: SqliteHistoryCacheOptions,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    try {
      this.db.pragma('journal_mode = WAL');
      // NORMAL is durable against application crashes in WAL mode (only an OS crash or
      // power loss can drop the last commits, never corrupt the file).
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 2000');
      migrate(this.db, options.migrations);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.statements = {
      recent: this.db.prepare<[number], CallRow>('SELECT * FROM calls ORDER BY created_at DESC, id DESC LIMIT ?'),
      byId: this.db.prepare<[string], CallRow>('SELECT * FROM calls WHERE id = ?'),
      upsert: this.db.prepare(
        `INSERT INTO calls (id, caller_id, callee_id, type, status, created_at, answered_at, ended_at, duration_sec, end_reason)
         VALUES (@id, @callerId, @calleeId, @type, @status, @createdAt, @answeredAt, @endedAt, @durationSec, @endReason)
         ON CONFLICT (id) DO UPDATE SET
           caller_id = excluded.caller_id, callee_id = excluded.callee_id, type = excluded.type,
           status = excluded.status, created_at = excluded.created_at, answered_at = excluded.answered_at,
           ended_at = excluded.ended_at, duration_sec = excluded.duration_sec, end_reason = excluded.end_reason`,
      ),
      missedCount: this.db.prepare<[string], { count: number }>(
        "SELECT COUNT(*) AS count FROM calls WHERE status = 'missed' AND seen = 0 AND callee_id = ?",
      ),
      unseenMissed: this.db.prepare<[string, number], CallRow>(
        "SELECT * FROM calls WHERE status = 'missed' AND seen = 0 AND callee_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
      ),
      markSeen: this.db.prepare<[string]>("UPDATE calls SET seen = 1 WHERE status = 'missed' AND seen = 0 AND callee_id = ?"),
      clear: this.db.prepare('DELETE FROM calls'),
    };
  }

  recent(limit: number): Call[] {
    const bounded = Math.max(0, Math.min(MAX_LIMIT, Math.floor(limit)));
    return this.statements.recent.all(bounded).map(toCall);
  }

  merge(calls: readonly Call[]): MergePlan {
    return this.db.transaction((page: readonly Call[]): MergePlan => {
      const existing = new Map<string, Call>();
      for (const call of page) {
        const row = this.statements.byId.get(call.id);
        if (row) existing.set(row.id, toCall(row));
      }
      const plan = planMerge(existing, page);
      plan.writes.forEach((call, index) => {
        this.statements.upsert.run(call);
        this.options.afterRowWritten?.(index);
      });
      return plan;
    })(calls);
  }

  missedCount(selfId: string): number {
    return this.statements.missedCount.get(selfId)?.count ?? 0;
  }

  unseenMissed(selfId: string, limit: number): Call[] {
    const bounded = Math.max(0, Math.min(MAX_LIMIT, Math.floor(limit)));
    return this.statements.unseenMissed.all(selfId, bounded).map(toCall);
  }

  markMissedSeen(selfId: string): void {
    this.statements.markSeen.run(selfId);
  }

  clear(): void {
    this.statements.clear.run();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
