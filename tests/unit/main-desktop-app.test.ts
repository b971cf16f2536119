// The desktop app's wiring, with fakes of every Electron object: IPC handlers and
// their payload validation, tray, ring window + notification, missed-call notices,
// actions sent to the call window, do not disturb, start at login, account switch.
import { describe, expect, it } from 'vitest';
import { IPC_GROUPS, type AppAction, type CallPresence, type IpcResult, type Settings, type StoredSession } from '../../src-shared/ipc';
import { MemoryHistoryCache } from '../../src-main/cache/history-cache.std';
import { RingController } from '../../src-main/calls/ring-controller.std';
import type { MissedNotice, RingRequest } from '../../src-main/calls/ring-policy.std';
import { DesktopApp, type DesktopAppDeps, type SettingsStoreLike } from '../../src-main/desktop-app.std';
import { PlanTrayTracker } from '../../src-main/plans/plan-tray.std';
import { registerIpc, type IpcEventLike, type IpcMainLike } from '../../src-main/ipc/register-ipc.std';
import { applySettingsPatch, defaultSettings } from '../../src-main/settings/settings.std';
import { SystemTrayService, type TrayInstance } from '../../src-main/tray/system-tray-service.std';
import type { TrayIconName } from '../../src-main/tray/tray-state.std';
import { makeCall } from './main-fixtures';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const me: StoredSession = { refreshToken: 'r1', user: { id: 'me', username: 'me', displayName: 'Me' } };
const incoming = (callId = 'c1'): CallPresence => ({
  kind: 'incoming',
  callId,
  callType: 'video',
  partnerName: 'Ayşe',
  expiresAt: new Date(NOW + 45_000).toISOString(),
});

class FakeSettings implements SettingsStoreLike {
  private value: Settings = defaultSettings({});
  private readonly listeners: ((next: Settings, previous: Settings) => void)[] = [];
  get() {
    return { ...this.value };
  }
  update(patch: unknown): IpcResult<Settings> {
    const result = applySettingsPatch(this.value, patch);
    if (result.ok) {
      const previous = this.value;
      this.value = result.value;
      this.listeners.forEach((listener) => listener(result.value, previous));
    }
    return result;
  }
  onChange(listener: (next: Settings, previous: Settings) => void) {
    this.listeners.push(listener);
    return () => undefined;
  }
}

