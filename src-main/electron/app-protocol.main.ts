// The app: protocol. Production pages load from app://heartline (renderer),
// app://ring and app://picker (static pages), never from file://, so each page has
// its own origin that the permission handler, the IPC checks and the CSP can name.
import { net, protocol, type Session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME } from '../security/origins.std';
import { contentTypeFor, resolveAppPath } from '../security/policy.std';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true } },
  ]);
}

export interface AppHostRoot {
  dir: string;
  entry: string;
}

/** Serves each host from its folder, with the CSP on every response; `answered` hosts are answered by their own handler (recordings). */
export function serveAppProtocol(session: Session, roots: Record<string, AppHostRoot>, csp: () => string, answered: Record<string, (request: Request) => Response> = {}): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const answer = answered[url.host];
    if (answer) return answer(request);
    const root = roots[url.host];
    const relative = root ? resolveAppPath(url.pathname, root.entry) : null;
    if (!root || relative === null || request.method !== 'GET') return new Response('not found', { status: 404 });
    const file = join(root.dir, ...relative.split('/'));
    try {
      const response = await net.fetch(pathToFileURL(file).toString());
      if (!response.ok) return new Response('not found', { status: 404 });
      return new Response(response.body, {
        status: 200,
        headers: {
          'content-type': contentTypeFor(relative),
          'content-security-policy': csp(),
          'x-content-type-options': 'nosniff',
          'cross-origin-opener-policy': 'same-origin',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
