// The rules of planned calls: only the couple sees or changes its plans, every
// input is checked against the shared limits, reminders are written as rows
// beside the plan (the dispatcher delivers them), and both partners' devices
// hear `plans:changed` after any change.
import { randomUUID } from 'node:crypto';
import {
  PLAN_LIMITS,
  allOccurrences,
  instantOf,
  inCallWindow,
  isReminderFresh,
  occurrenceForCall,
  occurrenceOutcome,
  reminderDueTimes,
  timingProblem,
  upcomingOccurrences,
  wallClockOf,
  type CreatePlanBody,
  type Occurrence,
  type PastOccurrence,
  type Plan,
  type PlansResponse,
  type UpdatePlanBody,
} from '../../src-shared/plans';
import type { PlanCallRef } from '../../src-shared/protocol';
import type { Notifier } from '../calls/call-service';
import { HttpError } from '../http-errors';
import { coupleKey } from '../store/rows';
import type { Store } from '../store/types';
import type { PlanRecord, ReminderRecord } from './plan-store';

export interface Couple {
  userId: string;
  partnerId: string;
  key: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function toWirePlan(plan: PlanRecord): Plan {
  return {
    id: plan.id,
    createdBy: plan.createdBy,
    type: plan.type,
    startsAt: iso(instantOf(plan.startLocal, plan.timeZone)),
    timeZone: plan.timeZone,
    rule: plan.rule,
    note: plan.note,
    remindMinutes: plan.remindMinutes,
    skipped: plan.skipped.map(iso),
    createdAt: iso(plan.createdAt),
    updatedAt: iso(plan.updatedAt),
  };
}

/** The reminder rows a plan needs from `now` on: every upcoming occurrence's reminders still worth sending. */
function remindersFor(plan: PlanRecord, now: number): ReminderRecord[] {
  if (plan.status !== 'active') return [];
  return upcomingOccurrences(plan, now, PLAN_LIMITS.occurrencesPerPlan).flatMap((occurrenceAt) =>
    reminderDueTimes(occurrenceAt, plan.remindMinutes)
      .map(({ kind, dueAt }) => ({ planId: plan.id, occurrenceAt, kind, dueAt }))
      .filter((reminder) => isReminderFresh(reminder, now)),
  );
}

const notFound = (): HttpError => new HttpError(404, 'NOT_FOUND', 'no such plan');
const badRequest = (message: string): HttpError => new HttpError(400, 'BAD_REQUEST', message);

export class PlanService {
  constructor(
    private readonly store: Store,
    private readonly notifier: Notifier,
    private readonly now: () => number,
  ) {}

  /** The user's couple, or null when they have no partner. */
  async coupleOf(userId: string): Promise<Couple | null> {
    const user = await this.store.findUserById(userId);
    if (!user?.partnerId) return null;
    return { userId, partnerId: user.partnerId, key: coupleKey(userId, user.partnerId) };
  }

  private async requireCouple(userId: string): Promise<Couple> {
    const couple = await this.coupleOf(userId);
    if (!couple) throw new HttpError(409, 'NOT_PAIRED', 'pair with your partner before planning calls');
    return couple;
  }

  /** A plan of this couple that is still active, else 404 (another couple's plan looks exactly like a missing one). */
  private async ownPlan(couple: Couple, id: string): Promise<PlanRecord> {
    const plan = await this.store.plans.getPlan(id);
    if (!plan || plan.coupleKey !== couple.key || plan.status !== 'active' || plan.endsAt < this.now()) throw notFound();
    return plan;
  }

