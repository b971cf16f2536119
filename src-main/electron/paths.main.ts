// Where the app's files are, in development (the repository) and packaged
// (app.asar + resources/). Electron-only, but no Electron import: the caller passes
// what it knows so this stays testable.
import { join } from 'node:path';

export interface AppPaths {
  /** Built renderer (electron-vite): out/renderer. */
  rendererDir: string;
  /** Static pages main serves: ring window and screen picker. */
  pagesDir: string;
  /** Tray icons generated from build/icons/heart.svg-like source by build/icons/generate-icons.mjs. */
  trayIconsDir: string;
  /** better-sqlite3 compiled for Electron (npm run rebuild:electron); Node's build stays in node_modules. */
  nativeBinding: string;
  /** The preload bundles (CJS). */
  preloadDir: string;
}

export function appPaths(options: { isPackaged: boolean; appPath: string; resourcesPath: string; mainDir: string }): AppPaths {
  const preloadDir = join(options.mainDir, '..', 'preload');
  if (options.isPackaged) {
    return {
      rendererDir: join(options.appPath, 'out', 'renderer'),
      pagesDir: join(options.resourcesPath, 'pages'),
      trayIconsDir: join(options.resourcesPath, 'tray'),
      nativeBinding: join(options.resourcesPath, 'native', 'better_sqlite3.node'),
      preloadDir,
    };
  }
  return {
    rendererDir: join(options.appPath, 'out', 'renderer'),
    pagesDir: join(options.appPath, 'build', 'pages'),
    trayIconsDir: join(options.appPath, 'build', 'tray'),
    nativeBinding: join(options.appPath, 'dist', 'electron-native', 'better_sqlite3.node'),
    preloadDir,
  };
}
