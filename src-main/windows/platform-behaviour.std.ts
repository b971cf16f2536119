// What differs per OS in the ring window, the tray and start-up, decided here (pure,
// tested for each platform) so the Electron adapters only apply it.

export type Platform = 'darwin' | 'win32' | 'linux' | (string & {});

/** Linux sessions where Electron runs on Wayland (its default when a Wayland display is there). */
export function isWaylandSession(env: Record<string, string | undefined>): boolean {
  return env.XDG_SESSION_TYPE === 'wayland' || Boolean(env.WAYLAND_DISPLAY);
}

export interface RingWindowBehaviour {
  /**
   * false: the window never takes keyboard focus. On Wayland showInactive() focuses like
   * show(), so a ring would take the keys the user is typing elsewhere.
   */
  focusable: boolean;
  /** macOS: join every Space, full-screen ones too, so the ring is seen over a full-screen app. */
  allWorkspaces: { visibleOnFullScreen: boolean; skipTransformProcessType: boolean } | null;
}

export function ringWindowBehaviour(platform: Platform, env: Record<string, string | undefined>): RingWindowBehaviour {
  return {
    focusable: !(platform === 'linux' && isWaylandSession(env)),
    allWorkspaces:
      platform === 'darwin'
        ? { visibleOnFullScreen: true, skipTransformProcessType: true }
        : platform === 'linux'
          ? { visibleOnFullScreen: false, skipTransformProcessType: false }
          : null,
  };
}

export interface TrayBehaviour {
  /**
   * Whether a click on the icon opens the window. Not on macOS: there the click fires on
   * mouse-down also when the menu opens, so opening the menu would pop the window up.
   */
  showWindowOnClick: boolean;
  /** macOS menu-bar icons are template images (the system tints them for the bar). */
  templateImage: boolean;
}

export function trayBehaviour(platform: Platform): TrayBehaviour {
  return { showWindowOnClick: platform !== 'darwin', templateImage: platform === 'darwin' };
}

/**
 * Whether the panel behind the tray icon is dark. Windows: the taskbar follows the
 * system theme, which may differ from the apps' theme (shouldUseDarkColors).
 */
export function trayPanelIsDark(platform: Platform, theme: { shouldUseDarkColors: boolean; shouldUseDarkColorsForSystemIntegratedUI: boolean }): boolean {
  return platform === 'win32' ? theme.shouldUseDarkColorsForSystemIntegratedUI : theme.shouldUseDarkColors;
}

/**
 * heartline:// registration. Packaged: the app itself. Development (`electron .`):
 * this Electron binary with the app folder as an absolute path (a relative `.` would
 * resolve against whatever folder the OS launches from). End-to-end runs: never, so
 * a test does not take over the developer's link handler.
 */
export function protocolClientRegistration(context: {
  defaultApp: boolean;
  e2e: boolean;
  execPath: string;
  argv: readonly string[];
  resolve(path: string): string;
}): { kind: 'skip' } | { kind: 'packaged' } | { kind: 'development'; execPath: string; args: string[] } {
  if (context.e2e) return { kind: 'skip' };
  if (!context.defaultApp) return { kind: 'packaged' };
  const script = context.argv[1];
  if (!script) return { kind: 'skip' };
  return { kind: 'development', execPath: context.execPath, args: [context.resolve(script)] };
}

/**
 * macOS App Nap suspends a hidden app's timers and network after a while: the socket
 * that delivers the ring would go quiet. While someone is signed in (and so may be
 * called) main holds a 'prevent-app-suspension' power-save blocker; it does not keep
 * the display or the Mac awake. Other systems have no App Nap.
 */
export function preventAppNap(platform: Platform, signedIn: boolean): boolean {
  return platform === 'darwin' && signedIn;
}
