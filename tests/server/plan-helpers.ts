// Shared by the planned-call server tests: a clock the tests move, and short
// ways to make a plan and to count the reminders a device received.
import type { AuthResponse } from '../../src-shared/protocol';
import type { CreatePlanBody, PlanReminderEvent, PlanResponse } from '../../src-shared/plans';
import { api, inbox, type ClientSocket } from './helpers';

/** The plans' clock: starts at a fixed instant, moves only when told. */
export class TestClock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
  set(ms: number): void {
    this.ms = ms;
  }
}

/** 2030-01-06 (a Sunday) 12:00 UTC: far from any DST switch, in the future for every validator. */
export const T0 = Date.UTC(2030, 0, 6, 12, 0);
export const MINUTE = 60_000;
export const isoAt = (ms: number): string => new Date(ms).toISOString();

export async function createPlan(server: { url: string }, who: AuthResponse, body: Partial<CreatePlanBody> & { startsAt: string }): Promise<PlanResponse['plan']> {
  const reply = await api<PlanResponse>(server, 'POST', '/api/plans', { token: who.token, body: { type: 'video', timeZone: 'UTC', ...body } });
  if (reply.status !== 201) throw new Error(`create plan failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.plan;
}

/** The reminders a device got, as `kind@occurrence` strings. */
export const remindersOf = (socket: ClientSocket): string[] => inbox(socket).all('plan:reminder').map((r: PlanReminderEvent) => `${r.kind}@${r.occurrence}`);

/** Waits until a device has received `count` reminders (bounded), then returns them. */
export async function awaitReminders(socket: ClientSocket, count: number): Promise<string[]> {
  await inbox(socket).next('plan:reminder', () => remindersOf(socket).length >= count);
  return remindersOf(socket);
}
