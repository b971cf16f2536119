// The plan cache in its own SQLite file beside the history cache (WAL, numbered
// migrations). A sync replaces the plans in one transaction.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PlanSchema, type Plan } from '../../src-shared/plans';
import { migrate, type Migration } from '../cache/migrate.node.js';
import type { FiredKey, PlanCache } from './plan-cache.std';

export class SqlitePlanCache implements PlanCache {
  private readonly db: Database.Database;

  constructor(file: string, options: { nativeBinding?: string; migrations: readonly Migration[] }) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    this.db.pragma('journal_mode = WAL');
    migrate(this.db, options.migrations);
  }

  plans(): Plan[] {
    const rows = this.db.prepare('SELECT json FROM plans ORDER BY id').pluck().all() as string[];
    // A row that no longer parses (a format from another version) is skipped, not trusted.
    return rows.flatMap((json) => {
      const parsed = PlanSchema.safeParse(JSON.parse(json));
      return parsed.success ? [parsed.data] : [];
    });
  }

  replacePlans(plans: readonly Plan[]): void {
    const insert = this.db.prepare('INSERT INTO plans (id, json) VALUES (?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM plans').run();
      for (const plan of plans) insert.run(plan.id, JSON.stringify(plan));
    })();
  }

  claimFired(key: FiredKey, at: number): boolean {
    const result = this.db
      .prepare('INSERT INTO fired_reminders (plan_id, occurrence_at, kind, fired_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(key.planId, key.occurrenceAt, key.kind, at);
    return result.changes === 1;
  }

  pruneFired(before: number): void {
    this.db.prepare('DELETE FROM fired_reminders WHERE occurrence_at < ?').run(before);
  }

  close(): void {
    this.db.close();
  }
}
