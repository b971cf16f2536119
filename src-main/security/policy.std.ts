// Security decisions, each pure and tested: who may call IPC, which permissions a page
// gets, where a window may navigate or open, and the Content-Security-Policy.
import { APP_SCHEME, originOf } from './origins.std';

// ---------------------------------------------------------------- IPC senders

export interface SenderFrame {
  url: string;
  /** The frame has no parent (an iframe never speaks for the app). */
  isTopFrame: boolean;
}

/** Only the top frame of one of our own pages may call main. */
export function isTrustedSender(frame: SenderFrame | null | undefined, allowedOrigins: readonly string[]): boolean {
  if (!frame || !frame.isTopFrame) return false;
  const origin = originOf(frame.url);
  return origin !== null && allowedOrigins.includes(origin);
}

// ---------------------------------------------------------------- permissions

/** Everything a call needs; the rest (geolocation, notifications, midi, ...) is denied. */
const REQUESTABLE = new Set(['media', 'display-capture', 'speaker-selection', 'fullscreen', 'clipboard-sanitized-write']);
const CHECKABLE = new Set(['media', 'speaker-selection', 'fullscreen', 'clipboard-sanitized-write']);

export interface PermissionRequestInfo {
  permission: string;
  /** details.requestingUrl (the frame's URL). */
  requestingUrl: string;
  isMainFrame: boolean;
  /** For 'media': 'audio' and/or 'video'. */
  mediaTypes?: readonly string[];
  /** For 'media': details.securityOrigin, when given. */
  securityOrigin?: string;
}

export function decidePermissionRequest(request: PermissionRequestInfo, appOrigin: string): boolean {
  if (!REQUESTABLE.has(request.permission)) return false;
  if (!request.isMainFrame) return false;
  if (originOf(request.requestingUrl) !== appOrigin) return false;
  if (request.securityOrigin !== undefined && originOf(request.securityOrigin) !== appOrigin) return false;
  if (request.permission === 'media') {
    const types = request.mediaTypes ?? [];
    if (!types.every((type) => type === 'audio' || type === 'video')) return false;
  }
  return true;
}

/** session.setPermissionCheckHandler: synchronous checks (e.g. device labels need 'media'). */
export function decidePermissionCheck(permission: string, requestingOrigin: string, appOrigin: string): boolean {
  return CHECKABLE.has(permission) && originOf(requestingOrigin) === appOrigin;
}

/** setDisplayMediaRequestHandler: only our own page, from its top frame. */
export function decideDisplayMediaRequest(securityOrigin: string, frameUrl: string | null, appOrigin: string): boolean {
  return originOf(securityOrigin) === appOrigin && frameUrl !== null && originOf(frameUrl) === appOrigin;
}

// ---------------------------------------------------------------- navigation

/** will-navigate: a window stays on its own origin (an in-app route change is not a navigation). */
export function decideNavigation(targetUrl: string, windowOrigin: string): 'allow' | 'deny' {
  return originOf(targetUrl) === windowOrigin ? 'allow' : 'deny';
}

/**
 * setWindowOpenHandler: never a new Electron window. An https link (help, a
 * release note) may open in the user's browser; nothing else leaves the app.
 */
export function decideWindowOpen(url: string): { action: 'deny'; openExternally: string | null } {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '') {
      return { action: 'deny', openExternally: parsed.toString() };
    }
  } catch {
    // fall through: deny
  }
  return { action: 'deny', openExternally: null };
}

// ---------------------------------------------------------------- CSP

export interface CspOptions {
  /** The Heartline server the page talks to (REST + Socket.IO). */
  serverUrl: string;
  /** Vite dev server (ELECTRON_RENDERER_URL): HMR needs its websocket and React's inline preamble. */
  devServerUrl?: string | null;
}

/** The same strict policy for every page main serves; the server origin is the one way out. */
export function buildCsp(options: CspOptions): string {
  const connect = ["'self'"];
  const server = originOf(options.serverUrl);
  if (server && !server.startsWith(`${APP_SCHEME}:`)) connect.push(server, server.replace(/^http/, 'ws'));
  const scripts = ["'self'"];
  const dev = options.devServerUrl ? originOf(options.devServerUrl) : null;
  if (dev) {
    connect.push(dev, dev.replace(/^http/, 'ws'));
    // NOTE: https://vite.dev/guide/backend-integration — the React refresh preamble is inline in dev only.
    scripts.push("'unsafe-inline'");
  }
  return [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    // React sets style attributes; no remote stylesheets.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // Recordings play from main's app://recordings (decrypted in memory).
    "media-src 'self' blob: mediastream: app://recordings",
    "font-src 'self'",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "worker-src 'self' blob:",
  ].join('; ');
}

// ---------------------------------------------------------------- the app: protocol

/**
 * Maps an app://host/path URL path to a file path relative to that host's folder,
 * or null when it tries to leave it. '/' serves the host's entry file.
 */
export function resolveAppPath(pathname: string, entry: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..' || /^[a-zA-Z]:$/.test(segment))) return null;
  return segments.length === 0 ? entry : segments.join('/');
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  woff2: 'font/woff2',
  wasm: 'application/wasm',
};

export function contentTypeFor(path: string): string {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}