function setup(options: { signedIn?: boolean; planTray?: DesktopAppDeps['planTray'] } = {}) {
  const events: string[] = [];
  const actions: AppAction[] = [];
  let windowOpen = false;
  const missed: MissedNotice[] = [];
  const loginItem: boolean[] = [];
  let trayIcon: TrayIconName | null = null;
  let trayBadge = 0;
  let trayTooltip = '';
  let session: StoredSession | null = options.signedIn === false ? null : me;
  const settings = new FakeSettings();
  const cache = new MemoryHistoryCache();
  const trayInstance: TrayInstance = {
    setIcon: (icon) => (trayIcon = icon),
    setToolTip: (text) => (trayTooltip = text),
    setMenu: () => undefined,
    setBadge: (count) => (trayBadge = count),
    destroy: () => events.push('tray:destroy'),
  };
  const tray = new SystemTrayService({
    createTrayInstance: () => trayInstance,
    handlers: { onMenu: () => undefined, onClick: () => undefined },
    setInterval: () => 1,
    clearInterval: () => undefined,
  });
  const timers: (() => void)[] = [];
  const ring = new RingController({
    ringWindow: { show: (call: RingRequest) => events.push(`ring:show:${call.callId}`), close: () => events.push('ring:close') },
    notifyIncoming: (call) => {
      events.push(`notify:${call.callId}`);
      return { close: () => events.push('notify:close') };
    },
    now: () => NOW,
    setTimeout: (fn) => timers.push(fn),
    clearTimeout: () => undefined,
    onExpired: (callId) => app.onRingExpired(callId),
    log: () => undefined,
  });
  const signedIn: boolean[] = [];
  const app: DesktopApp = new DesktopApp({
    settings,
    session: {
      load: () => session,
      save: (value) => {
        session = value as StoredSession;
        return { ok: true, value: null };
      },
      clear: () => (session = null),
    },
    tokens: { accessToken: () => Promise.resolve({ ok: true, value: { token: 'access' } }), logout: () => Promise.resolve() },
    cache,
    tray,
    ring,
    // Like CallWindow: showing or sending to it makes the window; "if open" sends only to one that exists.
    callWindow: {
      show: () => {
        windowOpen = true;
        events.push('window:show');
      },
      sendAction: (action) => {
        windowOpen = true;
        actions.push(action);
      },
      sendActionIfOpen: (action) => {
        if (windowOpen) actions.push(action);
      },
      markRendererReady: () => events.push('window:ready'),
    },
    notifyMissed: (notice) => missed.push(notice),
    applyLoginItem: (open) => loginItem.push(open),
    quit: () => events.push('quit'),
    setSignedIn: (value) => signedIn.push(value),
    osLocale: 'en-US',
    planTray: options.planTray,
    now: () => NOW,
    log: () => undefined,
  });

  // The real IPC registration, with a fake ipcMain and senders.
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = { handle: (channel, fn) => handlers.set(channel, fn), removeHandler: (channel) => handlers.delete(channel) };
  registerIpc(ipcMain, 'app', app.apiHandlers(), () => ['app://heartline']);
  registerIpc(ipcMain, 'ring', app.ringHandlers(), () => ['app://ring']);
  const fromApp: IpcEventLike = { senderFrame: { url: 'app://heartline/index.html', parent: null } };
  const fromRing: IpcEventLike = { senderFrame: { url: 'app://ring/ring.html', parent: null } };
  const invoke = (channel: string, event: IpcEventLike, ...args: unknown[]) => handlers.get(channel)!(event, ...args);

  return {
    app,
    events,
    actions,
    missed,
    loginItem,
    settings,
    cache,
    invoke,
    fromApp,
    fromRing,
    handlers,
    signedIn,
    timers,
    tray: () => ({ icon: trayIcon, badge: trayBadge }),
    trayTooltip: () => trayTooltip,
    trayPlan: () => ({ tooltip: trayTooltip, reminder: tray.state?.planReminder ?? null }),
  };
}

