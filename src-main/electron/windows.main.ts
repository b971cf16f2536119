// The windows: the call window (close-to-tray), the ring window (small, frameless,
// always on top, shown without taking focus; it plays the ringtone) and the screen
// picker. All share the hardened webPreferences.
import { BrowserWindow, screen } from 'electron';
import { join } from 'node:path';
import { PICKER_SOURCES_CHANNEL, RING_SHOW_CHANNEL } from '../../src-shared/ipc';
import type { RingWindowLike } from '../calls/ring-controller.std';
import type { RingRequest } from '../calls/ring-policy.std';
import type { MainStrings } from '../i18n/strings.std';
import type { RingWindowBehaviour } from '../windows/platform-behaviour.std';
import { PICKER_ENTRY, RING_ENTRY } from '../security/origins.std';
import { ringWindowBounds, secureWebPreferences } from '../security/web-preferences.std';

/** The call window's BrowserWindow (close-to-tray and the rest: windows/call-window.std.ts). */
export function createCallBrowserWindow(options: { preloadDir: string; icon: string; title: string }): BrowserWindow {
  return new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: options.title,
    icon: options.icon,
    backgroundColor: '#1e1f22',
    autoHideMenuBar: true,
    // backgroundThrottling off: a hidden call window still runs the call and its timers.
    webPreferences: secureWebPreferences(join(options.preloadDir, 'index.cjs'), { backgroundThrottling: false }),
  });
}

export interface RingPayload extends RingRequest {
  labels: { title: string; answer: string; answerAudioOnly: string; decline: string };
  language: string;
}

export class RingWindow implements RingWindowLike {
  private window: BrowserWindow | null = null;

  constructor(
    private readonly options: {
      preloadDir: string;
      strings: () => { strings: MainStrings; language: string };
      behaviour: RingWindowBehaviour;
      onCreated(window: BrowserWindow): void;
    },
  ) {}

  get browserWindow(): BrowserWindow | null {
    return this.window;
  }

  show(call: RingRequest): void {
    this.close();
    const bounds = ringWindowBounds(screen.getPrimaryDisplay().workArea);
    const window = new BrowserWindow({
      ...bounds,
      show: false,
      frame: false,
      resizable: false,
      movable: true,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      focusable: this.options.behaviour.focusable,
      backgroundColor: '#2b2d31',
      title: 'Heartline',
      // The ringtone must start without a click.
      webPreferences: secureWebPreferences(join(this.options.preloadDir, 'ring.cjs'), { autoplayPolicy: 'no-user-gesture-required' }),
    });
    window.setAlwaysOnTop(true, 'pop-up-menu');
    const workspaces = this.options.behaviour.allWorkspaces;
    if (workspaces) window.setVisibleOnAllWorkspaces(true, workspaces);
    this.window = window;
    this.options.onCreated(window);
    const { strings, language } = this.options.strings();
    const payload: RingPayload = {
      ...call,
      language,
      labels: { title: strings.incomingTitle(call.callType), answer: strings.answer, answerAudioOnly: strings.answerAudioOnly, decline: strings.decline },
    };
    window.webContents.once('did-finish-load', () => {
      if (window.isDestroyed()) return;
      window.webContents.send(RING_SHOW_CHANNEL, payload);
      // Shown without stealing focus from whatever the user is typing in.
      window.showInactive();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    void window.loadURL(RING_ENTRY);
  }

  close(): void {
    const window = this.window;
    this.window = null;
    if (window && !window.isDestroyed()) window.destroy();
  }
}

export interface PickerSource {
  id: string;
  name: string;
  thumbnail: string;
  kind: 'screen' | 'window';
}

/** One picker window at a time; resolves with the chosen id or null (closed / canceled). */
export class PickerWindow {
  private resolve: ((id: string | null) => void) | null = null;
  private window: BrowserWindow | null = null;

  constructor(private readonly options: { preloadDir: string; parent: () => BrowserWindow | null; title: string; onCreated(window: BrowserWindow): void }) {}

  get browserWindow(): BrowserWindow | null {
    return this.window;
  }

  pick(sources: PickerSource[], labels: { title: string; share: string; cancel: string }): Promise<string | null> {
    this.finish(null);
    const parent = this.options.parent();
    const window = new BrowserWindow({
      width: 760,
      height: 520,
      show: false,
      modal: parent !== null,
      ...(parent ? { parent } : {}),
      title: this.options.title,
      minimizable: false,
      maximizable: false,
      autoHideMenuBar: true,
      backgroundColor: '#2b2d31',
      webPreferences: secureWebPreferences(join(this.options.preloadDir, 'picker.cjs')),
    });
    this.window = window;
    this.options.onCreated(window);
    window.webContents.once('did-finish-load', () => {
      if (window.isDestroyed()) return;
      window.webContents.send(PICKER_SOURCES_CHANNEL, { sources, labels });
      window.show();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
      this.finish(null);
    });
    void window.loadURL(PICKER_ENTRY);
    return new Promise((resolve) => (this.resolve = resolve));
  }

  /** From the picker page (picker:choose). */
  choose(id: string | null): void {
    this.finish(id);
  }

  private finish(id: string | null): void {
    const resolve = this.resolve;
    this.resolve = null;
    resolve?.(id);
    const window = this.window;
    this.window = null;
    if (window && !window.isDestroyed()) window.destroy();
  }
}
