// The desktop app's plan reminder from due to settled, under Node with faithful
// fakes of Electron's Notification (an event emitter: 'click', 'action' for a
// button press, 'close'; nothing after it is closed) and BrowserWindow (behind the
// real CallWindow: created hidden, paints later, the renderer says when it is
// ready). The rest is real: main's reminder timer and cache, the tray tracker, the
// plan IPC channels. "Call now" (click or button) must deliver the start-call
// action naming the occurrence, which is what rings the partner's devices.
import { describe, expect, it } from 'vitest';
import type { AppAction } from '../../src-shared/ipc';
import { MemoryPlanCache } from '../../src-main/plans/plan-cache.std';
import { planIpcHandlers } from '../../src-main/plans/plan-ipc.std';
import { PlanReminderPresenter, planNotificationOptions, type PlanNotificationLike, type PlanNotificationOptions } from '../../src-main/plans/plan-reminder-presenter.std';
import { PlanReminders } from '../../src-main/plans/plan-reminders.std';
import { planReminderText } from '../../src-main/plans/plan-strings.std';
import { PlanTrayTracker } from '../../src-main/plans/plan-tray.std';
import { registerIpc, type IpcEventLike } from '../../src-main/ipc/register-ipc.std';
import { CallWindow } from '../../src-main/windows/call-window.std';
import { FakeWindow } from './fake-browser-window';
import { anniversaryPlan } from './plan-fixture';

const MIN = 60_000;
const T0 = Date.UTC(2030, 0, 6, 18, 0);
const iso = (ms: number): string => new Date(ms).toISOString();
const CALL_AT = T0 + 30 * MIN;

const plan = anniversaryPlan(CALL_AT, T0);

type Listener = (...args: unknown[]) => void;

