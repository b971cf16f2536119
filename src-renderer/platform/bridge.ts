// The one place that knows whether we run inside Electron (window.heartline, from
// the preload) or in a plain browser, and what to fall back to in the browser.
import { SettingsSchema, defaultSettingsFor, type HeartlineApi, type Language, type Settings, type SettingsPatch } from '../../src-shared/ipc';

export function bridge(): HeartlineApi | null {
  const candidate = (window as unknown as { heartline?: HeartlineApi }).heartline;
  return candidate && candidate.platform === 'electron' ? candidate : null;
}

/**
 * Tells main that this page now handles its actions (tray, ring window, links), so
 * main delivers what it queued: call it once the screen that acts on them is up (the
 * sign-in screen, or the call controller once signed in). Repeating it is harmless.
 */
export function announceReady(): void {
  void bridge()?.app.ready().catch(() => undefined);
}

/** The settings the renderer uses; in the browser they live in localStorage (nothing secret in them). */
export type RendererSettings = Settings;

const BROWSER_SETTINGS_KEY = 'heartline.settings';

function browserDefaults(): Settings {
  return defaultSettingsFor(window.location.origin);
}

export async function loadSettings(): Promise<Settings> {
  const api = bridge();
  if (api) return api.settings.get();
  const defaults = browserDefaults();
  try {
    const raw = window.localStorage.getItem(BROWSER_SETTINGS_KEY);
    if (!raw) return defaults;
    const parsed = SettingsSchema.partial().safeParse(JSON.parse(raw));
    // In the browser the server is always the page's own origin.
    return parsed.success ? { ...defaults, ...parsed.data, serverUrl: defaults.serverUrl } : defaults;
  } catch {
    return defaults;
  }
}

export async function saveSettings(current: Settings, patch: SettingsPatch): Promise<Settings> {
  const api = bridge();
  if (api) {
    const result = await api.settings.update(patch);
    return result.ok ? result.value : current;
  }
  const next = { ...current, ...patch };
  try {
    const { serverUrl: _omit, ...rest } = next;
    window.localStorage.setItem(BROWSER_SETTINGS_KEY, JSON.stringify(rest));
  } catch {
    // Storage may be full or disabled: the settings still apply for this visit.
  }
  return next;
}

export function preferredLanguages(): readonly string[] {
  return navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
}

export type { Language };

/**
 * A browser notification, when allowed and the page is not in front (Electron: main notifies);
 * `onClick` runs when it is clicked. Returns what takes it away again (a no-op when none was shown).
 */
export function notify(title: string, body: string, tag: string, onClick?: () => void): () => void {
  if (bridge() || typeof Notification === 'undefined' || Notification.permission !== 'granted') return () => undefined;
  if (document.visibilityState === 'visible' && document.hasFocus()) return () => undefined;
  try {
    const note = new Notification(title, { body, tag });
    note.onclick = () => {
      window.focus();
      note.close();
      onClick?.();
    };
    return () => {
      note.onclick = null;
      note.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker: the in-page ring still plays.
    return () => undefined;
  }
}
