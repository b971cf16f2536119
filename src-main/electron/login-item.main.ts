// Start at login: app.setLoginItemSettings on macOS/Windows; an XDG autostart entry on
// Linux, where Electron has no such API.
import { app } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { autostartDesktopEntry, loginItemSettings } from '../login-item.std';

export function applyLoginItem(openAtLogin: boolean, log: (message: string) => void): void {
  if (!app.isPackaged) {
    // A dev build would register the bare Electron binary: never do that.
    log(`start at login ${openAtLogin ? 'on' : 'off'} (not applied to a development build)`);
    return;
  }
  if (process.platform === 'darwin' || process.platform === 'win32') {
    app.setLoginItemSettings(loginItemSettings(openAtLogin));
    return;
  }
  const folder = join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart');
  const file = join(folder, 'heartline.desktop');
  try {
    if (!openAtLogin) {
      rmSync(file, { force: true });
      return;
    }
    mkdirSync(folder, { recursive: true });
    // Inside an AppImage, process.execPath is in a temporary mount: APPIMAGE is the file to start.
    writeFileSync(file, autostartDesktopEntry({ name: 'Heartline', exec: process.env.APPIMAGE ?? process.execPath }));
  } catch (error) {
    log(`start at login: ${(error as Error).message}`);
  }
}
