// Start at login. macOS and Windows use app.setLoginItemSettings; Linux has no such
// API in Electron, so an XDG autostart entry (~/.config/autostart/<app>.desktop) does it.

/** Started by the OS at login: stay in the tray, do not pop the window up. */
export const HIDDEN_ARG = '--hidden';

/**
 * Started by the OS at login. Windows and Linux pass HIDDEN_ARG (login-item `args`,
 * the autostart entry); macOS passes no arguments (and ignores openAsHidden since
 * macOS 13), so there main asks app.getLoginItemSettings().wasOpenedAtLogin.
 */
export function startedHidden(launch: { argv: readonly string[]; platform: string; wasOpenedAtLogin?: () => boolean }): boolean {
  if (launch.argv.includes(HIDDEN_ARG)) return true;
  return launch.platform === 'darwin' && (launch.wasOpenedAtLogin?.() ?? false);
}

export function loginItemSettings(openAtLogin: boolean): { openAtLogin: boolean; openAsHidden: boolean; args: string[] } {
  return { openAtLogin, openAsHidden: openAtLogin, args: openAtLogin ? [HIDDEN_ARG] : [] };
}

/** Quotes an Exec= argument per the desktop entry spec. */
function quoteExecArg(arg: string): string {
  if (!/[\s"'\\$`]/.test(arg)) return arg;
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartDesktopEntry(options: { name: string; exec: string; args?: readonly string[] }): string {
  const exec = [options.exec, ...(options.args ?? [HIDDEN_ARG])].map(quoteExecArg).join(' ');
  return ['[Desktop Entry]', 'Type=Application', `Name=${options.name}`, `Exec=${exec}`, 'X-GNOME-Autostart-enabled=true', 'NoDisplay=true', ''].join('\n');
}
