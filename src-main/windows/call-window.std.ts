// The call window's life: created hidden or shown, closed to the tray, actions for
// the renderer queued until the renderer says it is ready, and reloaded (a bounded
// number of times) when its renderer process dies, so calls keep ringing. The
// BrowserWindow sits behind a factory: tests drive this with a faithful fake.
import type { AppAction } from '../../src-shared/ipc';
import { ACTION_CHANNEL } from '../../src-shared/ipc';
import type { CallWindowLike } from '../desktop-app.std';
import { CrashRecovery } from './crash-recovery.std';

/** The part of Electron's BrowserWindow this manager uses. */
export interface BrowserWindowLike {
  show(): void;
  hide(): void;
  focus(): void;
  isMinimized(): boolean;
  restore(): void;
  isDestroyed(): boolean;
  loadURL(url: string): Promise<void>;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): void;
  on(event: 'closed' | 'ready-to-show', listener: () => void): void;
  webContents: {
    send(channel: string, payload: unknown): void;
    reload(): void;
    on(event: 'did-start-loading', listener: () => void): void;
    on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode?: number }) => void): void;
  };
}

export interface CallWindowOptions<W extends BrowserWindowLike> {
  url: string;
  createWindow(): W;
  now(): number;
  log(message: string): void;
  recovery?: CrashRecovery;
}

export class CallWindow<W extends BrowserWindowLike = BrowserWindowLike> implements CallWindowLike {
  private window: W | null = null;
  /** The renderer said it handles actions (since its last load). */
  private rendererReady = false;
  /** ready-to-show fired: show() may show at once. */
  private painted = false;
  /** Someone asked to show it before it had painted. */
  private showWhenPainted = false;
  private quitting = false;
  private readonly pending: AppAction[] = [];
  private readonly recovery: CrashRecovery;

  constructor(private readonly options: CallWindowOptions<W>) {
    this.recovery = options.recovery ?? new CrashRecovery();
  }

  get browserWindow(): W | null {
    return this.window;
  }

  /**
   * Creates the window if needed. `showNow` shows it once it has painted, also when
   * an earlier call (an action at launch) created it hidden.
   */
  create(showNow: boolean): W {
    const window = this.window ?? this.build();
    if (showNow) {
      if (this.painted) window.show();
      else this.showWhenPainted = true;
    }
    return window;
  }

  show(): void {
    const window = this.create(true);
    if (!this.painted) return; // ready-to-show will show it
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  /** Delivered at once when the renderer is ready, else queued until it is. */
  sendAction(action: AppAction): void {
    const window = this.create(false);
    if (this.rendererReady) window.webContents.send(ACTION_CHANNEL, action);
    else this.pending.push(action);
  }

  sendActionIfOpen(action: AppAction): void {
    if (this.window) this.sendAction(action);
  }

  /** The renderer's explicit "ready": its action listeners are attached. */
  markRendererReady(): void {
    this.rendererReady = true;
    const window = this.window;
    if (!window) return;
    for (const action of this.pending.splice(0)) window.webContents.send(ACTION_CHANNEL, action);
  }

  prepareToQuit(): void {
    this.quitting = true;
  }

  private build(): W {
    const window = this.options.createWindow();
    this.window = window;
    this.rendererReady = false;
    this.painted = false;
    window.on('ready-to-show', () => {
      this.painted = true;
      if (!this.showWhenPainted) return;
      this.showWhenPainted = false;
      window.show();
    });
    window.on('close', (event) => {
      // Close-to-tray: the renderer keeps its socket, so calls still ring.
      if (this.quitting) return;
      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.window !== window) return;
      this.window = null;
      this.rendererReady = false;
      this.painted = false;
    });
    // A reload (new server URL, crash recovery) starts a renderer that is not ready yet.
    window.webContents.on('did-start-loading', () => (this.rendererReady = false));
    window.webContents.on('render-process-gone', (_event, details) => this.onRendererGone(window, details.reason));
    void window.loadURL(this.options.url).catch((error: unknown) => this.options.log(`call window: load failed: ${(error as Error).message}`));
    return window;
  }

  private onRendererGone(window: BrowserWindowLike, reason: string): void {
    this.rendererReady = false;
    if (this.quitting || window.isDestroyed()) return;
    const decision = this.recovery.decide(this.options.now());
    if (decision.kind === 'give-up') {
      this.options.log(`call window: renderer gone (${reason}) ${decision.crashes} times in a row; not reloading again`);
      return;
    }
    this.options.log(`call window: renderer gone (${reason}); reloading (attempt ${decision.attempt})`);
    window.webContents.reload();
  }
}
