import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ringWindowBounds, secureWebPreferences } from '../../src-main/security/web-preferences.std';

describe('window hardening', () => {
  it('every window: context isolation, sandbox, no Node integration, no webview', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    // Extras never switch those off.
    expect(secureWebPreferences('/p', { autoplayPolicy: 'no-user-gesture-required' })).toMatchObject({ sandbox: true, autoplayPolicy: 'no-user-gesture-required' });
  });

  it('the window code builds every BrowserWindow from secureWebPreferences', () => {
    const source = readFileSync(fileURLToPath(new URL('../../src-main/electron/windows.main.ts', import.meta.url)), 'utf8');
    const windows = source.match(/new BrowserWindow\(/g) ?? [];
    const hardened = source.match(/webPreferences: secureWebPreferences\(/g) ?? [];
    expect(windows.length).toBe(3);
    expect(hardened.length).toBe(windows.length);
    expect(source).not.toMatch(/sandbox:\s*false|nodeIntegration:\s*true|contextIsolation:\s*false/);
  });

  it('places the ring window in the bottom-right corner of the work area', () => {
    expect(ringWindowBounds({ x: 0, y: 0, width: 1920, height: 1040 })).toEqual({ x: 1544, y: 856, width: 360, height: 168 });
    expect(ringWindowBounds({ x: 1920, y: 0, width: 300, height: 100 })).toEqual({ x: 1920, y: 0, width: 300, height: 100 });
  });
});