describe('DesktopApp wiring (fakes for Electron)', () => {
  it('registers a handler for every channel of the contract and the ring window', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual([...IPC_GROUPS.app, ...IPC_GROUPS.ring].sort());
  });

  it('starts with the tray idle and applies the start-at-login setting', () => {
    const { tray, loginItem } = setup();
    expect(tray()).toEqual({ icon: 'idle', badge: 0 });
    expect(loginItem).toEqual([false]);
  });

  it('rings on an incoming call (ring window, notification, tray) and stops when answered elsewhere', () => {
    const { invoke, fromApp, events, tray } = setup();
    invoke('calls:set-presence', fromApp, incoming());
    expect(events).toEqual(['ring:show:c1', 'notify:c1']);
    expect(tray().icon).toBe('ringing');
    invoke('calls:set-presence', fromApp, { kind: 'idle' });
    expect(events.slice(2)).toEqual(['notify:close', 'ring:close']);
    expect(tray().icon).toBe('idle');
  });

  it('shows a recording in the tray while main writes one during a call, and not after', () => {
    const { app, invoke, fromApp, trayTooltip } = setup();
    invoke('calls:set-presence', fromApp, { kind: 'in-call', callId: 'c1', callType: 'video', partnerName: 'Bob' });
    expect(trayTooltip()).toBe('In a call with Bob');
    app.setRecording(true);
    expect(trayTooltip()).toBe('Recording the call with Bob');
    app.setRecording(false);
    expect(trayTooltip()).toBe('In a call with Bob');
  });

  it('answers from the ring window: stops ringing, shows the call window, tells the renderer', () => {
    const { invoke, fromApp, fromRing, events, actions } = setup();
    invoke('calls:set-presence', fromApp, incoming());
    invoke('ring:answer', fromRing, { callId: 'c1', audioOnly: true });
    expect(events.slice(2)).toEqual(['notify:close', 'ring:close', 'window:show']);
    expect(actions).toEqual([{ kind: 'answer', callId: 'c1', callType: 'voice' }]);
  });

  it('declines from the ring window without bringing the call window up', () => {
    const { invoke, fromApp, fromRing, events, actions } = setup();
    invoke('calls:set-presence', fromApp, incoming());
    invoke('ring:decline', fromRing, { callId: 'c1' });
    expect(events).not.toContain('window:show');
    expect(actions).toEqual([{ kind: 'decline', callId: 'c1' }]);
  });

  it('ignores an answer for a call that is no longer ringing', () => {
    const { invoke, fromApp, fromRing, actions } = setup();
    invoke('calls:set-presence', fromApp, incoming('c2'));
    invoke('ring:answer', fromRing, { callId: 'c1', audioOnly: false });
    expect(actions).toEqual([]);
  });

  it('keeps each bridge to its own page: the ring window cannot use the app API and vice versa', () => {
    const { invoke, fromApp, fromRing } = setup();
    expect(() => invoke('session:load', fromRing)).toThrow(/not the app/);
    expect(() => invoke('ring:answer', fromApp, { callId: 'c1', audioOnly: false })).toThrow(/not the app/);
  });

  it('validates every payload', () => {
    const { invoke, fromApp, fromRing } = setup();
    expect(() => invoke('calls:set-presence', fromApp, { kind: 'ringing' })).toThrow(/invalid payload/);
    expect(() => invoke('history:cached', fromApp, 10_000)).toThrow(/invalid payload/);
    expect(() => invoke('history:cached', fromApp, '5')).toThrow(/invalid payload/);
    expect(() => invoke('history:merge', fromApp, [{ id: 'x' }], 10)).toThrow(/invalid payload/);
    expect(() => invoke('ring:answer', fromRing, { callId: 'c1' })).toThrow(/invalid payload/);
    expect(() => invoke('ring:answer', fromRing, { callId: 'c1', audioOnly: false, extra: 1 })).toThrow(/invalid payload/);
    expect(invoke('settings:update', fromApp, { doNotDisturb: 'yes' })).toMatchObject({ ok: false });
  });

  it('under do not disturb: no ring, and a missed call is counted on the badge but not announced', () => {
    const { invoke, fromApp, events, missed, tray } = setup();
    expect(invoke('settings:update', fromApp, { doNotDisturb: true })).toMatchObject({ ok: true });
    invoke('calls:set-presence', fromApp, incoming());
    expect(events).toEqual([]);
    invoke('calls:set-presence', fromApp, { kind: 'idle' });
    invoke('history:merge', fromApp, [makeCall({ id: 'c1', status: 'missed', createdAt: new Date(NOW - 50_000).toISOString() })], 20);
    expect(missed).toEqual([]);
    expect(tray()).toEqual({ icon: 'missed', badge: 1 });
  });

  it('switching do not disturb on silences a ringing call', () => {
    const { invoke, fromApp, events, app } = setup();
    invoke('calls:set-presence', fromApp, incoming());
    app.onTrayMenu('dnd', true);
    expect(events.slice(-2)).toEqual(['notify:close', 'ring:close']);
  });

  it('announces a newly missed call once, bumps the badge, and clears it when seen', () => {
    const { invoke, fromApp, missed, tray } = setup();
    invoke('calls:set-presence', fromApp, incoming());
    invoke('calls:set-presence', fromApp, { kind: 'idle' });
    const call = makeCall({ id: 'c1', status: 'missed', endReason: 'timeout', createdAt: new Date(NOW - 50_000).toISOString() });
    const merged = invoke('history:merge', fromApp, [call], 20);
    expect(merged).toEqual([call]);
    expect(missed).toEqual([{ count: 1, partnerName: 'Ayşe', latest: call }]);
    expect(tray()).toEqual({ icon: 'missed', badge: 1 });
    // The renderer's missed list is main's: the same calls the tray counts.
    expect(invoke('history:missed', fromApp, 20)).toEqual([call]);
    invoke('history:merge', fromApp, [call], 20);
    expect(missed).toHaveLength(1);
    invoke('history:mark-missed-seen', fromApp);
    expect(tray()).toEqual({ icon: 'idle', badge: 0 });
    expect(invoke('history:missed', fromApp, 20)).toEqual([]);
    expect(invoke('history:cached', fromApp, 5)).toEqual([call]);
  });

  it('counts nothing while signed out', () => {
    const { invoke, fromApp, tray, missed } = setup({ signedIn: false });
    invoke('history:merge', fromApp, [makeCall({ status: 'missed', createdAt: new Date(NOW - 1000).toISOString() })], 20);
    expect(tray().badge).toBe(0);
    expect(missed).toEqual([]);
  });

  it('clears the cached history when another account signs in', () => {
    const { invoke, fromApp, cache } = setup();
    invoke('history:merge', fromApp, [makeCall()], 20);
    invoke('session:save', fromApp, { ...me, refreshToken: 'rotated' });
    expect(cache.recent(10)).toHaveLength(1);
    invoke('session:save', fromApp, { refreshToken: 'r2', user: { id: 'other', username: 'other', displayName: 'Other' } });
    expect(cache.recent(10)).toHaveLength(0);
  });

  it('turns tray menu items into actions', () => {
    const { app, actions, events, settings, loginItem } = setup();
    app.onTrayMenu('video-call');
    app.onTrayMenu('voice-call');
    app.onTrayMenu('settings');
    app.onTrayMenu('open');
    app.onTrayClick();
    app.onTrayMenu('quit');
    expect(actions).toEqual([{ kind: 'start-call', callType: 'video' }, { kind: 'start-call', callType: 'voice' }, { kind: 'open-settings' }]);
    expect(events).toEqual(['window:show', 'window:show', 'window:show', 'window:show', 'window:show', 'quit']);
    app.onTrayMenu('dnd', true);
    expect(settings.get().doNotDisturb).toBe(true);
    settings.update({ startAtLogin: true });
    expect(loginItem).toEqual([false, true]);
  });

  it('shows in-call in the tray during a call and releases everything on dispose', () => {
    const { app, invoke, fromApp, tray, events } = setup();
    invoke('calls:set-presence', fromApp, { kind: 'in-call', callId: 'c1', callType: 'voice', partnerName: 'Ayşe' });
    expect(tray().icon).toBe('in-call');
    app.dispose();
    expect(events).toContain('tray:destroy');
  });

  it('session:load tells the renderer who is signed in, never the refresh token', () => {
    const { invoke, fromApp } = setup();
    const reply = invoke('session:load', fromApp);
    expect(reply).toEqual({ user: me.user });
    expect(JSON.stringify(reply)).not.toContain(me.refreshToken);
  });

  it('hands out access tokens that main refreshed, and flushes queued actions on the renderer’s ready', async () => {
    const { invoke, fromApp, events } = setup();
    await expect(invoke('session:access-token', fromApp)).resolves.toEqual({ ok: true, value: { token: 'access' } });
    invoke('app:ready', fromApp);
    expect(events).toContain('window:ready');
  });

  it('owns ring expiry: when the ring time runs out it stops ringing and tells the renderer, also under do not disturb', () => {
    const { invoke, fromApp, events, actions, timers } = setup();
    invoke('calls:set-presence', fromApp, incoming('c1'));
    timers.at(-1)!();
    expect(events).toContain('ring:close');
    expect(actions).toEqual([{ kind: 'ring-expired', callId: 'c1' }]);
    invoke('calls:set-presence', fromApp, { kind: 'idle' });
    invoke('settings:update', fromApp, { doNotDisturb: true });
    invoke('calls:set-presence', fromApp, incoming('c2'));
    timers.at(-1)!();
    expect(actions.at(-1)).toEqual({ kind: 'ring-expired', callId: 'c2' });
  });

  it('reports whether someone is signed in (macOS keeps App Nap off meanwhile)', () => {
    const { invoke, fromApp, signedIn } = setup();
    expect(signedIn.at(-1)).toBe(true);
    invoke('session:clear', fromApp);
    expect(signedIn.at(-1)).toBe(false);
  });
});

