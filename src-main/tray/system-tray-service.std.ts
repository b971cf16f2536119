// The tray, built from an injected factory (as Signal Desktop's SystemTrayService is),
// so it is driven and tested under Node with a fake. Only changes reach the tray.
import { computeTrayState, type TrayIconName, type TrayInput, type TrayMenuId, type TrayMenuItem, type TrayState } from './tray-state.std';

/** The thin adapter over Electron's Tray + Menu + nativeImage (see electron/tray.main.ts). */
export interface TrayInstance {
  setIcon(icon: TrayIconName): void;
  setToolTip(text: string): void;
  setMenu(items: TrayMenuItem[]): void;
  setBadge(count: number): void;
  destroy(): void;
}

export interface TrayHandlers {
  onMenu(id: TrayMenuId, checked?: boolean): void;
  onClick(): void;
}

export interface SystemTrayServiceOptions {
  createTrayInstance(initialIcon: TrayIconName, handlers: TrayHandlers): TrayInstance;
  handlers: TrayHandlers;
  /** Injected timers: tests step the ringing animation by hand. */
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  animationMs?: number;
}

export class SystemTrayService {
  private tray: TrayInstance | null = null;
  private applied: TrayState | null = null;
  private shownIcon: TrayIconName | null = null;
  private animation: unknown = null;
  private readonly setIntervalFn: (fn: () => void, ms: number) => unknown;
  private readonly clearIntervalFn: (handle: unknown) => void;

  constructor(private readonly options: SystemTrayServiceOptions) {
    this.setIntervalFn = options.setInterval ?? ((fn, ms) => setInterval(fn, ms));
    this.clearIntervalFn = options.clearInterval ?? ((handle) => clearInterval(handle as ReturnType<typeof setInterval>));
  }

  get state(): TrayState | null {
    return this.applied;
  }

  /** The icon on screen right now (with the animation frame). */
  get currentIcon(): TrayIconName | null {
    return this.shownIcon;
  }

  update(input: TrayInput): TrayState {
    const next = computeTrayState(input);
    if (!this.tray) {
      this.tray = this.options.createTrayInstance(next.icon, this.options.handlers);
      this.shownIcon = next.icon;
    }
    const previous = this.applied;
    if (!previous || previous.icon !== next.icon || previous.animate !== next.animate) this.applyIcon(next);
    if (!previous || previous.tooltip !== next.tooltip) this.tray.setToolTip(next.tooltip);
    if (!previous || JSON.stringify(previous.menu) !== JSON.stringify(next.menu)) this.tray.setMenu(next.menu);
    if (!previous || previous.badgeCount !== next.badgeCount) this.tray.setBadge(next.badgeCount);
    this.applied = next;
    return next;
  }

  destroy(): void {
    this.stopAnimation();
    this.tray?.destroy();
    this.tray = null;
    this.applied = null;
    this.shownIcon = null;
  }

  private applyIcon(state: TrayState): void {
    this.stopAnimation();
    this.show(state.icon);
    if (!state.animate) return;
    this.animation = this.setIntervalFn(() => {
      this.show(this.shownIcon === 'ringing' ? 'ringing-alt' : 'ringing');
    }, this.options.animationMs ?? 600);
  }

  private show(icon: TrayIconName): void {
    this.tray?.setIcon(icon);
    this.shownIcon = icon;
  }

  private stopAnimation(): void {
    if (this.animation === null) return;
    this.clearIntervalFn(this.animation);
    this.animation = null;
  }
}
