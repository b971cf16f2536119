// Which call was made for which planned occurrence is decided by the server when
// the call starts and kept in its store (migration 009): "Call now" names the
// occurrence, a call near the time is linked without it, and an occurrence with
// no answered call is missed once its window closes. Run on both stores; both
// partners read the same answer.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse, CallStartPayload } from '../../src-shared/protocol';
import type { PlansResponse } from '../../src-shared/plans';
import { PostgresStore } from '../../server/store/postgres-store';
import { requireOrSkip } from '../support/requirements';
import { PG_URL, postgresAnswers } from '../support/services';
import { api, closeAllSockets, couple, device, emit, inbox, startServer, type ClientSocket, type TestServer } from './helpers';
import { MINUTE, T0, TestClock, createPlan, isoAt } from './plan-helpers';

const DAY = 24 * 60 * MINUTE;
const hasPostgres = requireOrSkip('postgres', await postgresAnswers(), `no PostgreSQL at ${PG_URL}`);

const stores: { name: string; skip: boolean; start: (clock: TestClock) => Promise<{ server: TestServer; drop: () => Promise<void> }> }[] = [
  {
    name: 'SQLite',
    skip: false,
    start: async (clock) => ({ server: await startServer({ PLAN_SWEEP_MS: '3600000' }, undefined, { now: clock.now }), drop: async () => undefined }),
  },
  {
    name: 'PostgreSQL',
    skip: !hasPostgres,
    start: async (clock) => {
      const schema = `hl_test_${randomBytes(5).toString('hex')}`;
      const server = await startServer({ PLAN_SWEEP_MS: '3600000' }, undefined, { now: clock.now, store: await PostgresStore.open(PG_URL, { schema }) });
      const drop = async (): Promise<void> => {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      };
      return { server, drop };
    },
  },
];

