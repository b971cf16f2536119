// The call window manager against a faithful fake BrowserWindow: the window exists or
// not, has painted or not, the renderer is ready or not, its process dies. These are
// the orderings that broke: a cold start from a link (hidden window first, then
// show), tray actions flushed before the renderer listened, a crashed renderer.
import { describe, expect, it } from 'vitest';
import type { AppAction } from '../../src-shared/ipc';
import { CallWindow } from '../../src-main/windows/call-window.std';
import { FakeWindow } from './fake-browser-window';
import { CrashRecovery } from '../../src-main/windows/crash-recovery.std';

function setup(recovery?: CrashRecovery) {
  const windows: FakeWindow[] = [];
  const log: string[] = [];
  let now = 0;
  const manager = new CallWindow({
    url: 'app://heartline/index.html',
    createWindow: () => {
      const window = new FakeWindow();
      windows.push(window);
      return window;
    },
    now: () => now,
    log: (line) => log.push(line),
    ...(recovery ? { recovery } : {}),
  });
  return { manager, windows, log, advance: (ms: number) => (now += ms) };
}

const startCall: AppAction = { kind: 'start-call', callType: 'voice' };

describe('call window: showing', () => {
  it('cold start from an invite link: a window created hidden by an action is shown when asked, once it has painted', () => {
    const { manager, windows } = setup();
    manager.sendAction({ kind: 'open-invite', code: 'ABCD-EFGH' }); // creates the window, hidden
    manager.create(true); // the start-up's own "show the window"
    expect(windows).toHaveLength(1);
    expect(windows[0]!.visible).toBe(false); // not before it has painted (no white flash)
    windows[0]!.emit('ready-to-show');
    expect(windows[0]!.visible).toBe(true);
  });

  it('show() after the window painted hidden shows and focuses it at once', () => {
    const { manager, windows } = setup();
    manager.create(false);
    windows[0]!.emit('ready-to-show');
    expect(windows[0]!.visible).toBe(false); // started at login: stays in the tray
    windows[0]!.minimized = true;
    manager.show();
    expect(windows[0]).toMatchObject({ visible: true, focused: true, minimized: false });
  });

  it('closing hides to the tray (the renderer keeps ringing) until the app quits', () => {
    const { manager, windows } = setup();
    manager.create(true);
    windows[0]!.emit('ready-to-show');
    expect(windows[0]!.userClose()).toBe(true);
    expect(windows[0]!.visible).toBe(false);
    manager.prepareToQuit();
    expect(windows[0]!.userClose()).toBe(false);
  });

  it('after the window is really closed, the next show builds a new one', () => {
    const { manager, windows } = setup();
    manager.create(false);
    windows[0]!.emit('closed');
    manager.show();
    expect(windows).toHaveLength(2);
  });
});

describe('call window: actions wait for the renderer’s "ready"', () => {
  it('queues actions until the renderer says ready, then delivers them in order', () => {
    const { manager, windows } = setup();
    manager.sendAction(startCall);
    manager.sendAction({ kind: 'open-settings' });
    windows[0]!.emit('ready-to-show'); // painted and loaded is not "listening"
    expect(windows[0]!.delivered).toEqual([]);
    manager.markRendererReady();
    expect(windows[0]!.delivered).toEqual([startCall, { kind: 'open-settings' }]);
    manager.sendAction({ kind: 'decline', callId: 'c1' });
    expect(windows[0]!.delivered.at(-1)).toEqual({ kind: 'decline', callId: 'c1' });
  });

  it('news for the page (a reminder dismissed in the tray) opens no window; an open one gets it', () => {
    const { manager, windows } = setup();
    const dismissed: AppAction = { kind: 'plan-reminder-dismissed', planId: 'p1', occurrence: '2026-11-28T20:00:00.000Z', reminder: 'now' };
    manager.sendActionIfOpen(dismissed);
    expect(windows).toHaveLength(0);
    manager.show();
    windows[0]!.emit('ready-to-show');
    manager.markRendererReady();
    manager.sendActionIfOpen(dismissed);
    expect(windows[0]!.delivered).toEqual([dismissed]);
  });

  it('a reload (new server URL) makes it wait again for the new page’s ready', () => {
    const { manager, windows } = setup();
    manager.create(false);
    manager.markRendererReady();
    windows[0]!.webContents.reload();
    manager.sendAction(startCall);
    expect(windows[0]!.delivered).toEqual([]);
    manager.markRendererReady();
    expect(windows[0]!.delivered).toEqual([startCall]);
  });
});

describe('call window: a renderer that dies is reloaded, a bounded number of times', () => {
  it('reloads and logs, and actions sent meanwhile reach the new renderer', () => {
    const { manager, windows, log } = setup();
    manager.create(false);
    manager.markRendererReady();
    windows[0]!.crash('oom');
    expect(windows[0]!.reloads).toBe(1);
    expect(log.at(-1)).toMatch(/renderer gone \(oom\); reloading \(attempt 1\)/);
    manager.sendAction(startCall);
    expect(windows[0]!.delivered).toEqual([]);
    manager.markRendererReady();
    expect(windows[0]!.delivered).toEqual([startCall]);
  });

  it('gives up after the limit within the window of time, and tries again once it has passed', () => {
    const { manager, windows, log, advance } = setup(new CrashRecovery({ maxReloads: 2, windowMs: 60_000 }));
    manager.create(false);
    windows[0]!.crash();
    advance(1_000);
    windows[0]!.crash();
    advance(1_000);
    windows[0]!.crash();
    expect(windows[0]!.reloads).toBe(2);
    expect(log.at(-1)).toMatch(/3 times in a row; not reloading again/);
    advance(120_000);
    windows[0]!.crash();
    expect(windows[0]!.reloads).toBe(3);
  });

  it('does not reload while quitting', () => {
    const { manager, windows } = setup();
    manager.create(false);
    manager.prepareToQuit();
    windows[0]!.crash('killed');
    expect(windows[0]!.reloads).toBe(0);
  });
});
