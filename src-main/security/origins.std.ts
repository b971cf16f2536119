// The app's own origins. Production pages are served by main's `app:` protocol (a
// standard, secure scheme), never from file://: a file:// page shares its "origin"
// with every other file on disk, an app://heartline page with nothing.
export const APP_SCHEME = 'app';
export const APP_HOSTS = { main: 'heartline', ring: 'ring', picker: 'picker', recordings: 'recordings' } as const;
export type AppHost = (typeof APP_HOSTS)[keyof typeof APP_HOSTS];

export const appOrigin = (host: AppHost): string => `${APP_SCHEME}://${host}`;

export const RENDERER_ENTRY = `${appOrigin(APP_HOSTS.main)}/index.html`;
export const RING_ENTRY = `${appOrigin(APP_HOSTS.ring)}/ring.html`;
export const PICKER_ENTRY = `${appOrigin(APP_HOSTS.picker)}/picker.html`;

/**
 * scheme://host[:port] for http(s) and the app scheme; null for everything else
 * (file:, data:, about:, blob:, javascript:, garbage). Computed by hand because the
 * WHATWG URL origin of a custom scheme is the opaque "null".
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https' && scheme !== APP_SCHEME) return null;
  if (!parsed.host) return null;
  return `${scheme}://${parsed.host}`;
}