for (const store of stores) {
  describe.skipIf(store.skip)(`planned calls linked to the calls made for them (${store.name})`, () => {
    const clock = new TestClock(T0);
    let server: TestServer;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      ({ server, drop } = await store.start(clock));
    });
    afterAll(async () => {
      await server.close();
      await drop();
    });
    afterEach(() => closeAllSockets());

    /** A couple with one device each and a daily plan whose first occurrence is two minutes ahead of the real clock (calls are logged on it). */
    async function plannedCouple(): Promise<{ alice: AuthResponse; bob: AuthResponse; aliceDevice: ClientSocket; bobDevice: ClientSocket; planId: string; at: number }> {
      clock.set(Date.now());
      const { alice, bob } = await couple(server);
      const at = Math.ceil((Date.now() + 2 * MINUTE) / MINUTE) * MINUTE;
      const plan = await createPlan(server, alice, { startsAt: isoAt(at), rule: { freq: 'daily', count: 2 } });
      return { alice, bob, aliceDevice: await device(server, alice), bobDevice: await device(server, bob), planId: plan.id, at };
    }

    async function call(from: ClientSocket, to: ClientSocket, payload: CallStartPayload, answer: boolean): Promise<string> {
      const started = await emit(from, 'call:start', payload);
      if (!started.ok) throw new Error(JSON.stringify(started));
      await inbox(to).next('call:incoming', (event: { call: { id: string } }) => event.call.id === started.callId);
      if (answer) {
        expect(await emit(to, 'call:accept', { callId: started.callId })).toEqual({ ok: true });
        await emit(from, 'call:hangup', { callId: started.callId });
      } else {
        expect(await emit(to, 'call:decline', { callId: started.callId })).toEqual({ ok: true });
      }
      return started.callId;
    }

    const recentOf = async (who: AuthResponse): Promise<PlansResponse['recent']> =>
      (await api<PlansResponse>(server, 'GET', '/api/plans', { token: who.token })).body.recent;

    it('"Call now" links the call to its occurrence: the answered attempt makes it, the next day with no call is missed, for both partners', async () => {
      const { alice, bob, aliceDevice, bobDevice, planId, at } = await plannedCouple();
      const ref = { planId, occurrence: isoAt(at) };
      await call(aliceDevice, bobDevice, { type: 'voice', plan: ref }, false);
      const made = await call(aliceDevice, bobDevice, { type: 'voice', plan: ref }, true);

      // Within the next occurrence's window it is not yet missed; after it, it is.
      clock.set(at + DAY + 30 * MINUTE);
      expect((await recentOf(alice)).map((r) => r.at)).toEqual([isoAt(at)]);
      clock.set(at + DAY + 61 * MINUTE);
      const expected = [
        { planId, at: isoAt(at + DAY), type: 'video', note: '', callId: null, made: false, via: null },
        { planId, at: isoAt(at), type: 'video', note: '', callId: made, made: true, via: 'call-now' },
      ];
      expect(await recentOf(alice)).toEqual(expected);
      expect(await recentOf(bob)).toEqual(expected);
    });

    it('a call near the time without "Call now" is linked by the server; a second call that evening is not another planned call', async () => {
      const { bob, aliceDevice, bobDevice, planId, at } = await plannedCouple();
      const first = await call(bobDevice, aliceDevice, { type: 'video' }, true);
      await call(aliceDevice, bobDevice, { type: 'video' }, true);
      clock.set(at + 2 * 60 * MINUTE);
      expect(await recentOf(bob)).toEqual([{ planId, at: isoAt(at), type: 'video', note: '', callId: first, made: true, via: 'time' }]);
    });

    it('a skipped occurrence is never listed as missed; a canceled plan leaves the history (its calls stay, unmarked)', async () => {
      const { alice, bob, aliceDevice, bobDevice, planId, at } = await plannedCouple();
      const made = await call(aliceDevice, bobDevice, { type: 'video', plan: { planId, occurrence: isoAt(at) } }, true);
      const skip = await api(server, 'POST', `/api/plans/${planId}/skip`, { token: bob.token, body: { occurrence: isoAt(at + DAY) } });
      expect(skip.status).toBe(200);
      clock.set(at + DAY + 2 * 60 * MINUTE);
      // The skipped day is gone from the history, not "missed".
      expect(await recentOf(alice)).toEqual([{ planId, at: isoAt(at), type: 'video', note: '', callId: made, made: true, via: 'call-now' }]);

      // Canceled after its first day was called for: the plan leaves the history; the call stays, unmarked.
      const canceled = await plannedCouple();
      const kept = await call(canceled.aliceDevice, canceled.bobDevice, { type: 'video', plan: { planId: canceled.planId, occurrence: isoAt(canceled.at) } }, true);
      clock.set(canceled.at + 2 * 60 * MINUTE);
      expect((await recentOf(canceled.bob)).map((r) => r.callId)).toEqual([kept]);
      expect((await api(server, 'DELETE', `/api/plans/${canceled.planId}`, { token: canceled.alice.token })).status).toBe(204);
      expect(await recentOf(canceled.alice)).toEqual([]);
      expect(await recentOf(canceled.bob)).toEqual([]);
      const calls = await api<{ calls: { id: string }[] }>(server, 'GET', '/api/calls', { token: canceled.alice.token });
      expect(calls.body.calls.map((c) => c.id)).toContain(kept);
    });

    it("another couple's plan named in call:start links nothing to it, and a malformed one is refused before any call is written", async () => {
      const mine = await plannedCouple();
      const theirs = await plannedCouple();
      // Carol and Dave's call names Alice and Bob's plan: it goes ahead, linked (by time) only to their own occurrence.
      const callId = await call(theirs.aliceDevice, theirs.bobDevice, { type: 'voice', plan: { planId: mine.planId, occurrence: isoAt(mine.at) } }, true);
      clock.set(mine.at + DAY + 2 * 60 * MINUTE);
      expect((await recentOf(mine.alice)).map((r) => r.made)).toEqual([false, false]);
      expect((await recentOf(theirs.alice)).find((r) => r.made)).toMatchObject({ planId: theirs.planId, callId, via: 'time' });

      const refused = await emit(mine.aliceDevice, 'call:start', { type: 'voice', plan: { planId: mine.planId, occurrence: 'sunday at nine' } });
      expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      const calls = await api<{ calls: unknown[] }>(server, 'GET', '/api/calls', { token: mine.alice.token });
      expect(calls.body.calls).toEqual([]);
    });
  });
}
