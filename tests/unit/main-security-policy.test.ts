import { describe, expect, it } from 'vitest';
import { registerIpc, type IpcEventLike, type IpcMainLike } from '../../src-main/ipc/register-ipc.std';
import { APP_HOSTS, appOrigin, originOf } from '../../src-main/security/origins.std';
import {
  buildCsp,
  contentTypeFor,
  decideDisplayMediaRequest,
  decideNavigation,
  decidePermissionCheck,
  decidePermissionRequest,
  decideWindowOpen,
  isTrustedSender,
  resolveAppPath,
} from '../../src-main/security/policy.std';

const APP = appOrigin(APP_HOSTS.main);
const RING = appOrigin(APP_HOSTS.ring);

describe('originOf', () => {
  it('knows http(s) and app: origins and nothing else', () => {
    expect(originOf('app://heartline/index.html#/history')).toBe('app://heartline');
    expect(originOf('http://localhost:5173/src/main.tsx')).toBe('http://localhost:5173');
    for (const url of ['file:///home/me/index.html', 'data:text/html,<b>x</b>', 'about:blank', 'javascript:alert(1)', 'blob:app://heartline/1', 'nonsense']) {
      expect(originOf(url)).toBeNull();
    }
  });
});

describe('IPC sender validation', () => {
  it("accepts only the top frame of the app's own origin", () => {
    expect(isTrustedSender({ url: 'app://heartline/index.html', isTopFrame: true }, [APP])).toBe(true);
    expect(isTrustedSender({ url: 'app://heartline/index.html', isTopFrame: false }, [APP])).toBe(false);
    expect(isTrustedSender({ url: 'app://heartline.evil/index.html', isTopFrame: true }, [APP])).toBe(false);
    expect(isTrustedSender({ url: 'app://ring/ring.html', isTopFrame: true }, [APP])).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isTopFrame: true }, [APP])).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', isTopFrame: true }, ['null'])).toBe(false);
    expect(isTrustedSender(null, [APP])).toBe(false);
  });

  it('registerIpc refuses untrusted senders before the handler runs', async () => {
    const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
    const ipcMain: IpcMainLike = { handle: (channel, fn) => handlers.set(channel, fn), removeHandler: (channel) => handlers.delete(channel) };
    const received: unknown[] = [];
    const log: string[] = [];
    const unregister = registerIpc(ipcMain, 'picker', { 'picker:choose': (id) => void received.push(id) }, () => [APP], (line) => log.push(line));
    const invoke = handlers.get('picker:choose')!;
    invoke({ senderFrame: { url: 'app://heartline/index.html', parent: null } }, 'screen:1');
    expect(() => invoke({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'screen:2')).toThrow(/not the app/);
    expect(() => invoke({ senderFrame: { url: 'app://heartline/index.html', parent: {} } }, 'screen:3')).toThrow(/not the app/);
    expect(() => invoke({ senderFrame: null }, 'screen:4')).toThrow(/not the app/);
    // A trusted sender with arguments outside the table's schema: refused before the handler.
    expect(() => invoke({ senderFrame: { url: 'app://heartline/index.html', parent: null } }, 42)).toThrow(/invalid payload/);
    expect(() => invoke({ senderFrame: { url: 'app://heartline/index.html', parent: null } }, 'x'.repeat(300))).toThrow(/invalid payload/);
    expect(received).toEqual(['screen:1']);
    expect(log).toHaveLength(3);
    unregister();
    expect(handlers.size).toBe(0);
  });
});

describe('permission policy', () => {
  const request = { permission: 'media', requestingUrl: 'app://heartline/index.html', isMainFrame: true, mediaTypes: ['audio', 'video'] };

  it('allows camera, microphone and display capture only for the app origin, main frame', () => {
    expect(decidePermissionRequest(request, APP)).toBe(true);
    expect(decidePermissionRequest({ ...request, permission: 'display-capture', mediaTypes: [] }, APP)).toBe(true);
    expect(decidePermissionRequest({ ...request, requestingUrl: 'https://evil.example/' }, APP)).toBe(false);
    expect(decidePermissionRequest({ ...request, requestingUrl: 'file:///x.html' }, APP)).toBe(false);
    expect(decidePermissionRequest({ ...request, isMainFrame: false }, APP)).toBe(false);
    expect(decidePermissionRequest({ ...request, securityOrigin: 'https://evil.example' }, APP)).toBe(false);
    expect(decidePermissionRequest(request, RING)).toBe(false);
  });

  it('denies everything a call does not need', () => {
    for (const permission of ['geolocation', 'notifications', 'midi', 'midiSysex', 'openExternal', 'pointerLock', 'clipboard-read', 'unknown']) {
      expect(decidePermissionRequest({ ...request, permission }, APP)).toBe(false);
    }
  });

  it('answers permission checks the same way', () => {
    expect(decidePermissionCheck('media', 'app://heartline', APP)).toBe(true);
    expect(decidePermissionCheck('media', 'https://evil.example', APP)).toBe(false);
    expect(decidePermissionCheck('geolocation', 'app://heartline', APP)).toBe(false);
  });

  it('lets only the app page open the screen picker', () => {
    expect(decideDisplayMediaRequest('app://heartline', 'app://heartline/index.html', APP)).toBe(true);
    expect(decideDisplayMediaRequest('https://evil.example', 'https://evil.example/', APP)).toBe(false);
    expect(decideDisplayMediaRequest('app://heartline', null, APP)).toBe(false);
  });
});

describe('navigation policy', () => {
  it('keeps a window on its own origin', () => {
    expect(decideNavigation('app://heartline/index.html#/settings', APP)).toBe('allow');
    expect(decideNavigation('https://evil.example/', APP)).toBe('deny');
    expect(decideNavigation('file:///etc/passwd', APP)).toBe('deny');
    expect(decideNavigation('app://ring/ring.html', APP)).toBe('deny');
  });

  it('never opens a new Electron window; only https links go to the browser', () => {
    expect(decideWindowOpen('https://heartline.example/help')).toEqual({ action: 'deny', openExternally: 'https://heartline.example/help' });
    for (const url of ['http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.org/', '']) {
      expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: null });
    }
  });
});

describe('CSP', () => {
  it('is strict and lets the page reach only the configured server', () => {
    const csp = buildCsp({ serverUrl: 'https://calls.example.org' });
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' https://calls.example.org wss://calls.example.org");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('*');
  });

  it("allows Vite's HMR and inline preamble only in development", () => {
    const csp = buildCsp({ serverUrl: 'http://localhost:5000', devServerUrl: 'http://localhost:5173' });
    expect(csp).toContain("connect-src 'self' http://localhost:5000 ws://localhost:5000 http://localhost:5173 ws://localhost:5173");
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
  });
});

describe('app: protocol paths', () => {
  it('serves files inside the folder and nothing outside it', () => {
    expect(resolveAppPath('/', 'index.html')).toBe('index.html');
    expect(resolveAppPath('/assets/index-abc.js', 'index.html')).toBe('assets/index-abc.js');
    expect(resolveAppPath('/a%20b.png', 'index.html')).toBe('a b.png');
    for (const path of ['/../secret', '/assets/../../x', '/%2e%2e/x', '/..%2fx', '/a%5c..%5cb', '/%00', '/C:/x', '/%E0%A4%A']) {
      expect(resolveAppPath(path, 'index.html')).toBeNull();
    }
    expect(contentTypeFor('assets/app.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('ring.wav')).toBe('audio/wav');
    expect(contentTypeFor('x.unknown')).toBe('application/octet-stream');
  });
});
