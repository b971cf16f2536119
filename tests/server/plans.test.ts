// Planned calls on one node (SQLite), with the plans' clock injected: the REST
// routes, who may see what, every bad input, and reminders reaching every
// device of both partners exactly once, also across a restart.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../src-shared/protocol';
import { PLAN_LIMITS, type PlanResponse, type PlansResponse } from '../../src-shared/plans';
import { api, closeAllSockets, couple, device, emit, inbox, register, startServer, type TestServer } from './helpers';
import { MINUTE, T0, TestClock, awaitReminders, createPlan, isoAt, remindersOf } from './plan-helpers';

// Sweeps run when a test says so (the timer is an hour), against the test's clock.
const clock = new TestClock(T0);
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ PLAN_SWEEP_MS: '3600000' }, undefined, { now: clock.now });
});
afterAll(async () => server.close());
afterEach(() => {
  closeAllSockets();
  clock.set(T0);
});


describe('plans REST', () => {
  it('a plan made by one partner reaches the other at once and lists its next occurrences', async () => {
    const { alice, bob } = await couple(server);
    const bobDevice = await device(server, bob);
    const plan = await createPlan(server, alice, {
      startsAt: '2030-01-06T21:00:00+03:00',
      timeZone: 'Europe/Istanbul',
      rule: { freq: 'weekly', weekdays: ['su'], count: 4 },
      note: 'our anniversary!',
    });
    expect(plan).toMatchObject({ createdBy: alice.user.id, startsAt: '2030-01-06T18:00:00.000Z', remindMinutes: 10, note: 'our anniversary!' });

    const changed = await inbox(bobDevice).next('plans:changed');
    expect(changed.plans.map((p) => p.id)).toEqual([plan.id]);

    const list = await api<PlansResponse>(server, 'GET', '/api/plans?limit=3', { token: bob.token });
    expect(list.status).toBe(200);
    expect(list.body.occurrences.map((o) => o.at)).toEqual(['2030-01-06T18:00:00.000Z', '2030-01-13T18:00:00.000Z', '2030-01-20T18:00:00.000Z']);
  });

  it('move, skip and cancel: each tells both partners and changes what is listed', async () => {
    const { alice, bob } = await couple(server);
    const aliceDevice = await device(server, alice);
    const plan = await createPlan(server, alice, { startsAt: isoAt(T0 + 60 * MINUTE), rule: { freq: 'daily', count: 5 } });
    await inbox(aliceDevice).next('plans:changed');

    const moved = await api<PlanResponse>(server, 'PATCH', `/api/plans/${plan.id}`, { token: bob.token, body: { startsAt: isoAt(T0 + 120 * MINUTE), type: 'voice' } });
    expect(moved.status).toBe(200);
    expect(moved.body.plan).toMatchObject({ startsAt: isoAt(T0 + 120 * MINUTE), type: 'voice' });
    await inbox(aliceDevice).next('plans:changed', (e) => e.plans[0]?.type === 'voice');

    const second = isoAt(T0 + 120 * MINUTE + 24 * 60 * MINUTE);
    const skipped = await api<PlanResponse>(server, 'POST', `/api/plans/${plan.id}/skip`, { token: bob.token, body: { occurrence: second } });
    expect(skipped.status).toBe(200);
    expect(skipped.body.plan.skipped).toEqual([second]);
    const afterSkip = await api<PlansResponse>(server, 'GET', '/api/plans', { token: alice.token });
    expect(afterSkip.body.occurrences.map((o) => o.at)).not.toContain(second);
    expect(afterSkip.body.occurrences).toHaveLength(4);

    const canceled = await api(server, 'DELETE', `/api/plans/${plan.id}`, { token: alice.token });
    expect(canceled.status).toBe(204);
    await inbox(aliceDevice).next('plans:changed', (e) => e.plans.length === 0);
    const afterCancel = await api<PlansResponse>(server, 'GET', '/api/plans', { token: bob.token });
    expect(afterCancel.body).toMatchObject({ plans: [], occurrences: [] });
  });

  it('a stranger gets not-found for the couple\'s plan, and never sees it', async () => {
    const { alice } = await couple(server);
    const strangers = await couple(server);
    const plan = await createPlan(server, alice, { startsAt: isoAt(T0 + 60 * MINUTE) });
    for (const [method, path, body] of [
      ['PATCH', `/api/plans/${plan.id}`, { note: 'mine now' }],
      ['POST', `/api/plans/${plan.id}/skip`, { occurrence: plan.startsAt }],
      ['DELETE', `/api/plans/${plan.id}`, undefined],
      ['PATCH', '/api/plans/not-a-plan-id', { note: 'x' }],
    ] as const) {
      const reply = await api<ApiErrorBody>(server, method, path, { token: strangers.alice.token, body });
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.body.error.code).toBe('NOT_FOUND');
    }
    const theirs = await api<PlansResponse>(server, 'GET', '/api/plans', { token: strangers.bob.token });
    expect(theirs.body.plans).toEqual([]);
    const ours = await api<PlansResponse>(server, 'GET', '/api/plans', { token: alice.token });
    expect(ours.body.plans[0]).toMatchObject({ id: plan.id, note: '' });
  });

  it('every bad input gets {error:{code,message}} and changes nothing', async () => {
    const { alice } = await couple(server);
    const good = { type: 'video' as const, startsAt: isoAt(T0 + 60 * MINUTE), timeZone: 'UTC' };
    const plan = await createPlan(server, alice, good);
    const bad: [string, unknown][] = [
      ['a time in the past', { ...good, startsAt: isoAt(T0 - MINUTE) }],
      ['an unknown zone', { ...good, timeZone: 'Mars/Olympus_Mons' }],
      ['a zone that is a path', { ...good, timeZone: '../etc/localtime' }],
      ['a repeat without an end', { ...good, rule: { freq: 'weekly', weekdays: ['mo'] } }],
      ['too many occurrences', { ...good, rule: { freq: 'daily', count: PLAN_LIMITS.occurrencesPerPlan + 1 } }],
      ['a repeat reaching beyond the horizon', { ...good, rule: { freq: 'monthly', until: '2049-01-01' } }],
      ['a raw RRULE', { ...good, rule: 'FREQ=SECONDLY;BYSECOND=1,2,3' }],
      ['an unknown frequency', { ...good, rule: { freq: 'secondly', count: 3 } }],
      ['a day twice', { ...good, rule: { freq: 'weekly', weekdays: ['mo', 'mo'], count: 3 } }],
      ['a long note', { ...good, note: 'x'.repeat(PLAN_LIMITS.noteMaxChars + 1) }],
      ['a note with control characters', { ...good, note: 'hi\u001b[2J' }],
      ['a negative lead', { ...good, remindMinutes: -5 }],
      ['an unknown field', { ...good, callee: 'someone' }],
      ['no body', undefined],
    ];
    for (const [what, body] of bad) {
      const reply = await api<ApiErrorBody>(server, 'POST', '/api/plans', { token: alice.token, body });
      expect(reply.status, what).toBe(400);
      expect(reply.body.error.code, what).toBe('BAD_REQUEST');
      expect(reply.body.error.message, what).toMatch(/\w/);
    }
    const malformed = await api<ApiErrorBody>(server, 'POST', '/api/plans', { token: alice.token, rawBody: '{"type":' });
    expect(malformed.status).toBe(400);

    const badChanges: [string, string, unknown][] = [
      ['a move into the past', `/api/plans/${plan.id}`, { startsAt: isoAt(T0 - MINUTE) }],
      ['an empty change', `/api/plans/${plan.id}`, {}],
      ['a skip of no occurrence', `/api/plans/${plan.id}/skip`, { occurrence: isoAt(T0 + 61 * MINUTE) }],
    ];
    for (const [what, path, body] of badChanges) {
      const reply = await api<ApiErrorBody>(server, path.endsWith('skip') ? 'POST' : 'PATCH', path, { token: alice.token, body });
      expect(reply.status, what).toBe(400);
      expect(reply.body.error.code, what).toBe('BAD_REQUEST');
    }

    const list = await api<PlansResponse>(server, 'GET', '/api/plans', { token: alice.token });
    expect(list.body.plans).toEqual([plan]);
    expect((await api<ApiErrorBody>(server, 'GET', '/api/plans?limit=1000', { token: alice.token })).body.error.code).toBe('BAD_REQUEST');
  });

  it('past occurrences are linked to the call made for them, or listed as missed', async () => {
    // Calls are logged on the real clock: put the plans' clock there too.
    const start = Date.now();
    clock.set(start);
    const { alice, bob } = await couple(server);
    const day = 24 * 60 * MINUTE;
    const at = Math.ceil((start + 2 * MINUTE) / MINUTE) * MINUTE;
    const plan = await createPlan(server, alice, { startsAt: isoAt(at), rule: { freq: 'daily', count: 2 } });
    const aliceDevice = await device(server, alice);
    const bobDevice = await device(server, bob);
    const started = await emit(aliceDevice, 'call:start', { type: 'video' });
    if (!started.ok) throw new Error(JSON.stringify(started));
    await inbox(bobDevice).next('call:incoming');
    expect(await emit(bobDevice, 'call:accept', { callId: started.callId })).toEqual({ ok: true });
    await emit(aliceDevice, 'call:hangup', { callId: started.callId });

    clock.set(at + day + 2 * 60 * MINUTE);
    const list = await api<PlansResponse>(server, 'GET', '/api/plans', { token: bob.token });
    expect(list.body.recent).toEqual([
      { planId: plan.id, at: isoAt(at + day), type: 'video', note: '', callId: null, made: false, via: null },
      { planId: plan.id, at: isoAt(at), type: 'video', note: '', callId: started.callId, made: true, via: 'time' },
    ]);
  });

  it('a couple may have a bounded number of active plans; a single user cannot plan', async () => {
    const { alice, bob } = await couple(server);
    for (let i = 0; i < PLAN_LIMITS.activePlansPerCouple; i++) await createPlan(server, i % 2 ? alice : bob, { startsAt: isoAt(T0 + (i + 1) * MINUTE) });
    const over = await api<ApiErrorBody>(server, 'POST', '/api/plans', { token: alice.token, body: { type: 'voice', startsAt: isoAt(T0 + 90 * MINUTE), timeZone: 'UTC' } });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('TOO_MANY_PLANS');

    const single = await register(server, 'Solo');
    const lonely = await api<ApiErrorBody>(server, 'POST', '/api/plans', { token: single.token, body: { type: 'voice', startsAt: isoAt(T0 + MINUTE), timeZone: 'UTC' } });
    expect(lonely.status).toBe(409);
    expect(lonely.body.error.code).toBe('NOT_PAIRED');
  });

  it('each partner\'s time zone is kept and shown to the other; an invalid one is refused', async () => {
    const { alice, bob } = await couple(server);
    const bobDevice = await device(server, bob);
    expect((await api(server, 'PUT', '/api/me/time-zone', { token: alice.token, body: { timeZone: 'Europe/Istanbul' } })).status).toBe(204);
    expect((await api(server, 'PUT', '/api/me/time-zone', { token: bob.token, body: { timeZone: 'Europe/Berlin' } })).status).toBe(204);
    await inbox(bobDevice).next('plans:changed');
    const bad = await api<ApiErrorBody>(server, 'PUT', '/api/me/time-zone', { token: bob.token, body: { timeZone: 'Berlin' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
    const list = await api<PlansResponse>(server, 'GET', '/api/plans', { token: bob.token });
    expect(list.body.timeZones).toEqual({ [alice.user.id]: 'Europe/Istanbul', [bob.user.id]: 'Europe/Berlin' });
  });
});

describe('reminders', () => {
  // Sweeps see every couple's reminders: each test gets a database of its own.
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer({ PLAN_SWEEP_MS: '3600000' }, undefined, { now: clock.now });
  });
  afterEach(async () => server.close());
  const sweep = () => server.heartline.plans.reminders.sweep();

  it('reach every device of both partners at the lead and at the time, exactly once each', async () => {
    const { alice, bob } = await couple(server);
    const devices = [await device(server, alice), await device(server, alice), await device(server, bob)];
    const at = T0 + 30 * MINUTE;
    await createPlan(server, alice, { startsAt: isoAt(at), remindMinutes: 15 });

    clock.set(at - 15 * MINUTE - 1);
    expect((await sweep()).delivered).toBe(0);

    clock.set(at - 15 * MINUTE);
    expect(await sweep()).toEqual({ claimed: 1, delivered: 3 });
    expect(await sweep()).toEqual({ claimed: 0, delivered: 0 });
    for (const d of devices) expect(await awaitReminders(d, 1)).toEqual([`lead@${isoAt(at)}`]);

    clock.set(at);
    expect(await sweep()).toEqual({ claimed: 1, delivered: 3 });
    for (const d of devices) expect(await awaitReminders(d, 2)).toEqual([`lead@${isoAt(at)}`, `now@${isoAt(at)}`]);
  });

  it('no reminder for a skipped occurrence, nor for a canceled plan', async () => {
    const { alice, bob } = await couple(server);
    const bobDevice = await device(server, bob);
    const first = T0 + 10 * MINUTE;
    const plan = await createPlan(server, alice, { startsAt: isoAt(first), rule: { freq: 'daily', count: 3 }, remindMinutes: 0 });
    const other = await createPlan(server, alice, { startsAt: isoAt(first + 5 * MINUTE), remindMinutes: 0 });
    await api(server, 'POST', `/api/plans/${plan.id}/skip`, { token: bob.token, body: { occurrence: isoAt(first) } });
    await api(server, 'DELETE', `/api/plans/${other.id}`, { token: bob.token });

    clock.set(first + 5 * MINUTE);
    expect(await sweep()).toEqual({ claimed: 0, delivered: 0 });
    clock.set(first + 24 * 60 * MINUTE);
    expect((await sweep()).delivered).toBe(1);
    expect(await awaitReminders(bobDevice, 1)).toEqual([`now@${isoAt(first + 24 * 60 * MINUTE)}`]);
  });

  it('a device that comes online after a reminder went out gets it once, while it is still fresh', async () => {
    const { alice, bob } = await couple(server);
    const at = T0 + 20 * MINUTE;
    await createPlan(server, alice, { startsAt: isoAt(at), remindMinutes: 10 });
    clock.set(at - 10 * MINUTE);
    expect((await sweep()).claimed).toBe(1);

    const late = await device(server, bob, 'bob-laptop-1');
    expect(await awaitReminders(late, 1)).toEqual([`lead@${isoAt(at)}`]);
    late.disconnect();
    const again = await device(server, bob, 'bob-laptop-1');
    clock.set(at);
    await sweep();
    // The reconnected device gets the reminder at the time, and never the lead again.
    expect(await awaitReminders(again, 1)).toEqual([`now@${isoAt(at)}`]);
  });
});

