import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../src-shared/ipc';
import { applySettingsPatch, DEFAULT_SERVER_URL, defaultSettings, parseStoredSettings, SERVER_URL_RULE } from '../../src-main/settings/settings.std';
import { SettingsStore } from '../../src-main/settings/settings-store.node.js';
import { resolveLanguage } from '../../src-main/i18n/strings.std';

describe('settings defaults and validation', () => {
  it('defaults to localhost:5000, or HEARTLINE_SERVER_URL when it is an http(s) URL', () => {
    const defaults = defaultSettings({});
    expect(SettingsSchema.parse(defaults)).toEqual(defaults);
    expect(defaults).toMatchObject({ serverUrl: DEFAULT_SERVER_URL, language: null, doNotDisturb: false, startAtLogin: false, relayOnly: false });
    expect(defaultSettings({ HEARTLINE_SERVER_URL: 'https://calls.example.org/' }).serverUrl).toBe('https://calls.example.org');
    expect(defaultSettings({ HEARTLINE_SERVER_URL: 'javascript:alert(1)' }).serverUrl).toBe(DEFAULT_SERVER_URL);
    expect(defaultSettings({ HEARTLINE_SERVER_URL: 'not a url' }).serverUrl).toBe(DEFAULT_SERVER_URL);
  });

  it('keeps every valid stored field and defaults the broken ones one by one', () => {
    const defaults = defaultSettings({});
    const parsed = parseStoredSettings({ language: 'tr', doNotDisturb: 'yes', serverUrl: 'file:///etc/passwd', relayOnly: true, extra: 1 }, defaults);
    expect(parsed).toEqual({ ...defaults, language: 'tr', relayOnly: true });
    expect(parseStoredSettings(null, defaults)).toEqual(defaults);
    expect(parseStoredSettings([1, 2], defaults)).toEqual(defaults);
  });

  it('applies a valid patch and refuses an invalid one whole', () => {
    const current = defaultSettings({});
    expect(applySettingsPatch(current, { doNotDisturb: true, language: 'en' })).toEqual({ ok: true, value: { ...current, doNotDisturb: true, language: 'en' } });
    const bad = applySettingsPatch(current, { doNotDisturb: true, language: 'de' });
    expect(bad.ok).toBe(false);
    expect(applySettingsPatch(current, { serverUrl: 'ftp://example.org' })).toEqual({ ok: false, error: SERVER_URL_RULE });
    expect(applySettingsPatch(current, { unknownKey: 1 }).ok).toBe(false);
    expect(applySettingsPatch(current, 'doNotDisturb').ok).toBe(false);
    expect(applySettingsPatch(current, { cameraId: 'x'.repeat(513) }).ok).toBe(false);
  });

  it.each(['http://calls.example.org', 'http://192.168.1.10:5000', 'http://10.0.0.2', 'http://localhost.evil.example', 'http://127.0.0.1.nip.io', 'https://user:pw@calls.example.org'])(
    'refuses the server URL %s (plain http off this computer, or credentials)',
    (serverUrl) => {
      const current = defaultSettings({});
      expect(applySettingsPatch(current, { serverUrl })).toEqual({ ok: false, error: SERVER_URL_RULE });
      expect(parseStoredSettings({ serverUrl }, current).serverUrl).toBe(current.serverUrl);
      expect(defaultSettings({ HEARTLINE_SERVER_URL: serverUrl }).serverUrl).toBe(DEFAULT_SERVER_URL);
    },
  );

  it.each([
    ['http://localhost:5000/', 'http://localhost:5000'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://[::1]:5000', 'http://[::1]:5000'],
    ['https://calls.example.org/', 'https://calls.example.org'],
  ])('accepts the server URL %s', (serverUrl, stored) => {
    const result = applySettingsPatch(defaultSettings({}), { serverUrl });
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ serverUrl: stored }) });
  });

  it('follows the OS language unless one is chosen', () => {
    expect(resolveLanguage(null, 'tr-TR')).toBe('tr');
    expect(resolveLanguage(null, 'de-DE')).toBe('en');
    expect(resolveLanguage('en', 'tr-TR')).toBe('en');
  });
});

describe('SettingsStore (real temp files)', () => {
  const folders: string[] = [];
  afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));
  const tempFile = () => {
    const folder = mkdtempSync(join(tmpdir(), 'heartline-settings-'));
    folders.push(folder);
    return join(folder, 'settings.json');
  };

  it('persists updates, notifies listeners and reloads them', () => {
    const file = tempFile();
    const store = new SettingsStore(file, defaultSettings({}));
    const seen: boolean[] = [];
    store.onChange((next, previous) => seen.push(previous.doNotDisturb, next.doNotDisturb));
    expect(store.update({ doNotDisturb: true }).ok).toBe(true);
    expect(seen).toEqual([false, true]);
    expect(JSON.parse(readFileSync(file, 'utf8')).doNotDisturb).toBe(true);
    expect(new SettingsStore(file, defaultSettings({})).get().doNotDisturb).toBe(true);
  });

  it('does not write or notify on an invalid patch, and survives a corrupt file', () => {
    const file = tempFile();
    writeFileSync(file, '{"doNotDisturb": tru');
    const store = new SettingsStore(file, defaultSettings({}));
    expect(store.get()).toEqual(defaultSettings({}));
    let notified = false;
    store.onChange(() => (notified = true));
    expect(store.update({ doNotDisturb: 'on' }).ok).toBe(false);
    expect(notified).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('{"doNotDisturb": tru');
  });
});