  async list(userId: string, limit: number): Promise<PlansResponse> {
    const couple = await this.coupleOf(userId);
    if (!couple) return { plans: [], occurrences: [], recent: [], timeZones: { [userId]: await this.store.plans.getTimeZone(userId) } };
    const now = this.now();
    const recentFrom = now - PLAN_LIMITS.recentDays * 86_400_000;
    const withRecent = await this.store.plans.listActivePlans(couple.key, recentFrom);
    const plans = withRecent.filter((plan) => plan.endsAt >= now);
    const occurrences: Occurrence[] = plans
      .flatMap((plan) => upcomingOccurrences(plan, now, limit).map((at) => ({ planId: plan.id, at, type: plan.type, note: plan.note })))
      .sort((a, b) => a.at - b.at)
      .slice(0, limit)
      .map((occurrence) => ({ ...occurrence, at: iso(occurrence.at) }));
    const [mine, theirs] = await Promise.all([this.store.plans.getTimeZone(userId), this.store.plans.getTimeZone(couple.partnerId)]);
    const recent = await this.recent(withRecent, recentFrom, now);
    return { plans: plans.map(toWirePlan), occurrences, recent, timeZones: { [userId]: mine, [couple.partnerId]: theirs } };
  }

  /** Past occurrences, newest first: made (with the answered call the server linked to it) or missed; undecided ones wait. */
  private async recent(plans: PlanRecord[], from: number, now: number): Promise<PastOccurrence[]> {
    const past = plans.flatMap((plan) =>
      upcomingOccurrences(plan, from, PLAN_LIMITS.occurrencesPerPlan)
        .filter((at) => at < now)
        .map((at) => ({ plan, at })),
    );
    if (!past.length) return [];
    const links = await this.store.plans.callLinks(
      plans.map((plan) => plan.id),
      from,
    );
    return past
      .flatMap(({ plan, at }) => {
        const outcome = occurrenceOutcome(
          at,
          links.filter((link) => link.planId === plan.id),
          now,
        );
        return outcome ? [{ planId: plan.id, at, type: plan.type, note: plan.note, ...outcome }] : [];
      })
      .sort((a, b) => b.at - a.at)
      .map((occurrence) => ({ ...occurrence, at: iso(occurrence.at) }));
  }

  /**
   * Links a call that just started to the planned occurrence it is made for:
   * the one named by "Call now" when it is the couple's and the call is within
   * its window, else the nearest occurrence near the time (occurrenceForCall).
   * A call that fits no occurrence stays unlinked; nothing here can fail the call.
   */
  async linkCall(userId: string, callId: string, ref: PlanCallRef | undefined): Promise<void> {
    const couple = await this.coupleOf(userId);
    if (!couple || !(await this.store.getCall(callId))) return;
    // Linked as it starts, on the plans' clock (the one their occurrences and reminders follow).
    const startedAt = this.now();
    const windowFrom = startedAt - PLAN_LIMITS.callLateMinutes * 60_000;
    const plans = (await this.store.plans.listActivePlans(couple.key, windowFrom)).filter((plan) => plan.createdAt <= startedAt);
    const candidates = plans.flatMap((plan) =>
      upcomingOccurrences(plan, windowFrom, PLAN_LIMITS.occurrencesPerPlan)
        .filter((at) => inCallWindow(at, startedAt))
        .map((at) => ({ planId: plan.id, at })),
    );
    if (!candidates.length) return;
    const named = ref && candidates.find((c) => c.planId === ref.planId && c.at === Date.parse(ref.occurrence));
    if (named) return this.store.plans.linkCall({ callId, planId: named.planId, occurrenceAt: named.at, via: 'call-now' });
    const links = await this.store.plans.callLinks(
      candidates.map((c) => c.planId),
      windowFrom,
    );
    const made = new Set(links.filter((link) => link.answered).map((link) => `${link.planId} ${link.occurrenceAt}`));
    const chosen = occurrenceForCall(
      startedAt,
      candidates.map((c) => ({ ...c, made: made.has(`${c.planId} ${c.at}`) })),
    );
    if (chosen) await this.store.plans.linkCall({ callId, planId: chosen.planId, occurrenceAt: chosen.at, via: 'time' });
  }

