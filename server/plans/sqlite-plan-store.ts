// Planned calls in the embedded SQLite store. One process owns the file, and
// better-sqlite3 runs each transaction synchronously, so check-then-write is atomic.
import type Database from 'better-sqlite3';
import type { PlanCallLink, PlanCallVia } from '../../src-shared/plans';
import {
  CALL_LINKS_SELECT,
  PLAN_COLUMNS,
  planValues,
  toCallLink,
  toPlan,
  toReminder,
  type PlanCallRow,
  type PlanRecord,
  type PlanRow,
  type PlanStore,
  type ReminderKey,
  type ReminderRecord,
  type ReminderRow,
} from './plan-store';

const PLAN_PLACEHOLDERS = PLAN_COLUMNS.split(',').map(() => '?').join(', ');
const keyOf = (key: ReminderKey): [string, number, string] => [key.planId, key.occurrenceAt, key.kind];

export class SqlitePlanStore implements PlanStore {
  constructor(private readonly db: Database.Database) {}

  private insertReminders(reminders: ReminderRecord[]): void {
    const insert = this.db.prepare('INSERT INTO plan_reminders (plan_id, occurrence_at, kind, due_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    for (const r of reminders) insert.run(r.planId, r.occurrenceAt, r.kind, r.dueAt);
  }

  async listActivePlans(coupleKey: string, now: number): Promise<PlanRecord[]> {
    const rows = this.db
      .prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE couple_key = ? AND status = 'active' AND ends_at >= ? ORDER BY created_at, id`)
      .all(coupleKey, now) as PlanRow[];
    return rows.map(toPlan);
  }

  async getPlan(id: string): Promise<PlanRecord | undefined> {
    const row = this.db.prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE id = ?`).get(id) as PlanRow | undefined;
    return row && toPlan(row);
  }

  async insertPlanUnderCap(plan: PlanRecord, reminders: ReminderRecord[], cap: number, now: number): Promise<boolean> {
    return this.db.transaction((): boolean => {
      const active = this.db.prepare("SELECT COUNT(*) FROM plans WHERE couple_key = ? AND status = 'active' AND ends_at >= ?").pluck().get(plan.coupleKey, now) as number;
      if (active >= cap) return false;
      this.db.prepare(`INSERT INTO plans (${PLAN_COLUMNS}) VALUES (${PLAN_PLACEHOLDERS})`).run(...planValues(plan));
      this.insertReminders(reminders);
      return true;
    })();
  }

  async updatePlan(plan: PlanRecord, reminders: ReminderRecord[]): Promise<void> {
    this.db.transaction(() => {
      const [id, ...rest] = planValues(plan);
      const assignments = PLAN_COLUMNS.split(', ').slice(1).map((column) => `${column} = ?`).join(', ');
      this.db.prepare(`UPDATE plans SET ${assignments} WHERE id = ?`).run(...rest, id);
      this.db.prepare('DELETE FROM plan_reminders WHERE plan_id = ? AND claimed_by IS NULL').run(plan.id);
      this.insertReminders(reminders);
    })();
  }

  async dueReminders(now: number, limit: number): Promise<ReminderRecord[]> {
    const rows = this.db
      .prepare(
        'SELECT plan_id, occurrence_at, kind, due_at FROM plan_reminders WHERE sent_at IS NULL AND due_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY due_at LIMIT ?',
      )
      .all(now, now, limit) as ReminderRow[];
    return rows.map(toReminder);
  }

  async claimReminder(key: ReminderKey, nodeId: string, now: number, leaseMs: number): Promise<boolean> {
    const result = this.db
      .prepare(
        'UPDATE plan_reminders SET claimed_by = ?, claimed_until = ? WHERE plan_id = ? AND occurrence_at = ? AND kind = ? AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?)',
      )
      .run(nodeId, now + leaseMs, ...keyOf(key), now);
    return result.changes === 1;
  }

  async markReminderSent(key: ReminderKey, now: number): Promise<void> {
    this.db.prepare('UPDATE plan_reminders SET sent_at = ? WHERE plan_id = ? AND occurrence_at = ? AND kind = ?').run(now, ...keyOf(key));
  }

  async startedReminders(coupleKey: string, since: number): Promise<ReminderRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT r.plan_id, r.occurrence_at, r.kind, r.due_at FROM plan_reminders r JOIN plans p ON p.id = r.plan_id
         WHERE p.couple_key = ? AND p.status = 'active' AND r.claimed_by IS NOT NULL AND r.occurrence_at >= ? ORDER BY r.due_at`,
      )
      .all(coupleKey, since) as ReminderRow[];
    return rows.map(toReminder);
  }

  async recordDelivery(key: ReminderKey, userId: string, deviceId: string, now: number): Promise<boolean> {
    const result = this.db
      .prepare(
        'INSERT INTO plan_reminder_deliveries (plan_id, occurrence_at, kind, user_id, device_id, delivered_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(...keyOf(key), userId, deviceId, now);
    return result.changes === 1;
  }

  async linkCall(link: { callId: string; planId: string; occurrenceAt: number; via: PlanCallVia }): Promise<void> {
    this.db.prepare('INSERT INTO plan_calls (call_id, plan_id, occurrence_at, via) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(link.callId, link.planId, link.occurrenceAt, link.via);
  }

  async callLinks(planIds: readonly string[], since: number): Promise<PlanCallLink[]> {
    if (!planIds.length) return [];
    const rows = this.db
      .prepare(`${CALL_LINKS_SELECT} WHERE l.plan_id IN (${planIds.map(() => '?').join(', ')}) AND l.occurrence_at >= ? ORDER BY c.created_at`)
      .all(...planIds, since) as PlanCallRow[];
    return rows.map(toCallLink);
  }

  async setTimeZone(userId: string, timeZone: string, now: number): Promise<void> {
    this.db
      .prepare('INSERT INTO user_time_zones (user_id, time_zone, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET time_zone = excluded.time_zone, updated_at = excluded.updated_at')
      .run(userId, timeZone, now);
  }

  async getTimeZone(userId: string): Promise<string | null> {
    return (this.db.prepare('SELECT time_zone FROM user_time_zones WHERE user_id = ?').pluck().get(userId) as string | undefined) ?? null;
  }
}
