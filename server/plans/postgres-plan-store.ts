// Planned calls in the PostgreSQL store (several nodes). The active-plan cap is
// checked under a per-couple advisory lock; reminder claims are conditional
// updates, so exactly one node wins each (occurrence, kind).
import type pg from 'pg';
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

const PLAN_PLACEHOLDERS = PLAN_COLUMNS.split(',').map((_, i) => `$${i + 1}`).join(', ');
const PLAN_ASSIGNMENTS = PLAN_COLUMNS.split(', ').slice(1).map((column, i) => `${column} = $${i + 2}`).join(', ');
const keyOf = (key: ReminderKey): [string, number, string] => [key.planId, key.occurrenceAt, key.kind];

type Queryable = Pick<pg.PoolClient, 'query'>;
type Transaction = <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

async function insertReminders(client: Queryable, reminders: ReminderRecord[]): Promise<void> {
  if (!reminders.length) return;
  await client.query(
    `INSERT INTO plan_reminders (plan_id, occurrence_at, kind, due_at)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING`,
    [reminders.map((r) => r.planId), reminders.map((r) => r.occurrenceAt), reminders.map((r) => r.kind), reminders.map((r) => r.dueAt)],
  );
}

export class PostgresPlanStore implements PlanStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly transaction: Transaction,
  ) {}

  async listActivePlans(coupleKey: string, now: number): Promise<PlanRecord[]> {
    const { rows } = await this.pool.query<PlanRow>(
      `SELECT ${PLAN_COLUMNS} FROM plans WHERE couple_key = $1 AND status = 'active' AND ends_at >= $2 ORDER BY created_at, id`,
      [coupleKey, now],
    );
    return rows.map(toPlan);
  }

  async getPlan(id: string): Promise<PlanRecord | undefined> {
    const { rows } = await this.pool.query<PlanRow>(`SELECT ${PLAN_COLUMNS} FROM plans WHERE id = $1`, [id]);
    return rows[0] && toPlan(rows[0]);
  }

  async insertPlanUnderCap(plan: PlanRecord, reminders: ReminderRecord[], cap: number, now: number): Promise<boolean> {
    return this.transaction(async (client) => {
      // Two nodes creating a plan for the same couple at once must not both pass the count.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`plans:${plan.coupleKey}`]);
      const { rows } = await client.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM plans WHERE couple_key = $1 AND status = 'active' AND ends_at >= $2", [
        plan.coupleKey,
        now,
      ]);
      if ((rows[0]?.n ?? 0) >= cap) return false;
      await client.query(`INSERT INTO plans (${PLAN_COLUMNS}) VALUES (${PLAN_PLACEHOLDERS})`, planValues(plan));
      await insertReminders(client, reminders);
      return true;
    });
  }

  async updatePlan(plan: PlanRecord, reminders: ReminderRecord[]): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(`UPDATE plans SET ${PLAN_ASSIGNMENTS} WHERE id = $1`, planValues(plan));
      await client.query('DELETE FROM plan_reminders WHERE plan_id = $1 AND claimed_by IS NULL', [plan.id]);
      await insertReminders(client, reminders);
    });
  }

  async dueReminders(now: number, limit: number): Promise<ReminderRecord[]> {
    const { rows } = await this.pool.query<ReminderRow>(
      'SELECT plan_id, occurrence_at, kind, due_at FROM plan_reminders WHERE sent_at IS NULL AND due_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY due_at LIMIT $2',
      [now, limit],
    );
    return rows.map(toReminder);
  }

  async claimReminder(key: ReminderKey, nodeId: string, now: number, leaseMs: number): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE plan_reminders SET claimed_by = $4, claimed_until = $5 WHERE plan_id = $1 AND occurrence_at = $2 AND kind = $3 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $6)',
      [...keyOf(key), nodeId, now + leaseMs, now],
    );
    return result.rowCount === 1;
  }

  async markReminderSent(key: ReminderKey, now: number): Promise<void> {
    await this.pool.query('UPDATE plan_reminders SET sent_at = $4 WHERE plan_id = $1 AND occurrence_at = $2 AND kind = $3', [...keyOf(key), now]);
  }

  async startedReminders(coupleKey: string, since: number): Promise<ReminderRecord[]> {
    const { rows } = await this.pool.query<ReminderRow>(
      `SELECT r.plan_id, r.occurrence_at, r.kind, r.due_at FROM plan_reminders r JOIN plans p ON p.id = r.plan_id
       WHERE p.couple_key = $1 AND p.status = 'active' AND r.claimed_by IS NOT NULL AND r.occurrence_at >= $2 ORDER BY r.due_at`,
      [coupleKey, since],
    );
    return rows.map(toReminder);
  }

  async recordDelivery(key: ReminderKey, userId: string, deviceId: string, now: number): Promise<boolean> {
    const result = await this.pool.query(
      'INSERT INTO plan_reminder_deliveries (plan_id, occurrence_at, kind, user_id, device_id, delivered_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
      [...keyOf(key), userId, deviceId, now],
    );
    return result.rowCount === 1;
  }

  async linkCall(link: { callId: string; planId: string; occurrenceAt: number; via: PlanCallVia }): Promise<void> {
    await this.pool.query('INSERT INTO plan_calls (call_id, plan_id, occurrence_at, via) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
      link.callId,
      link.planId,
      link.occurrenceAt,
      link.via,
    ]);
  }

  async callLinks(planIds: readonly string[], since: number): Promise<PlanCallLink[]> {
    if (!planIds.length) return [];
    const { rows } = await this.pool.query<PlanCallRow>(`${CALL_LINKS_SELECT} WHERE l.plan_id = ANY($1::text[]) AND l.occurrence_at >= $2 ORDER BY c.created_at`, [
      [...planIds],
      since,
    ]);
    return rows.map(toCallLink);
  }

  async setTimeZone(userId: string, timeZone: string, now: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO user_time_zones (user_id, time_zone, updated_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET time_zone = excluded.time_zone, updated_at = excluded.updated_at',
      [userId, timeZone, now],
    );
  }

  async getTimeZone(userId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ time_zone: string }>('SELECT time_zone FROM user_time_zones WHERE user_id = $1', [userId]);
    return rows[0]?.time_zone ?? null;
  }
}
