// The web client's protective headers and CORS, in real Chromium: the page loads
// and its socket connects under the strict CSP with no violation; a socket to any
// other host is blocked; a page on another allowed origin can unpair (DELETE).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse } from '../../src-shared/protocol';
import { api } from '../server/helpers';
import { requireOrSkip } from '../support/requirements';
import { PASSWORD, chromiumAvailable, launchBrowser, openDevice, pairDevices, register, startWebServer, until, type Device, type WebServer } from './helpers';

const T = 60_000;
const runs = requireOrSkip('chromium', chromiumAvailable(), 'browser E2E needs Debian chromium (/usr/bin/chromium)');

/** A second local origin: a blank page, standing in for a site listed in CORS_ORIGINS. */
async function otherOrigin(): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.skipIf(!runs).sequential('web client security headers and CORS (Chromium)', () => {
  let web: WebServer;
  let browser: Browser;
  let allowed: { url: string; server: Server };
  let disallowed: { url: string; server: Server };
  let alice: Device;
  let bob: Device;
  const bobUsername = `bob${Date.now().toString(36)}`;

  beforeAll(async () => {
    allowed = await otherOrigin();
    disallowed = await otherOrigin();
    web = await startWebServer({ CORS_ORIGINS: allowed.url });
    browser = await launchBrowser();
    alice = await openDevice(browser, web.url, 'alice', 'en-US');
    bob = await openDevice(browser, web.url, 'bob', 'en-US');
  }, T);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    allowed?.server.close();
    disallowed?.server.close();
  });

  it('serves the page with a CSP limited to its own origin, and the referrer, permissions and opener policies', async () => {
    const response = await alice.page.request.get(web.url);
    const headers = response.headers();
    const connectSrc = headers['content-security-policy']?.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src'));
    expect(connectSrc).toBe("connect-src 'self'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['permissions-policy']).toContain('camera=(self)');
    expect(headers['permissions-policy']).toContain('microphone=(self)');
    expect(headers['permissions-policy']).toContain('display-capture=(self)');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('works under that policy: sign-up, pairing and live presence over the socket, with no CSP violation', async () => {
    await register(alice.page, `alice${Date.now().toString(36)}`, 'Alice');
    await register(bob.page, bobUsername, 'Bob');
    await pairDevices(alice, bob, 'Alice', 'Bob');
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  }, T);

  it('blocks a socket to any other host (no bare ws: in connect-src)', async () => {
    // A string: it runs in the page (the tests' own types have no DOM).
    const target = allowed.url.replace('http:', 'ws:');
    const violation = await alice.page.evaluate(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
      try { new WebSocket(${JSON.stringify(target)}); } catch { /* Chromium may also throw; the event is what counts */ }
    })`);
    expect(violation).toBe('connect-src');
    // That deliberate violation is the only console error.
    expect(alice.errors.filter((e) => !e.includes('Content Security Policy'))).toEqual([]);
    alice.errors.length = 0;
  });

  it('a page on an allowed origin can DELETE /api/pairing (preflighted); a page elsewhere cannot', async () => {
    // Bob signs in on the other site (a sign-in of its own, beside his open web client).
    const signedIn = await api<AuthResponse>(web, 'POST', '/api/auth/login', { body: { username: bobUsername, password: PASSWORD } });
    const token = signedIn.body.token;

    const attempt = async (origin: string) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(origin);
      const result = await page.evaluate(
        async ({ api, bearer }) => {
          try {
            return String((await fetch(`${api}/api/pairing`, { method: 'DELETE', headers: { authorization: `Bearer ${bearer}` } })).status);
          } catch (error) {
            return `blocked: ${(error as Error).message}`;
          }
        },
        { api: web.url, bearer: token ?? '' },
      );
      await context.close();
      return result;
    };

    const socketsBefore = (await web.heartline.io.fetchSockets()).map((socket) => socket.id);
    expect(socketsBefore).toHaveLength(2);
    expect(await attempt(disallowed.url)).toMatch(/^blocked/);
    expect(await attempt(allowed.url)).toBe('204');
    // The server ended both partners' sockets; both web clients came back on new ones.
    await until(
      async () => (await web.heartline.io.fetchSockets()).map((socket) => socket.id),
      (ids) => ids.length === 2 && ids.every((id) => !socketsBefore.includes(id)),
      10_000,
    );
    // Both open web clients hear of it and show no partner.
    for (const device of [alice, bob]) await until(() => device.page.getByTestId('pair-create').count(), (n) => n > 0, 10_000);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  }, T);
});