/** Electron's Notification as far as main uses it: shown, clicked, a button pressed, closed. */
class FakeNotification implements PlanNotificationLike {
  shown = false;
  closed = false;
  private readonly listeners = new Map<string, Listener[]>();
  constructor(readonly options: PlanNotificationOptions) {}
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  show() {
    this.shown = true;
  }
  /** Programmatic close: the system takes it away; no event (as with a real one closed by the app). */
  close() {
    this.closed = true;
  }
  /** The user clicks the notification's body. */
  click() {
    this.emit('click', { preventDefault: () => undefined });
  }
  /** The user presses button `index` (Electron passes the details, then the deprecated index). */
  press(index: number) {
    expect(this.options.actions?.[index]).toBeDefined();
    this.emit('action', { actionIndex: index, selectionIndex: -1 }, index);
  }
  private emit(event: string, ...args: unknown[]) {
    if (!this.shown || this.closed) return; // a notification that is gone cannot be clicked
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

function desktop(options: { platform?: string; supported?: boolean; doNotDisturb?: boolean; language?: 'en' | 'tr' } = {}) {
  const clock = { ms: T0 };
  const notifications: FakeNotification[] = [];
  const windows: FakeWindow[] = [];
  const redraws: string[] = [];
  const cache = new MemoryPlanCache();
  const window = new CallWindow({
    url: 'app://heartline/index.html',
    createWindow: () => {
      const created = new FakeWindow();
      windows.push(created);
      return created;
    },
    now: () => clock.ms,
    log: () => undefined,
  });
  const tray = new PlanTrayTracker({ plans: () => cache.plans(), now: () => clock.ms, changed: () => redraws.push('tray'), partnerName: () => 'Bob', timeZone: 'UTC' });
  const presenter = new PlanReminderPresenter({
    notifications: {
      isSupported: () => options.supported ?? true,
      create: (opts) => {
        const notification = new FakeNotification(opts);
        notifications.push(notification);
        return notification;
      },
    },
    tray,
    window,
    text: (reminder) => planReminderText(reminder, 'Bob', options.language ?? 'en'),
    icon: '/app.png',
    platform: options.platform ?? 'darwin',
  });
  const reminders = new PlanReminders({
    cache,
    show: (reminder) => presenter.show(reminder),
    doNotDisturb: () => options.doNotDisturb ?? false,
    now: () => clock.ms,
    setInterval: () => 1,
    clearInterval: () => undefined,
    log: () => undefined,
  });
  reminders.sync([plan]);
  const at = (ms: number) => {
    clock.ms = ms;
    reminders.tick();
  };
  /** What the page received: the window must exist, have painted and its renderer be ready. */
  const pageActions = (): AppAction[] => {
    const shown = windows.at(-1);
    if (!shown) return [];
    shown.emit('ready-to-show');
    window.markRendererReady();
    return shown.delivered as AppAction[];
  };
  return { clock, notifications, windows, window, tray, presenter, reminders, at, pageActions, redraws };
}

const callNow: AppAction = { kind: 'start-call', callType: 'video', plan: { planId: 'plan-1', occurrence: iso(CALL_AT) } };

describe('the reminder notification', () => {
  it('at the time has a "Call now" button on macOS and Windows, in the app language; on Linux the click is the action', () => {
    const now = { kind: 'now' as const };
    const text = planReminderText({ planId: 'p', occurrenceAt: CALL_AT, kind: 'now', callType: 'video', note: '', remindMinutes: 10 }, 'Bob', 'en');
    expect(planNotificationOptions(now, text, '/app.png', 'darwin')).toEqual({
      title: 'Heartline',
      body: 'Time for your planned call with Bob. Click to call now.',
      icon: '/app.png',
      actions: [{ type: 'button', text: 'Call now' }],
    });
    expect(planNotificationOptions(now, text, '/app.png', 'win32').actions).toEqual([{ type: 'button', text: 'Call now' }]);
    expect(planNotificationOptions(now, text, '/app.png', 'linux').actions).toBeUndefined();
    expect(planNotificationOptions({ kind: 'lead' }, text, '/app.png', 'darwin').actions).toBeUndefined();

    const tr = desktop({ language: 'tr', platform: 'win32' });
    tr.at(CALL_AT);
    expect(tr.notifications[0]!.options).toMatchObject({ body: 'Bob ile planlanmış arama zamanı. Aramak için tıkla. · our anniversary!', actions: [{ type: 'button', text: 'Şimdi ara' }] });
  });

  it('comes from main\'s timer with the window closed; clicking the one at the time opens the window and calls, linked to the occurrence', () => {
    const d = desktop();
    d.at(CALL_AT - 10 * MIN);
    expect(d.notifications.map((n) => n.options.body)).toEqual(['Planned call with Bob in 10 min · our anniversary!']);
    expect(d.windows).toHaveLength(0); // the window was never opened: the app sits in the tray
    d.at(CALL_AT);
    expect(d.notifications[0]!.closed).toBe(true); // the lead one gives way to the one at the time
    const atTime = d.notifications[1]!;
    expect(atTime.shown).toBe(true);
    expect(d.tray.view('en')).toMatchObject({ reminder: 'now', callNowLabel: 'Call Bob now' });

    atTime.click();
    expect(d.pageActions()).toEqual([callNow]);
    expect(d.windows[0]!.visible).toBe(true);
    expect(d.tray.reminder).toBeNull();
    atTime.click(); // a second click on the same notification (the system may keep it) does not call twice
    expect(d.windows[0]!.delivered).toEqual([callNow]);
  });

  it('its "Call now" button calls once, also where the system reports the press as a click too (Windows)', () => {
    const d = desktop({ platform: 'win32' });
    d.at(CALL_AT);
    const [atTime] = d.notifications;
    atTime!.press(0);
    atTime!.click();
    expect(d.pageActions()).toEqual([callNow]);
    expect(atTime!.closed).toBe(true);
    expect(d.tray.reminder).toBeNull();
  });

  it('clicking the lead one only opens the app and lets the reminder go', () => {
    const d = desktop();
    d.at(CALL_AT - 10 * MIN);
    d.notifications[0]!.click();
    expect(d.pageActions()).toEqual([]);
    expect(d.windows[0]!.visible).toBe(true);
    expect(d.tray.reminder).toBeNull();
  });

  it('do-not-disturb: no notification and nothing in the tray', () => {
    const d = desktop({ doNotDisturb: true });
    d.at(CALL_AT - 10 * MIN);
    d.at(CALL_AT);
    expect(d.notifications).toEqual([]);
    expect(d.tray.reminder).toBeNull();
  });

  it('without system notifications the tray still offers the reminder', () => {
    const d = desktop({ supported: false });
    d.at(CALL_AT);
    expect(d.notifications).toEqual([]);
    expect(d.presenter.view('en')).toMatchObject({ reminder: 'now', callNowLabel: 'Call Bob now' });
  });
});

describe('settling a reminder clears the tray and takes the notification away', () => {
  const fromApp: IpcEventLike = { senderFrame: { url: 'app://main/index.html', parent: null } };
  function withIpc(d: ReturnType<typeof desktop>) {
    const listeners = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
    registerIpc(
      { handle: (channel, listener) => listeners.set(channel, listener), removeHandler: () => undefined },
      'plans',
      planIpcHandlers(d.reminders, () => undefined, () => undefined, (key) => d.presenter.dismissed(key)),
      () => ['app://main'],
    );
    return async (channel: string, ...args: unknown[]) => listeners.get(channel)!(fromApp, ...args);
  }

  it('the page\'s notice dismissed: the same reminder goes from the tray, its notification closes', async () => {
    const d = desktop();
    const invoke = withIpc(d);
    d.at(CALL_AT);
    expect(d.tray.reminder?.kind).toBe('now');
    const redrawsBefore = d.redraws.length;
    await invoke('plans:dismissed', { planId: 'plan-1', occurrence: iso(CALL_AT), kind: 'now' });
    expect(d.tray.reminder).toBeNull();
    expect(d.presenter.view('en')).toMatchObject({ reminder: null, callNowLabel: null, line: 'Planned call with Bob · Sun 18:30' });
    expect(d.redraws.length).toBe(redrawsBefore + 1); // the tray is redrawn at once
    expect(d.notifications[0]!.closed).toBe(true);
    d.notifications[0]!.click();
    expect(d.pageActions()).toEqual([]); // it is gone: no call from it
  });

  it('dismissing the page\'s older lead notice keeps the one at the time that came meanwhile; bad payloads are refused', async () => {
    const d = desktop();
    const invoke = withIpc(d);
    d.at(CALL_AT);
    await invoke('plans:dismissed', { planId: 'plan-1', occurrence: iso(CALL_AT), kind: 'lead' });
    await invoke('plans:dismissed', { planId: 'plan-2', occurrence: iso(CALL_AT), kind: 'now' });
    expect(d.tray.reminder?.kind).toBe('now');
    expect(d.notifications[0]!.closed).toBe(false);
    await expect(invoke('plans:dismissed', { planId: 'plan-1', occurrence: iso(CALL_AT), kind: 'later' })).rejects.toThrow(/invalid payload/);
    await expect(invoke('plans:dismissed', { planId: 'plan-1' })).rejects.toThrow(/invalid payload/);
    expect(d.tray.reminder?.kind).toBe('now');
  });

  it('a call started (the tray\'s "Call now", the page, the partner ringing first) or the tray\'s "Dismiss" clears both', () => {
    const d = desktop();
    d.at(CALL_AT);
    d.presenter.clear(); // what DesktopApp does when a call starts or "Dismiss" is chosen
    expect(d.tray.reminder).toBeNull();
    expect(d.notifications[0]!.closed).toBe(true);
  });

  it('once the occurrence has passed (five minutes after the time) the tray lets it go', () => {
    const d = desktop();
    d.at(CALL_AT);
    d.clock.ms = CALL_AT + 4 * MIN;
    expect(d.presenter.reminder?.kind).toBe('now');
    d.clock.ms = CALL_AT + 5 * MIN;
    expect(d.presenter.reminder).toBeNull();
    expect(d.presenter.view('en').reminder).toBeNull();
  });

  it('a notification the system kept past the occurrence only opens the app when clicked: it does not ring the partner', () => {
    const d = desktop();
    d.at(CALL_AT);
    const atTime = d.notifications[0]!;
    d.clock.ms = CALL_AT + 5 * MIN;
    atTime.click();
    expect(d.pageActions()).toEqual([]);
    expect(d.windows[0]!.visible).toBe(true);
  });
});
