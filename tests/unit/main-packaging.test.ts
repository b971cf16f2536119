// The packaging configuration as the OS will see it: the macOS entitlements and
// permission prompts (both languages), the deb's dependencies against
// electron-builder's own defaults, and the app id that main sets on Windows.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import plist from 'plist';
import { describe, expect, it } from 'vitest';
import { APP_ID, PROTOCOL } from '../../src-main/app-identity.std';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string;
  protocols: { schemes: string[] }[];
  deb?: { depends?: string[] };
  mac: {
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    extendInfo: Record<string, unknown>;
    extraResources: { from: string; to: string }[];
  };
}

const config = load(readFileSync(`${root}build/electron-builder.yml`, 'utf8')) as BuilderConfig;
const readPlist = (file: string) => plist.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
/** `"Key" = "Value";` lines of an .strings file. */
const readStrings = (file: string) =>
  Object.fromEntries([...readFileSync(file, 'utf8').matchAll(/^"(\w+)"\s*=\s*"(.+)";$/gm)].map((m) => [m[1]!, m[2]!]));

describe('macOS signing: camera and microphone under the hardened runtime', () => {
  it('names an entitlements file for the app and its helpers', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.entitlements).toBe('build/entitlements.mac.plist');
    expect(config.mac.entitlementsInherit).toBe('build/entitlements.mac.plist');
  });

  it('grants camera and audio input plus every entitlement of electron-builder’s default template', () => {
    const ours = readPlist(`${root}${config.mac.entitlements}`);
    const defaults = readPlist(require.resolve('app-builder-lib/templates/entitlements.mac.plist'));
    expect(Object.keys(defaults).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(defaults)) expect(ours[key], key).toBe(value);
    expect(ours['com.apple.security.device.camera']).toBe(true);
    expect(ours['com.apple.security.device.audio-input']).toBe(true);
  });

  it('asks for alert-style notifications, the ones macOS shows the "Call now" button on', () => {
    expect(config.mac.extendInfo.NSUserNotificationAlertStyle).toBe('alert');
  });

  it('explains camera and microphone use in English and Turkish', () => {
    const keys = ['NSCameraUsageDescription', 'NSMicrophoneUsageDescription'];
    for (const key of keys) expect(String(config.mac.extendInfo[key])).toMatch(/Heartline/);
    const shipped = Object.fromEntries(config.mac.extraResources.map((entry) => [entry.to, entry.from]));
    const english = readStrings(`${root}${shipped['en.lproj']}/InfoPlist.strings`);
    const turkish = readStrings(`${root}${shipped['tr.lproj']}/InfoPlist.strings`);
    for (const key of keys) {
      expect(english[key], `en ${key}`).toBe(config.mac.extendInfo[key]);
      expect(turkish[key], `tr ${key}`).toBeTruthy();
      expect(turkish[key]).not.toBe(english[key]);
    }
  });
});

describe('Linux deb dependencies', () => {
  it('keeps every dependency electron-builder would list by default', () => {
    // electron-builder's own list, read from its source: a depends override replaces it.
    const { default: FpmTarget } = require('app-builder-lib/out/targets/FpmTarget') as {
      default: { prototype: { getDefaultDepends(target: string): string[] } };
    };
    const defaults = FpmTarget.prototype.getDefaultDepends('deb');
    expect(defaults).toContain('libgtk-3-0');
    const depends = config.deb?.depends;
    if (depends === undefined) return; // no override: electron-builder uses its defaults
    expect(depends).toEqual(expect.arrayContaining(defaults));
  });
});

describe('app identity', () => {
  it('main uses the packaged app id and protocol', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.protocols.flatMap((p) => p.schemes)).toContain(PROTOCOL);
  });

  it('ships the entitlements and strings files it names', () => {
    for (const file of [config.mac.entitlements, ...config.mac.extraResources.map((entry) => `${entry.from}/InfoPlist.strings`)]) {
      expect(existsSync(`${root}${file}`), file).toBe(true);
    }
  });
});

describe('Electron version', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { devDependencies: Record<string, string> };
  const installed = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;

  it('is a supported major (see docs/desktop.md: the newest three stable majors)', () => {
    const wanted = Number(/\d+/.exec(pkg.devDependencies.electron ?? '')?.[0]);
    expect(Number(installed.split('.')[0])).toBe(wanted);
    expect(wanted).toBeGreaterThanOrEqual(45);
  });

  it('is known to the native rebuild tool (its ABI), so npm run rebuild:electron can target it', async () => {
    // The node-abi that @electron/rebuild itself resolves (it may be nested under it).
    const fromRebuild = createRequire(`${root}node_modules/@electron/rebuild/lib/rebuild.js`);
    const { getAbi } = (await import(pathToFileURL(fromRebuild.resolve('node-abi')).href)) as { getAbi(target: string, runtime: string): string };
    expect(getAbi(installed, 'electron')).toMatch(/^\d+$/);
  });
});

