// Delivers plan reminders exactly once per occurrence, kind and online device,
// whatever the number of nodes: due times are rows in the database that every
// node sweeps; a node claims a row with a conditional update (a lease, so a
// node that dies mid-delivery leaves it to the others), and records each device
// it delivers to, so neither a second node nor a restarted one repeats a device.
import { randomUUID } from 'node:crypto';
import { NOW_REMINDER_FRESH_MS, isReminderFresh, upcomingOccurrences, type PlanReminderEvent } from '../../src-shared/plans';
import type { Notifier } from '../calls/call-service';
import { coupleKey } from '../store/rows';
import type { Store } from '../store/types';
import type { ReminderKey, ReminderRecord } from './plan-store';

/** How long a node's claim on a reminder lasts before another node may take it over. */
export const REMINDER_LEASE_MS = 30_000;
const SWEEP_BATCH = 200;

const toEvent = (reminder: ReminderKey): PlanReminderEvent => ({
  planId: reminder.planId,
  occurrence: new Date(reminder.occurrenceAt).toISOString(),
  kind: reminder.kind,
});

/** Which devices of a user are connected right now, on any node. */
export interface DeviceDirectory {
  onlineDevices(userId: string): Promise<string[]>;
}

export interface SweepResult {
  /** Reminders this node claimed. */
  claimed: number;
  /** Events sent to devices. */
  delivered: number;
}

export class ReminderDispatcher {
  /** This process's name in claims. */
  readonly nodeId = randomUUID();

  constructor(
    private readonly store: Store,
    private readonly notifier: Notifier,
    private readonly devices: DeviceDirectory,
    private readonly now: () => number,
  ) {}

  /** Claims and delivers every due reminder (run on a timer by every node). */
  async sweep(): Promise<SweepResult> {
    const now = this.now();
    const result: SweepResult = { claimed: 0, delivered: 0 };
    for (const reminder of await this.store.plans.dueReminders(now, SWEEP_BATCH)) {
      if (!(await this.store.plans.claimReminder(reminder, this.nodeId, now, REMINDER_LEASE_MS))) continue;
      result.claimed += 1;
      if (isReminderFresh(reminder, now)) result.delivered += await this.deliver(reminder, now);
      await this.store.plans.markReminderSent(reminder, now);
    }
    return result;
  }

  /** A device that connects after a reminder went out still gets it while it is fresh (and only once). */
  async deviceOnline(userId: string, deviceId: string, send: (event: PlanReminderEvent) => void): Promise<number> {
    const user = await this.store.findUserById(userId);
    if (!user?.partnerId) return 0;
    const now = this.now();
    const started = await this.store.plans.startedReminders(coupleKey(userId, user.partnerId), now - NOW_REMINDER_FRESH_MS);
    let delivered = 0;
    for (const reminder of started.filter((r) => isReminderFresh(r, now))) {
      if (!(await this.stillWanted(reminder, userId))) continue;
      if (await this.store.plans.recordDelivery(reminder, userId, deviceId, now)) {
        send(toEvent(reminder));
        delivered += 1;
      }
    }
    return delivered;
  }

  private async deliver(reminder: ReminderRecord, now: number): Promise<number> {
    const plan = await this.store.plans.getPlan(reminder.planId);
    if (!plan) return 0;
    const [first, second] = plan.coupleKey.split(':');
    let delivered = 0;
    for (const userId of [first, second]) {
      if (!userId || !(await this.stillWanted(reminder, userId))) continue;
      for (const deviceId of await this.devices.onlineDevices(userId)) {
        if (await this.deliverTo(reminder, userId, deviceId, now)) delivered += 1;
      }
    }
    return delivered;
  }

  /** The plan is still active, still the couple's, and the occurrence is still one of it (not skipped or moved since the row was written). */
  private async stillWanted(reminder: ReminderKey, userId: string): Promise<boolean> {
    const plan = await this.store.plans.getPlan(reminder.planId);
    const user = await this.store.findUserById(userId);
    if (!plan || plan.status !== 'active' || !user?.partnerId) return false;
    if (coupleKey(userId, user.partnerId) !== plan.coupleKey) return false;
    return upcomingOccurrences(plan, reminder.occurrenceAt, 1)[0] === reminder.occurrenceAt;
  }

  private async deliverTo(reminder: ReminderRecord, userId: string, deviceId: string, now: number): Promise<boolean> {
    if (!(await this.store.plans.recordDelivery(reminder, userId, deviceId, now))) return false;
    this.notifier.toDevice(userId, deviceId, 'plan:reminder', toEvent(reminder));
    return true;
  }
}
