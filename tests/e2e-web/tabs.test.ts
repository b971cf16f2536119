// Several tabs of one browser are one device: a ring answered in a following tab (the
// one the user is looking at) moves the call there, and the tab that rang follows it.
// Bob's two tabs share one browser context (one storage, one set of Web Locks).
import type { Browser, Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchBrowser,
  mediaStats,
  openDevice,
  pairDevices,
  register,
  screenshot,
  startWebServer,
  takeUnexpectedErrors,
  until,
  type Device,
  type WebServer,
} from './helpers';

const T = 90_000;

if (!chromiumAvailable()) console.log('skipped: browser E2E needs Debian chromium (/usr/bin/chromium)');

const inCall = (page: Page): Promise<void> => page.locator('[data-testid="call-active"][data-state="active"]').waitFor({ timeout: 20_000 });

describe.skipIf(!chromiumAvailable()).sequential('two tabs of one browser', () => {
  let server: WebServer;
  let browser: Browser;
  let alice: Device;
  let bob: Device;
  let second: Device;

  beforeAll(async () => {
    // Rings long enough that a busy machine never ends one while a tab takes it over.
    server = await startWebServer({ RING_TIMEOUT_MS: '30000' });
    browser = await launchBrowser();
    alice = await openDevice(browser, server.url, 'alice', 'en-US');
    bob = await openDevice(browser, server.url, 'bob', 'tr-TR');
    await register(alice.page, 'alice', 'Alice');
    await register(bob.page, 'bob', 'Bob');
    await pairDevices(alice, bob, 'Alice', 'Bob');
    const page = await bob.context.newPage();
    second = { name: 'bob tab 2', context: bob.context, page, errors: [], log: [] };
    page.on('pageerror', (error) => second.errors.push(`bob tab 2: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') second.errors.push(`bob tab 2 console: ${message.text()}`);
    });
    await page.goto(server.url);
    await page.getByTestId('follower-tab').waitFor();
  }, T);

  afterEach(() => {
    expect(takeUnexpectedErrors([alice, bob, second])).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, T);

  it('a ring answered in the following tab moves the call there; the tab that rang follows it', async () => {
    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('call-incoming').waitFor();
    await until(() => second.page.getByTestId('follower-tab').getAttribute('data-leader-call'), (c) => c === 'incoming');
    await screenshot(second.page, 'tabs-follower-ringing-tr');

    await second.page.getByTestId('follower-answer-video').click();
    await inCall(second.page);
    await inCall(alice.page);
    // The tab that rang now follows, and shows the call is in the other tab.
    await until(() => bob.page.getByTestId('follower-tab').getAttribute('data-leader-call'), (c) => c === 'in-call');
    expect(await bob.page.getByTestId('call-active').count()).toBe(0);
    // Media flows both ways with the tab that answered (answered with video, as chosen).
    await until(() => mediaStats(second.page).catch(() => null), (s) => (s?.inAudioBytes ?? 0) > 2000 && (s?.inVideoFrames ?? 0) > 5);
    await until(() => mediaStats(alice.page).catch(() => null), (s) => (s?.inAudioBytes ?? 0) > 2000 && (s?.inVideoFrames ?? 0) > 5);

    await second.page.getByTestId('hangup').click();
    for (const page of [alice.page, second.page]) await page.locator('[data-testid="call-ended"][data-reason="hangup"]').waitFor();
    const record = second.page.getByTestId('history-item').first();
    await until(() => record.getAttribute('data-status'), (s) => s === 'ended');
    // The ended notice may have closed by itself meanwhile.
    for (const page of [alice.page, second.page]) await page.getByTestId('call-ended-ok').click({ timeout: 2000 }).catch(() => undefined);
  }, T);

  it('the next ring rings in the tab that now leads, once', async () => {
    await alice.page.getByTestId('call-voice').click();
    await second.page.getByTestId('call-incoming').waitFor();
    await until(() => bob.page.getByTestId('follower-tab').getAttribute('data-leader-call'), (c) => c === 'incoming');
    expect(await bob.page.getByTestId('call-incoming').count()).toBe(0);
    await second.page.getByTestId('decline').click();
    await alice.page.locator('[data-testid="call-ended"]').waitFor();
  }, T);
});
