// Settings: defaults, validation of what is on disk and of patches from the renderer.
// The schema is the shared SettingsSchema; this adds the rules main needs on top.
import { SettingsPatchSchema, SettingsSchema, defaultSettingsFor, type IpcResult, type Settings } from '../../src-shared/ipc';
import { describeIssues } from '../../src-shared/protocol';

export const DEFAULT_SERVER_URL = 'http://localhost:5000';

/** Defaults: the server from HEARTLINE_SERVER_URL when it is a valid http(s) URL. */
export function defaultSettings(env: Record<string, string | undefined>): Settings {
  const fromEnv = env.HEARTLINE_SERVER_URL?.trim();
  return defaultSettingsFor(fromEnv && isHttpUrl(fromEnv) ? normalizeServerUrl(fromEnv) : DEFAULT_SERVER_URL);
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
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
    if (key === 'serverUrl' && !isHttpUrl(parsed.data as string)) continue;
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
  if (!isHttpUrl(next.serverUrl)) return { ok: false, error: 'serverUrl: only http and https URLs are allowed' };
  next.serverUrl = normalizeServerUrl(next.serverUrl);
  return { ok: true, value: next };
}
