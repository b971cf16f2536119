// Settings: defaults, validation of what is on disk and of patches from the renderer.
// The schema is the shared SettingsSchema; this adds the rules main needs on top.
import { SettingsPatchSchema, SettingsSchema, defaultSettingsFor, type IpcResult, type Settings } from '../../src-shared/ipc';
import { describeIssues } from '../../src-shared/protocol';

export const DEFAULT_SERVER_URL = 'http://localhost:5000';

export const SERVER_URL_RULE = 'serverUrl: use https (plain http only for this computer: localhost, 127.0.0.1, [::1])';

/** Defaults: the server from HEARTLINE_SERVER_URL when it is an allowed server URL. */
export function defaultSettings(env: Record<string, string | undefined>): Settings {
  const fromEnv = env.HEARTLINE_SERVER_URL?.trim();
  return defaultSettingsFor(fromEnv && isAllowedServerUrl(fromEnv) ? normalizeServerUrl(fromEnv) : DEFAULT_SERVER_URL);
}

/** Loopback only: plain http elsewhere would send passwords and tokens readable on the network. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** https anywhere, http only to this computer; never credentials in the URL. */
export function isAllowedServerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username !== '' || url.password !== '') return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** 'http://host:5000/' -> 'http://host:5000' (the origin plus any path, without a trailing slash). */
export function normalizeServerUrl(value: string): string {
  const url = new URL(value);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

/**
 * What is stored on disk may be old, hand-edited or half-written: keep every field that
 * is still valid and take the default for the others, so one bad value never resets all.
 */
export function parseStoredSettings(stored: unknown, defaults: Settings): Settings {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { ...defaults };
  const result: Settings = { ...defaults };
  const shape = SettingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof Settings)[]) {
    const value = (stored as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const parsed = shape[key].safeParse(value);
    if (!parsed.success) continue;
    if (key === 'serverUrl' && !isAllowedServerUrl(parsed.data as string)) continue;
    (result as Record<string, unknown>)[key] = key === 'serverUrl' ? normalizeServerUrl(parsed.data as string) : parsed.data;
  }
  return result;
}

/** A patch from the renderer (untrusted): all-or-nothing. */
export function applySettingsPatch(current: Settings, patch: unknown): IpcResult<Settings> {
  const parsed = SettingsPatchSchema.strict().safeParse(patch);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
  const next: Settings = { ...current };
  for (const [key, value] of Object.entries(parsed.data)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  if (!isAllowedServerUrl(next.serverUrl)) return { ok: false, error: SERVER_URL_RULE };
  next.serverUrl = normalizeServerUrl(next.serverUrl);
  return { ok: true, value: next };
}
