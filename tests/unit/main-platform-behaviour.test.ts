// Per-OS decisions of the desktop shell: which window options and tray behaviour each
// platform gets, what counts as "started hidden", protocol registration, App Nap.
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isWaylandSession,
  preventAppNap,
  protocolClientRegistration,
  ringWindowBehaviour,
  trayBehaviour,
  trayPanelIsDark,
} from '../../src-main/windows/platform-behaviour.std';

describe('ring window per platform', () => {
  it('never takes keyboard focus on Wayland, where showInactive focuses anyway', () => {
    expect(ringWindowBehaviour('linux', { XDG_SESSION_TYPE: 'wayland' }).focusable).toBe(false);
    expect(ringWindowBehaviour('linux', { WAYLAND_DISPLAY: 'wayland-0' }).focusable).toBe(false);
    expect(ringWindowBehaviour('linux', { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' }).focusable).toBe(true);
    expect(ringWindowBehaviour('win32', {}).focusable).toBe(true);
    expect(ringWindowBehaviour('darwin', { WAYLAND_DISPLAY: 'x' }).focusable).toBe(true);
    expect(isWaylandSession({})).toBe(false);
  });

  it('shows over full-screen apps on macOS (all Spaces, without turning the app into a UI element)', () => {
    expect(ringWindowBehaviour('darwin', {}).allWorkspaces).toEqual({ visibleOnFullScreen: true, skipTransformProcessType: true });
    expect(ringWindowBehaviour('linux', {}).allWorkspaces).toEqual({ visibleOnFullScreen: false, skipTransformProcessType: false });
    expect(ringWindowBehaviour('win32', {}).allWorkspaces).toBeNull();
  });
});

describe('tray per platform', () => {
  it('macOS: no window on click (the click fires when the menu opens) and template images', () => {
    expect(trayBehaviour('darwin')).toEqual({ showWindowOnClick: false, templateImage: true });
    expect(trayBehaviour('win32')).toEqual({ showWindowOnClick: true, templateImage: false });
    expect(trayBehaviour('linux')).toEqual({ showWindowOnClick: true, templateImage: false });
  });

  it('Windows: the icon follows the taskbar’s theme, not the apps’ theme', () => {
    const lightAppsDarkTaskbar = { shouldUseDarkColors: false, shouldUseDarkColorsForSystemIntegratedUI: true };
    expect(trayPanelIsDark('win32', lightAppsDarkTaskbar)).toBe(true);
    expect(trayPanelIsDark('win32', { shouldUseDarkColors: true, shouldUseDarkColorsForSystemIntegratedUI: false })).toBe(false);
    expect(trayPanelIsDark('linux', lightAppsDarkTaskbar)).toBe(false);
  });
});

describe('heartline:// registration', () => {
  const base = { execPath: '/dev/electron', resolve: (path: string) => posix.resolve('/home/dev/heartline', path) };

  it('development registers this Electron with the absolute app folder', () => {
    expect(protocolClientRegistration({ ...base, defaultApp: true, e2e: false, argv: ['/dev/electron', '.'] })).toEqual({
      kind: 'development',
      execPath: '/dev/electron',
      args: ['/home/dev/heartline'],
    });
  });

  it('packaged registers the app itself; end-to-end runs register nothing', () => {
    expect(protocolClientRegistration({ ...base, defaultApp: false, e2e: false, argv: ['/opt/Heartline/heartline'] })).toEqual({ kind: 'packaged' });
    expect(protocolClientRegistration({ ...base, defaultApp: true, e2e: true, argv: ['/dev/electron', '.'] })).toEqual({ kind: 'skip' });
    expect(protocolClientRegistration({ ...base, defaultApp: false, e2e: true, argv: ['/opt/Heartline/heartline'] })).toEqual({ kind: 'skip' });
    expect(protocolClientRegistration({ ...base, defaultApp: true, e2e: false, argv: ['/dev/electron'] })).toEqual({ kind: 'skip' });
  });
});

describe('App Nap', () => {
  it('is kept off on macOS while someone is signed in, and only then', () => {
    expect(preventAppNap('darwin', true)).toBe(true);
    expect(preventAppNap('darwin', false)).toBe(false);
    expect(preventAppNap('win32', true)).toBe(false);
    expect(preventAppNap('linux', true)).toBe(false);
  });
});
