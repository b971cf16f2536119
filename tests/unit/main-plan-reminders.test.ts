// Plan reminders fired from Electron main, with a fake clock, a fake notification
// factory and the real SQLite plan cache (Node's build of better-sqlite3): they fire
// from the cache while the server is unreachable, never twice on this device (its
// own timer, the server's event, a reconnect, a restart), and the server's copy wins.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src-shared/plans';
import { PLAN_CACHE_MIGRATIONS } from '../../src-main/plans/migrations/index';
import { PLAN_TICK_MS, PlanReminders, type ReminderToShow } from '../../src-main/plans/plan-reminders.std';
import { SqlitePlanCache } from '../../src-main/plans/sqlite-plan-cache.node.js';
import { planIpcHandlers } from '../../src-main/plans/plan-ipc.std';
import { registerIpc, type IpcEventLike } from '../../src-main/ipc/register-ipc.std';
import { planReminderText } from '../../src-main/plans/plan-strings.std';
import { anniversaryPlan } from './plan-fixture';

const MIN = 60_000;
const T0 = Date.UTC(2030, 0, 6, 12, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

function plan(patch: Partial<Plan> & { startsAt: string }): Plan {
  return anniversaryPlan(Date.parse(patch.startsAt), T0, patch);
}

const folders: string[] = [];
const caches: SqlitePlanCache[] = [];
afterEach(() => {
  caches.splice(0).forEach((cache) => cache.close());
  folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true }));
});

/** main's plan reminders over a real cache file, a clock the test moves, and a notification factory that records. */
function harness(file = join(mkdtempSync(join(tmpdir(), 'heartline-plans-')), 'plans.sqlite')) {
  folders.push(join(file, '..'));
  const cache = new SqlitePlanCache(file, { migrations: PLAN_CACHE_MIGRATIONS });
  caches.push(cache);
  const shown: ReminderToShow[] = [];
  const timers: (() => void)[] = [];
  const state = { now: T0, dnd: false };
  const reminders = new PlanReminders({
    cache,
    show: (reminder) => shown.push(reminder),
    doNotDisturb: () => state.dnd,
    now: () => state.now,
    setInterval: (fn, ms) => {
      expect(ms).toBe(PLAN_TICK_MS);
      timers.push(fn);
      return timers.length;
    },
    clearInterval: () => timers.splice(0),
    log: () => undefined,
  });
  /** Moves the clock and lets main's timer run, as it would at that moment. */
  const at = (ms: number): void => {
    state.now = ms;
    timers.forEach((fn) => fn());
  };
  const seen = (): string[] => shown.map((r) => `${r.kind}@${iso(r.occurrenceAt)}`);
  return { file, cache, reminders, shown, seen, at, state, close: () => cache.close() };
}

