// The ring window's page (build/pages/ring) in real Chromium with a stand-in for its
// preload bridge: a key press that was not aimed at the window never declines the
// call (on Wayland the window can get the keyboard focus when it appears).
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../support/requirements';
import { chromiumAvailable, launchBrowser } from './helpers';

const pageDir = fileURLToPath(new URL('../../build/pages/ring/', import.meta.url));
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wav': 'audio/wav' };

// Runs in the page before ring.js: records what the page asks main to do.
const FAKE_BRIDGE = `(() => {
  window.__calls = [];
  window.heartlineRing = {
    onShow(listener) { window.__show = listener; },
    answer(callId, audioOnly) { window.__calls.push(['answer', callId, audioOnly]); return Promise.resolve(); },
    decline(callId) { window.__calls.push(['decline', callId]); return Promise.resolve(); },
  };
})();`;

const run = requireOrSkip('chromium', chromiumAvailable(), 'no Chromium at /usr/bin/chromium (ring page test)');

describe.skipIf(!run)('ring window page', () => {
  let server: Server;
  let base = '';
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const name = (request.url ?? '/').split('?')[0]!.replace(/^\/+/, '') || 'ring.html';
      readFile(join(pageDir, name))
        .then((body) => response.writeHead(200, { 'content-type': types[extname(name)] ?? 'application/octet-stream' }).end(body))
        .catch(() => response.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function openRinging(): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(FAKE_BRIDGE);
    await page.goto(`${base}/ring.html`);
    const payload = {
      callId: 'c1',
      callType: 'video',
      partnerName: 'Ayşe',
      expiresAt: new Date(Date.now() + 45_000).toISOString(),
      language: 'en',
      labels: { title: 'Incoming video call', answer: 'Answer', answerAudioOnly: 'Answer audio only', decline: 'Decline' },
    };
    // What main sends on ring:show, through the stand-in bridge.
    await page.evaluate((value) => (globalThis as unknown as { __show(payload: unknown): void }).__show(value), payload);
    await expect.poll(() => page.textContent('#name')).toBe('Ayşe');
    return page;
  }

  const calls = (page: Page) => page.evaluate(() => (globalThis as unknown as { __calls: unknown[] }).__calls);
  // Page expressions as strings: this file compiles without the DOM library.
  const ringtonePaused = (page: Page) => page.evaluate<boolean>("document.getElementById('ringtone').paused");
  const focusedTag = (page: Page) => page.evaluate<string>('document.activeElement.tagName');

  it('does not decline or answer on keys typed while it has the focus; Escape only silences', async () => {
    const page = await openRinging();
    await page.keyboard.press('Escape');
    await page.keyboard.type('hello there\n');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    expect(await calls(page)).toEqual([]);
    expect(await ringtonePaused(page)).toBe(true);
    expect(await focusedTag(page)).toBe('BODY');
    // The buttons still work, by pointer or by a key aimed at a focused button.
    await page.click('#decline');
    expect(await calls(page)).toEqual([['decline', 'c1']]);
    await page.close();
  });

  it('answers with a key once the user has moved the focus onto the button', async () => {
    const page = await openRinging();
    await page.focus('#answer');
    await page.keyboard.press('Enter');
    expect(await calls(page)).toEqual([['answer', 'c1', false]]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
