// A faithful fake of Electron's BrowserWindow, as the call window manager uses it:
// created hidden, paints later (ready-to-show), loads, closes to the tray, crashes.
// Shared by the call window tests and the plan reminder tests.
import { expect } from 'vitest';
import { ACTION_CHANNEL } from '../../src-shared/ipc';
import type { BrowserWindowLike } from '../../src-main/windows/call-window.std';

type Listener = (...args: never[]) => void;

/** Models what matters of a BrowserWindow: created hidden, paints later, loads, crashes. */
export class FakeWindow implements BrowserWindowLike {
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;
  loads: string[] = [];
  reloads = 0;
  /** What the page received (only while a renderer is alive). */
  delivered: unknown[] = [];
  private readonly listeners = new Map<string, Listener[]>();
  private readonly contentsListeners = new Map<string, Listener[]>();

  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {
    this.focused = true;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  loadURL(url: string) {
    this.loads.push(url);
    this.emitContents('did-start-loading');
    return Promise.resolve();
  }
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  webContents = {
    send: (channel: string, payload: unknown) => {
      expect(channel).toBe(ACTION_CHANNEL);
      this.delivered.push(payload);
    },
    reload: () => {
      this.reloads += 1;
      this.emitContents('did-start-loading');
    },
    on: (event: string, listener: Listener) => {
      this.contentsListeners.set(event, [...(this.contentsListeners.get(event) ?? []), listener]);
    },
  };

  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  emitContents(event: string, ...args: unknown[]) {
    for (const listener of this.contentsListeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  /** The user clicks the close button. */
  userClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    return prevented;
  }
  crash(reason = 'crashed') {
    this.emitContents('render-process-gone', {}, { reason, exitCode: 1 });
  }
}