describe('planned calls in the tray (fake plan cache and clock)', () => {
  const occurrenceAt = NOW + 5 * 60_000;
  const planTray = (clock: { ms: number }) => {
    const redraws: string[] = [];
    const tracker = new PlanTrayTracker({
      plans: () => [
        { id: 'p1', createdBy: 'me', type: 'video', startsAt: new Date(occurrenceAt).toISOString(), timeZone: 'UTC', rule: null, note: '', remindMinutes: 10, skipped: [], createdAt: '', updatedAt: '' },
      ],
      now: () => clock.ms,
      changed: () => redraws.push('tray'),
      partnerName: () => 'Ayşe',
      timeZone: 'UTC',
    });
    return { tracker, redraws };
  };
  const reminder = { planId: 'p1', occurrenceAt, kind: 'now' as const, callType: 'video' as const, note: '', remindMinutes: 10 };

  it('shows the next planned call with the window closed, then the due reminder; "Call now" in the menu starts the linked call', () => {
    const clock = { ms: NOW };
    const { tracker } = planTray(clock);
    const { app, actions, trayPlan: tray } = setup({ planTray: tracker });
    app.refreshTray();
    expect(tray().tooltip).toBe('Planned call with Ayşe · Thu 12:05');

    tracker.reminded(reminder);
    app.refreshTray();
    expect(tray().tooltip).toBe('Time for your planned call with Ayşe');
    expect(tray().reminder).toBe('now');
    app.onTrayMenu('plan-call');
    expect(actions).toEqual([{ kind: 'start-call', callType: 'video', plan: { planId: 'p1', occurrence: new Date(occurrenceAt).toISOString() } }]);
    app.refreshTray();
    expect(tray().reminder).toBeNull();
  });

  it('a call starting (any way) or "Dismiss" clears the reminder; it does not come back when the call ends', () => {
    const clock = { ms: NOW };
    const { tracker } = planTray(clock);
    const { app, invoke, fromApp, trayPlan: tray } = setup({ planTray: tracker });
    tracker.reminded(reminder);
    app.refreshTray();
    expect(tray().reminder).toBe('now');
    invoke('calls:set-presence', fromApp, { kind: 'outgoing', callId: null, callType: 'voice', partnerName: 'Ayşe' });
    invoke('calls:set-presence', fromApp, { kind: 'idle' });
    expect(tray().reminder).toBeNull();

    tracker.reminded({ ...reminder, kind: 'lead' });
    app.refreshTray();
    expect(tray().reminder).toBe('lead');
    app.onTrayMenu('plan-dismiss');
    app.refreshTray();
    expect(tray().reminder).toBeNull();
    expect(tray().tooltip).toBe('Planned call with Ayşe · Thu 12:05');
  });

  it('"Dismiss reminder" in the tray takes the open page\'s notice of it away too, and opens no window for it', () => {
    const clock = { ms: NOW };
    const { tracker } = planTray(clock);
    const { app, actions, events } = setup({ planTray: tracker });
    tracker.reminded(reminder);
    app.onTrayMenu('plan-dismiss');
    expect(actions).toEqual([]);
    expect(events).not.toContain('window:show');

    app.onTrayClick();
    tracker.reminded(reminder);
    app.onTrayMenu('plan-dismiss');
    expect(actions).toEqual([{ kind: 'plan-reminder-dismissed', planId: reminder.planId, occurrence: new Date(reminder.occurrenceAt).toISOString(), reminder: 'now' }]);
  });
});
