// The app: protocol's glue with a fake session: app://recordings goes to the
// recordings' own handler (decrypted in memory), every other host stays the static
// file server, and a recording id never reaches the file system as a path.
import { describe, expect, it, vi } from 'vitest';

const fetched: string[] = [];
vi.mock('electron', () => ({
  protocol: { registerSchemesAsPrivileged: () => undefined },
  net: {
    fetch: async (url: string) => {
      fetched.push(url);
      return new Response('<html></html>', { status: 200 });
    },
  },
}));

describe('app: protocol routing', () => {
  it('answers app://recordings from the recordings handler and serves the other hosts from disk', async () => {
    const { serveAppProtocol } = await import('../../src-main/electron/app-protocol.main');
    let handler: ((request: Request) => Promise<Response>) | null = null;
    const session = { protocol: { handle: (_scheme: string, fn: (request: Request) => Promise<Response>) => (handler = fn) } };
    const played: string[] = [];
    serveAppProtocol(session as never, { heartline: { dir: '/app/renderer', entry: 'index.html' } }, () => "default-src 'self'", {
      recordings: (request) => {
        played.push(request.url);
        return new Response(new Uint8Array([1, 2, 3]), { status: 206 });
      },
    });
    const id = 'c'.repeat(32);
    const media = await handler!(new Request(`app://recordings/${id}.webm`, { headers: { range: 'bytes=0-2' } }));
    expect(media.status).toBe(206);
    expect(played).toEqual([`app://recordings/${id}.webm`]);
    expect(fetched).toEqual([]);

    const page = await handler!(new Request('app://heartline/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(fetched).toEqual(['file:///app/renderer/index.html']);
    // A host with neither a folder nor a handler is not found.
    expect((await handler!(new Request('app://elsewhere/x'))).status).toBe(404);
  });
});