describe('reminders across a restart (SQLite)', () => {
  it('due reminders survive the restart and no device gets one twice', async () => {
    const restartClock = new TestClock(T0);
    const first = await startServer({ PLAN_SWEEP_MS: '3600000' }, undefined, { now: restartClock.now });
    const { alice, bob } = await couple(first);
    const at = T0 + 30 * MINUTE;
    await createPlan(first, alice, { startsAt: isoAt(at), remindMinutes: 10 });
    const aliceBefore = await device(first, alice, 'alice-phone-1');
    restartClock.set(at - 10 * MINUTE);
    await first.heartline.plans.reminders.sweep();
    await awaitReminders(aliceBefore, 1);

    // The process stops (its timers with it) and starts again on the same database.
    await first.heartline.close();
    const second = await startServer({ PLAN_SWEEP_MS: '3600000' }, first.dir, { now: restartClock.now });
    try {
      const aliceAfter = await device(second, alice, 'alice-phone-1');
      const bobAfter = await device(second, bob, 'bob-desk-1');
      // Bob's desk was offline for the lead and comes online before the time: it still gets the lead, once.
      expect(await awaitReminders(bobAfter, 1)).toEqual([`lead@${isoAt(at)}`]);
      restartClock.set(at + MINUTE);
      expect(await second.heartline.plans.reminders.sweep()).toEqual({ claimed: 1, delivered: 2 });
      expect(await awaitReminders(aliceAfter, 1)).toEqual([`now@${isoAt(at)}`]);
      expect(await awaitReminders(bobAfter, 2)).toEqual([`lead@${isoAt(at)}`, `now@${isoAt(at)}`]);
      expect(remindersOf(aliceBefore)).toEqual([`lead@${isoAt(at)}`]);
    } finally {
      await second.close();
    }
  });
});
