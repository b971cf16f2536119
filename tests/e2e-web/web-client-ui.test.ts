/// <reference lib="dom" />
// The web client as a couple meets it in its first week, in Chromium against a real
// server: pairing first, staying signed in with several tabs as one device, a ring in
// a background tab, grouped missed calls, offline, the keyboard, and WCAG contrast.
// Alice's browser speaks Turkish, Bob's English; every changed screen is captured in
// both languages and at 420 px wide.
import type { Browser, Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contrastFailures } from './contrast';
import {
  chromiumAvailable,
  launchBrowser,
  openDevice,
  pairDevices,
  PASSWORD,
  register,
  screenshot,
  startWebServer,
  until,
  type Device,
  type WebServer,
} from './helpers';

const T = 60_000;

if (!chromiumAvailable()) console.log('skipped: browser E2E needs Debian chromium (/usr/bin/chromium)');

/** Console errors a test expects (a socket that cannot reach the server while offline). */
let expectedConsole: RegExp | null = null;

function watch(device: Device, page: Page, label: string): void {
  page.on('pageerror', (error) => device.errors.push(`${label}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !expectedConsole?.test(message.text())) device.errors.push(`${label} console: ${message.text()}`);
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const size = page.viewportSize();
  await page.setViewportSize({ width: 420, height: 860 });
  await screenshot(page, `${name}-420`);
  if (size) await page.setViewportSize(size);
}

const title = (page: Page): Promise<string> => page.title();
const focusedTestId = (page: Page): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

describe.skipIf(!chromiumAvailable()).sequential('web client: what a couple notices', () => {
  let server: WebServer;
  let browser: Browser;
  let alice: Device; // Turkish
  let bob: Device; // English

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    alice = await openDevice(browser, server.url, 'alice', 'tr-TR');
    bob = await openDevice(browser, server.url, 'bob', 'en-US');
    // openDevice records console errors itself; this suite filters the expected ones instead.
    for (const device of [alice, bob]) {
      device.page.removeAllListeners('console');
      device.page.removeAllListeners('pageerror');
      watch(device, device.page, device.name);
    }
  }, T);

  afterEach(() => {
    const errors = [alice, bob].flatMap((d) => d.errors.splice(0));
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, T);

  it('sign-in form: "keep me signed in" is offered and on; the username rule says what it accepts', async () => {
    for (const device of [alice, bob]) await device.page.getByTestId('auth-screen').waitFor();
    expect(await bob.page.getByTestId('auth-keep').isChecked()).toBe(true);
    await shoot(alice.page, 'ui-login-tr');
    await shoot(bob.page, 'ui-login-en');

    await alice.page.getByTestId('auth-toggle').click();
    await alice.page.getByTestId('auth-username').fill('çiğdem');
    await alice.page.getByTestId('auth-password').fill(PASSWORD);
    await alice.page.getByTestId('auth-submit').click();
    expect(await alice.page.getByTestId('auth-error').textContent()).toContain('Türkçe karakter içermeyen harfler (a–z)');
    await alice.page.getByTestId('auth-toggle').click();

    await register(alice.page, 'alice', 'Alice');
    await register(bob.page, 'bob', 'Bob');
  }, T);

  it('before pairing only pairing is on screen; after pairing both are told', async () => {
    for (const device of [alice, bob]) {
      await device.page.getByTestId('pairing').waitFor();
      expect(await device.page.getByTestId('call-voice').count()).toBe(0);
      expect(await device.page.getByTestId('partner-tile').count()).toBe(0);
    }
    await shoot(alice.page, 'ui-pairing-tr');
    await shoot(bob.page, 'ui-pairing-en');
    await pairDevices(alice, bob, 'Alice', 'Bob');
    expect(await alice.page.getByTestId('pairing-notice').locator('span').textContent()).toBe('Bob ile eşleştiniz.');
    expect(await bob.page.getByTestId('pairing-notice').locator('span').textContent()).toBe('You and Alice are paired.');
    await shoot(alice.page, 'ui-paired-tr');
    await shoot(bob.page, 'ui-paired-en');
    for (const device of [alice, bob]) {
      await device.page.getByTestId('pairing-notice-close').click();
      await device.page.getByTestId('pairing-notice').waitFor({ state: 'detached' });
    }
  }, T);

  it('two tabs are one device: one rings, the other follows, and takes over when the first closes', async () => {
    const second = await bob.context.newPage();
    watch(bob, second, 'bob tab 2');
    await second.goto(server.url);
    // Signed in (the refresh token is kept), and following the first tab.
    await second.getByTestId('follower-tab').waitFor();
    await shoot(second, 'ui-other-tab-en');

    await alice.page.getByTestId('call-voice').click();
    await bob.page.getByTestId('call-incoming').waitFor();
    await until(() => second.getByTestId('follower-tab').getAttribute('data-leader-call'), (c) => c === 'incoming');
    expect(await second.getByTestId('call-incoming').count()).toBe(0);
    expect(await title(second)).toContain('Alice is calling');
    await shoot(second, 'ui-other-tab-ringing-en');
    await bob.page.getByTestId('decline').click();
    await alice.page.getByTestId('call-ended-ok').click();
    await bob.page.getByTestId('call-ended-ok').click();

    // The first tab closes: the second takes over, with the socket (the partner shows online).
    await bob.page.close();
    bob.page = second;
    await second.getByTestId('partner-tile').waitFor();
    await until(() => second.getByTestId('partner-presence').getAttribute('data-presence'), (p) => p === 'online');
    // A reload keeps the sign-in.
    await second.reload();
    await second.getByTestId('partner-tile').waitFor();
  }, T);

  it('a ring in a background tab: title, favicon and a browser notification; the missed count stays in the title', async () => {
    // Notifications allowed; the page is made to look backgrounded, and Notification is observed.
    await bob.context.grantPermissions(['notifications'], { origin: server.url });
    await bob.page.evaluate(() => {
      const shown: Array<{ title: string; body: string }> = [];
      (window as unknown as { __shown: typeof shown }).__shown = shown;
      class Observed {
        static permission = 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, options: { body: string }) {
          shown.push({ title, body: options.body });
        }
        close(): void {}
      }
      (window as unknown as { Notification: unknown }).Notification = Observed;
      Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
      document.hasFocus = () => false;
    });
    const favicon = (): Promise<string | null> => bob.page.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute('href') ?? null);
    const restingIcon = await favicon();
    const missedBefore = Number(/^\((\d+)\)/.exec(await title(bob.page))?.[1] ?? 0);

    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('call-incoming').waitFor();
    await until(() => title(bob.page), (t) => t.startsWith('📞 Alice is calling'));
    expect(await favicon()).not.toBe(restingIcon);
    const shown = await bob.page.evaluate(() => (window as unknown as { __shown: Array<{ title: string; body: string }> }).__shown);
    expect(shown).toContainEqual({ title: 'Heartline', body: 'Alice is calling' });

    // Nobody answers: the ring times out, and the title counts the missed call.
    await bob.page.getByTestId('call-incoming').waitFor({ state: 'detached', timeout: 15_000 });
    await until(() => title(bob.page), (t) => t === `(${missedBefore + 1}) Heartline`, 10_000);
    await alice.page.getByTestId('call-ended-ok').click().catch(() => undefined);
    await bob.page.getByTestId('call-ended-ok').click().catch(() => undefined);
  }, T);

  it('"Allow notifications" says plainly when the browser does not allow them', async () => {
    await alice.page.getByTestId('open-settings').click();
    // Headless Chromium refuses notifications: either already (blocked) or when asked (dismissed).
    const allow = alice.page.getByTestId('notifications-allow');
    if (await allow.count()) await allow.click();
    await alice.page.getByTestId('notifications-allow').waitFor({ state: 'detached' });
    const status = await alice.page.getByTestId('notifications-status').textContent();
    expect(status).toMatch(/Tarayıcı(n)? (bu site için bildirimleri engelliyor|bildirimleri açmadı)/);
    expect(await alice.page.getByTestId('shortcuts').textContent()).toContain('Alt+M');
    await shoot(alice.page, 'ui-settings-tr');
    await alice.page.getByTestId('settings-close').click();

    await bob.page.getByTestId('open-settings').click();
    expect(await bob.page.getByTestId('notifications-status').textContent()).toBe('Notifications are on');
    expect(await bob.page.getByTestId('shortcuts').textContent()).toContain('Hang up or decline');
    await shoot(bob.page, 'ui-settings-en');
    await bob.page.getByTestId('settings-close').click();
  }, T);

  it('missed calls fold into one line per caller, in home and history; calling back clears them', async () => {
    const before = Number(await bob.page.getByTestId('missed-group').first().getAttribute('data-count'));
    const total = String(before + 2);
    for (let i = 0; i < 2; i++) {
      await alice.page.getByTestId('call-voice').click();
      await bob.page.getByTestId('call-incoming').waitFor();
      await alice.page.getByTestId('call-cancel').click();
      await bob.page.getByTestId('call-incoming').waitFor({ state: 'detached' });
      await alice.page.getByTestId('call-ended-ok').click();
      await bob.page.getByTestId('call-ended-ok').click().catch(() => undefined);
    }
    // The timed-out ring before and two canceled now: one run, one line.
    await until(() => bob.page.getByTestId('missed-group').first().getAttribute('data-count'), (c) => c === total);
    expect(await bob.page.getByTestId('home-missed').getByTestId('missed-group').textContent()).toContain(`Alice · ${total} missed`);
    expect(await bob.page.locator(`[data-testid="history-item"][data-missed-count="${total}"]`).count()).toBe(1);
    await until(() => title(bob.page), (t) => t === `(${total}) Heartline`);
    await shoot(bob.page, 'ui-missed-en');

    // Calling back clears them.
    await bob.page.getByTestId('call-voice').click();
    await bob.page.getByTestId('call-outgoing').waitFor();
    await until(() => bob.page.getByTestId('missed-group').count(), (n) => n === 0);
    await until(() => title(bob.page), (t) => t.startsWith('Heartline'));
    await bob.page.getByTestId('call-cancel').click();
    await bob.page.getByTestId('call-ended-ok').click();
    await alice.page.getByTestId('call-ended-ok').click().catch(() => undefined);

    // Alice misses two from Bob; answering the third clears them.
    await until(() => alice.page.getByTestId('missed-group').first().getAttribute('data-count'), (c) => c === '1');
    await bob.page.getByTestId('call-video').click();
    await alice.page.getByTestId('call-incoming').waitFor();
    await bob.page.getByTestId('call-cancel').click();
    await bob.page.getByTestId('call-ended-ok').click();
    await alice.page.getByTestId('call-ended-ok').click().catch(() => undefined);
    await until(() => alice.page.getByTestId('missed-group').first().getAttribute('data-count'), (c) => c === '2');
    expect(await alice.page.getByTestId('home-missed').textContent()).toContain('Bob · 2 cevapsız');
    await shoot(alice.page, 'ui-missed-tr');
    await bob.page.getByTestId('call-voice').click();
    await alice.page.getByTestId('answer-voice').click();
    await alice.page.locator('[data-testid="call-active"]').waitFor();
    await bob.page.getByTestId('hangup').click();
    await alice.page.getByTestId('call-ended-ok').click().catch(() => undefined);
    await bob.page.getByTestId('call-ended-ok').click().catch(() => undefined);
    await until(() => alice.page.getByTestId('missed-group').count(), (n) => n === 0);
  }, T);

  it('the incoming call from the keyboard alone: focus trapped on the safe choice, Escape declines, Enter answers, Mute next, Alt+H hangs up', async () => {
    await bob.page.getByTestId('call-video').click();
    await alice.page.getByTestId('call-incoming').waitFor();
    // Starts on voice, never on the camera, with a visible focus ring.
    expect(await focusedTestId(alice.page)).toBe('answer-voice');
    const ring = await alice.page.getByTestId('answer-voice').evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(ring).not.toBe('none');
    expect(await alice.page.getByTestId('incoming-keys').textContent()).toBe('Alt+A sesli cevaplar · Esc reddeder');
    await shoot(alice.page, 'ui-incoming-tr');
    // Tab cycles inside the dialog.
    const seen = new Set<string | null>();
    for (let i = 0; i < 5; i++) {
      await alice.page.keyboard.press('Tab');
      seen.add(await focusedTestId(alice.page));
    }
    expect([...seen].sort()).toEqual(['answer-video', 'answer-voice', 'decline']);
    await alice.page.keyboard.press('Escape');
    await bob.page.locator('[data-testid="call-ended"][data-reason="declined"]').waitFor();
    await bob.page.getByTestId('call-ended-ok').click();
    await alice.page.getByTestId('call-ended-ok').click().catch(() => undefined);

    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('call-incoming').waitFor();
    await shoot(bob.page, 'ui-incoming-en');
    expect(await focusedTestId(bob.page)).toBe('answer-voice');
    await bob.page.keyboard.press('Enter');
    await bob.page.locator('[data-testid="call-active"][data-state="active"]').waitFor({ timeout: 20_000 });
    expect(await focusedTestId(bob.page)).toBe('toggle-mic');
    await bob.page.keyboard.press('Alt+M');
    await until(() => bob.page.getByTestId('toggle-mic').getAttribute('aria-pressed'), (p) => p === 'true');
    await shoot(bob.page, 'ui-active-en');
    await bob.page.keyboard.press('Alt+H');
    await alice.page.locator('[data-testid="call-ended"][data-reason="hangup"]').waitFor();
    await alice.page.getByTestId('call-ended-ok').click();
    await bob.page.getByTestId('call-ended-ok').click().catch(() => undefined);
  }, T);

  it('offline: presence greyed, call buttons disabled with "You\'re offline", one banner; back online it all returns', async () => {
    expectedConsole = /WebSocket|ERR_INTERNET_DISCONNECTED|net::/;
    try {
      await bob.context.setOffline(true);
      await until(() => bob.page.getByTestId('partner-presence').getAttribute('data-presence'), (p) => p === 'unknown', 15_000);
      expect(await bob.page.getByTestId('call-voice').isDisabled()).toBe(true);
      expect(await bob.page.getByTestId('call-video').isDisabled()).toBe(true);
      expect(await bob.page.getByTestId('offline-reason').textContent()).toContain('You’re offline');
      expect(await bob.page.getByTestId('offline-banner').count()).toBe(1);
      expect(await bob.page.getByTestId('call-error').count()).toBe(0);
      await shoot(bob.page, 'ui-offline-en');
      await bob.context.setOffline(false);
      await until(() => bob.page.getByTestId('partner-presence').getAttribute('data-presence'), (p) => p === 'online', 20_000);
      expect(await bob.page.getByTestId('call-voice').isDisabled()).toBe(false);

      await alice.context.setOffline(true);
      await until(() => alice.page.getByTestId('partner-presence').getAttribute('data-presence'), (p) => p === 'unknown', 15_000);
      expect(await alice.page.getByTestId('offline-reason').textContent()).toContain('Çevrimdışısın');
      await shoot(alice.page, 'ui-offline-tr');
      await alice.context.setOffline(false);
      await until(() => alice.page.getByTestId('partner-presence').getAttribute('data-presence'), (p) => p === 'online', 20_000);
    } finally {
      expectedConsole = null;
    }
  }, T);

  it('every control reaches WCAG AA (text 4.5:1, focus indicator 3:1) on each screen', async () => {
    const failures: Record<string, unknown> = {};
    const check = async (screen: string, page: Page): Promise<void> => {
      const bad = await contrastFailures(page);
      if (bad.length) failures[screen] = bad;
    };
    await check('home tr', alice.page);
    await check('home en', bob.page);
    await bob.page.getByTestId('open-settings').click();
    await check('settings en', bob.page);
    await bob.page.getByTestId('settings-close').click();
    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('call-incoming').waitFor();
    await check('outgoing tr', alice.page);
    await check('incoming en', bob.page);
    await bob.page.getByTestId('answer-video').click();
    await bob.page.locator('[data-testid="call-active"][data-state="active"]').waitFor({ timeout: 20_000 });
    await check('active call en', bob.page);
    await bob.page.getByTestId('hangup').click();
    await bob.page.getByTestId('call-ended').waitFor();
    await check('ended en', bob.page);
    await bob.page.getByTestId('call-ended-ok').click();
    await alice.page.getByTestId('call-ended-ok').click().catch(() => undefined);

    const signedOut = await openDevice(browser, server.url, 'visitor', 'en-US');
    await signedOut.page.getByTestId('auth-screen').waitFor();
    await check('sign-in en', signedOut.page);
    await signedOut.context.close();
    expect(signedOut.errors).toEqual([]);
    expect(failures).toEqual({});
  }, T);

  it('after unpairing the other partner is told, and the history keeps the name', async () => {
    await alice.page.getByTestId('open-settings').click();
    await alice.page.getByTestId('unpair').click();
    await alice.page.getByTestId('unpair-confirm').click();
    await bob.page.getByTestId('pairing').waitFor();
    expect(await bob.page.getByTestId('pairing-notice').locator('span').textContent()).toBe('You and Alice are no longer paired. Your call history stays.');
    expect(await alice.page.getByTestId('pairing-notice').locator('span').textContent()).toBe('Bob ile artık eşleşmiş değilsiniz. Arama geçmişin duruyor.');
    const names = await bob.page.getByTestId('history-who').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toContain('Alice');
    expect(await bob.page.getByTestId('call-back').count()).toBe(0);
    await shoot(bob.page, 'ui-unpaired-en');
    await shoot(alice.page, 'ui-unpaired-tr');
  }, T);
});