  async create(userId: string, body: CreatePlanBody): Promise<Plan> {
    const couple = await this.requireCouple(userId);
    const now = this.now();
    const startLocal = wallClockOf(Date.parse(body.startsAt), body.timeZone);
    const timing = { startLocal, timeZone: body.timeZone, rule: body.rule ?? null };
    const problem = timingProblem(timing, now);
    if (problem) throw badRequest(problem);
    const plan: PlanRecord = {
      id: randomUUID(),
      coupleKey: couple.key,
      createdBy: userId,
      type: body.type,
      ...timing,
      note: body.note ?? '',
      remindMinutes: body.remindMinutes ?? PLAN_LIMITS.remindMinutesDefault,
      skipped: [],
      status: 'active',
      endsAt: lastOccurrence(timing),
      createdAt: now,
      updatedAt: now,
    };
    const inserted = await this.store.plans.insertPlanUnderCap(plan, remindersFor(plan, now), PLAN_LIMITS.activePlansPerCouple, now);
    if (!inserted) throw new HttpError(409, 'TOO_MANY_PLANS', `a couple may have at most ${PLAN_LIMITS.activePlansPerCouple} active plans`);
    await this.announce(couple);
    return toWirePlan(plan);
  }

  async update(userId: string, id: string, body: UpdatePlanBody): Promise<Plan> {
    const couple = await this.requireCouple(userId);
    const plan = await this.ownPlan(couple, id);
    const now = this.now();
    let next: PlanRecord = { ...plan, updatedAt: now };
    if (body.type !== undefined) next.type = body.type;
    if (body.note !== undefined) next.note = body.note;
    if (body.remindMinutes !== undefined) next.remindMinutes = body.remindMinutes;
    if (body.startsAt !== undefined || body.timeZone !== undefined || body.rule !== undefined) {
      // A move: the new first occurrence must lie ahead, and skips of the old timing no longer apply.
      const startMs = body.startsAt !== undefined ? Date.parse(body.startsAt) : instantOf(plan.startLocal, plan.timeZone);
      const timeZone = body.timeZone ?? plan.timeZone;
      const timing = { startLocal: wallClockOf(startMs, timeZone), timeZone, rule: body.rule !== undefined ? body.rule : plan.rule };
      const problem = timingProblem(timing, now);
      if (problem) throw badRequest(problem);
      next = { ...next, ...timing, skipped: [], endsAt: lastOccurrence(timing) };
    }
    await this.store.plans.updatePlan(next, remindersFor(next, now));
    await this.announce(couple);
    return toWirePlan(next);
  }

  async skip(userId: string, id: string, occurrence: string): Promise<Plan> {
    const couple = await this.requireCouple(userId);
    const plan = await this.ownPlan(couple, id);
    const now = this.now();
    const at = Date.parse(occurrence);
    if (!upcomingOccurrences(plan, now, PLAN_LIMITS.occurrencesPerPlan).includes(at)) throw badRequest('occurrence: not an upcoming occurrence of this plan');
    if (plan.skipped.length >= PLAN_LIMITS.skipsPerPlan) throw badRequest(`a plan may skip at most ${PLAN_LIMITS.skipsPerPlan} occurrences`);
    const next: PlanRecord = { ...plan, skipped: [...plan.skipped, at], updatedAt: now };
    await this.store.plans.updatePlan(next, remindersFor(next, now));
    await this.announce(couple);
    return toWirePlan(next);
  }

  async cancel(userId: string, id: string): Promise<void> {
    const couple = await this.requireCouple(userId);
    const plan = await this.ownPlan(couple, id);
    await this.store.plans.updatePlan({ ...plan, status: 'canceled', updatedAt: this.now() }, []);
    await this.announce(couple);
  }

  /** Keeps the zone a user's device reports; the partner's devices hear of a change, since their "for {partner}" times move. */
  async setTimeZone(userId: string, timeZone: string): Promise<void> {
    if ((await this.store.plans.getTimeZone(userId)) === timeZone) return;
    await this.store.plans.setTimeZone(userId, timeZone, this.now());
    const couple = await this.coupleOf(userId);
    if (couple) await this.announce(couple);
  }

  /** Both partners' devices get the couple's plans as they now stand. */
  private async announce(couple: Couple): Promise<void> {
    const plans = (await this.store.plans.listActivePlans(couple.key, this.now())).map(toWirePlan);
    for (const userId of [couple.userId, couple.partnerId]) this.notifier.toUser(userId, 'plans:changed', { plans });
  }
}

function lastOccurrence(timing: Pick<PlanRecord, 'startLocal' | 'timeZone' | 'rule'>): number {
  return Math.max(...allOccurrences(timing));
}