describe('plan reminders in main', () => {
  it('fire from the cache at the lead and at the time while the server is unreachable', () => {
    const h = harness();
    const call = T0 + 30 * MIN;
    h.reminders.sync([plan({ startsAt: iso(call) })]);
    h.reminders.start();
    // From here on no server: only the cache and the clock.
    h.at(call - 10 * MIN - 1);
    expect(h.seen()).toEqual([]);
    h.at(call - 10 * MIN);
    expect(h.seen()).toEqual([`lead@${iso(call)}`]);
    expect(h.shown[0]).toMatchObject({ callType: 'video', note: 'our anniversary!', remindMinutes: 10 });
    h.at(call - 5 * MIN);
    h.at(call);
    h.at(call + MIN);
    expect(h.seen()).toEqual([`lead@${iso(call)}`, `now@${iso(call)}`]);
  });

  it('do not fire again when the server\'s events and plans arrive after reconnecting', () => {
    const h = harness();
    const call = T0 + 30 * MIN;
    const p = plan({ startsAt: iso(call) });
    h.reminders.sync([p]);
    h.reminders.start();
    h.at(call - 10 * MIN);
    expect(h.seen()).toHaveLength(1);
    // Back online: the server delivers the same reminder, then its plans.
    expect(h.reminders.fromServer({ planId: p.id, occurrence: iso(call), kind: 'lead' })).toBe(false);
    h.reminders.sync([p]);
    h.at(call - 9 * MIN);
    expect(h.seen()).toEqual([`lead@${iso(call)}`]);
    // The server's event for the time comes first this time: main's timer does not repeat it.
    h.state.now = call;
    expect(h.reminders.fromServer({ planId: p.id, occurrence: iso(call), kind: 'now' })).toBe(true);
    h.at(call + 1000);
    expect(h.seen()).toEqual([`lead@${iso(call)}`, `now@${iso(call)}`]);
  });

  it('follow the server\'s copy: a plan moved or canceled elsewhere fires at its new time or not at all', () => {
    const h = harness();
    const call = T0 + 30 * MIN;
    h.reminders.sync([plan({ startsAt: iso(call) }), plan({ id: 'plan-2', startsAt: iso(call + 5 * MIN), remindMinutes: 0 })]);
    h.reminders.start();
    h.reminders.sync([plan({ startsAt: iso(call + 60 * MIN), updatedAt: iso(T0 + MIN) })]);
    h.at(call - 10 * MIN);
    h.at(call + 5 * MIN);
    expect(h.seen()).toEqual([]);
    h.at(call + 50 * MIN);
    expect(h.seen()).toEqual([`lead@${iso(call + 60 * MIN)}`]);
  });

  it('a weekly plan reminds for each occurrence, skipping a skipped one', () => {
    const h = harness();
    const first = T0 + 60 * MIN;
    const week = 7 * 24 * 60 * MIN;
    h.reminders.sync([plan({ startsAt: iso(first), rule: { freq: 'weekly', weekdays: ['su'], count: 3 }, remindMinutes: 0, skipped: [iso(first + week)] })]);
    h.reminders.start();
    for (const at of [first, first + week, first + 2 * week]) h.at(at);
    expect(h.seen()).toEqual([`now@${iso(first)}`, `now@${iso(first + 2 * week)}`]);
  });

  it('do-not-disturb silences a reminder, and it stays silenced afterwards', () => {
    const h = harness();
    const call = T0 + 30 * MIN;
    h.reminders.sync([plan({ startsAt: iso(call) })]);
    h.reminders.start();
    h.state.dnd = true;
    h.at(call - 10 * MIN);
    h.state.dnd = false;
    h.at(call - 9 * MIN);
    expect(h.seen()).toEqual([]);
    h.at(call);
    expect(h.seen()).toEqual([`now@${iso(call)}`]);
  });

  it('a restart of the app neither loses the cached plans nor repeats a reminder', () => {
    const first = harness();
    const call = T0 + 30 * MIN;
    first.reminders.sync([plan({ startsAt: iso(call) })]);
    first.reminders.start();
    first.at(call - 10 * MIN);
    first.reminders.stop();
    first.close();
    caches.splice(0);

    // Restarted without the server: the plans come from the file, the lead is not shown again.
    const second = harness(first.file);
    second.reminders.start();
    second.at(call - 8 * MIN);
    second.at(call);
    expect(second.seen()).toEqual([`now@${iso(call)}`]);
  });
});

describe('the plan channels of the bridge', () => {
  it('sync the cache and pass on server reminders; malformed payloads are refused and change nothing', async () => {
    const h = harness();
    const names: (string | null)[] = [];
    const listeners = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
    registerIpc({ handle: (channel, listener) => listeners.set(channel, listener), removeHandler: () => undefined }, 'plans', planIpcHandlers(h.reminders, (name) => names.push(name)), () => ['app://main']);
    const fromApp: IpcEventLike = { senderFrame: { url: 'app://main/index.html', parent: null } };
    const invoke = async (channel: string, ...args: unknown[]) => listeners.get(channel)!(fromApp, ...args);

    const call = T0 + 30 * MIN;
    await invoke('plans:sync', { plans: [plan({ startsAt: iso(call) })], partnerName: 'Bob' });
    expect(h.cache.plans().map((p) => p.id)).toEqual(['plan-1']);
    expect(names).toEqual(['Bob']);

    await expect(invoke('plans:sync', { plans: 'all of them', partnerName: null })).rejects.toThrow(/invalid payload/);
    await expect(invoke('plans:sync', { plans: [{ id: 'x' }], partnerName: null })).rejects.toThrow(/invalid payload/);
    await expect(invoke('plans:reminded', { planId: 'plan-1', occurrence: iso(call), kind: 'soon' })).rejects.toThrow(/invalid payload/);
    expect(h.cache.plans().map((p) => p.id)).toEqual(['plan-1']);

    h.state.now = call;
    await invoke('plans:reminded', { planId: 'plan-1', occurrence: iso(call), kind: 'now' });
    expect(h.seen()).toEqual([`now@${iso(call)}`]);
  });

  it('the notification names the partner and says what to do, in both languages', () => {
    const reminder = { planId: 'p', occurrenceAt: T0, kind: 'now' as const, callType: 'voice' as const, note: '', remindMinutes: 10 };
    expect(planReminderText(reminder, 'Bob', 'en').body).toBe('Time for your planned call with Bob. Click to call now.');
    expect(planReminderText({ ...reminder, kind: 'lead' }, null, 'tr').body).toBe('eşin ile planlanmış arama 10 dk sonra');
  });
});
