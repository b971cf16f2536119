// The Electron side of SystemTrayService: Tray + Menu + nativeImage, one icon per state
// for light and dark panels (build/tray/<state>-<theme>.png with @2x variants).
import { app, Menu, nativeImage, nativeTheme, Tray } from 'electron';
import { join } from 'node:path';
import type { TrayHandlers, TrayInstance } from '../tray/system-tray-service.std';
import type { TrayIconName, TrayMenuItem } from '../tray/tray-state.std';
import { trayBehaviour, trayPanelIsDark } from '../windows/platform-behaviour.std';

/** A dark panel needs the light icon and the reverse. */
export function trayIconFile(dir: string, icon: TrayIconName, darkPanel: boolean): string {
  return join(dir, `${icon}-${darkPanel ? 'dark' : 'light'}.png`);
}

export function createElectronTray(dir: string) {
  const behaviour = trayBehaviour(process.platform);
  return (initialIcon: TrayIconName, handlers: TrayHandlers): TrayInstance => {
    const image = (icon: TrayIconName) => {
      // macOS: a template image (the dark-on-light drawing), tinted by the system for the menu bar.
      const dark = behaviour.templateImage ? false : trayPanelIsDark(process.platform, nativeTheme);
      const picture = nativeImage.createFromPath(trayIconFile(dir, icon, dark));
      picture.setTemplateImage(behaviour.templateImage);
      return picture;
    };
    const tray = new Tray(image(initialIcon));
    let current = initialIcon;
    if (behaviour.showWindowOnClick) tray.on('click', () => handlers.onClick());
    const onTheme = () => tray.setImage(image(current));
    nativeTheme.on('updated', onTheme);
    return {
      setIcon(icon) {
        current = icon;
        tray.setImage(image(icon));
      },
      setToolTip: (text) => tray.setToolTip(text),
      setMenu(items: TrayMenuItem[]) {
        tray.setContextMenu(
          Menu.buildFromTemplate(
            items.map((item) =>
              item.type === 'separator'
                ? { type: 'separator' as const }
                : {
                    id: item.id,
                    label: item.label,
                    enabled: item.enabled,
                    type: item.type === 'checkbox' ? ('checkbox' as const) : ('normal' as const),
                    checked: item.type === 'checkbox' ? item.checked : false,
                    click: (menuItem: Electron.MenuItem) => handlers.onMenu(item.id, menuItem.checked),
                  },
            ),
          ),
        );
      },
      setBadge(count) {
        // macOS dock + Unity launchers; the tray title shows it in the macOS menu bar.
        app.setBadgeCount(count);
        if (process.platform === 'darwin') tray.setTitle(count > 0 ? String(count) : '');
      },
      destroy() {
        nativeTheme.off('updated', onTheme);
        tray.destroy();
      },
    };
  };
}
