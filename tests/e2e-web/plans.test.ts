// Planned calls in Chromium: Alice (English, Istanbul) plans a call; Bob's page
// (Turkish, Berlin) shows it in his time and hers; the reminders appear on both
// pages when the server's plan clock reaches them; "Call now" rings the partner,
// from the in-page notice and from the browser notification (its click).
// The server runs in this process, so the test moves its plan clock directly.
import { DateTime } from 'luxon';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../support/requirements';
import {
  chromiumAvailable,
  launchBrowser,
  openDevice,
  pairDevices,
  register,
  screenshot,
  startWebServer,
  until,
  type Device,
  type WebServer,
} from './helpers';

const T = 90_000;
const ALICE_ZONE = 'Europe/Istanbul';
const BOB_ZONE = 'Europe/Berlin';

const runs = requireOrSkip('chromium', chromiumAvailable(), 'browser E2E needs Debian chromium (/usr/bin/chromium)');

describe.skipIf(!runs).sequential('web client: planned calls across time zones', () => {
  let server: WebServer;
  let browser: Browser;
  let alice: Device;
  let bob: Device;
  // The plans' clock: real time plus an offset the test moves forward.
  let offsetMs = 0;
  let occurrence = 0;

  beforeAll(async () => {
    server = await startWebServer({ PLAN_SWEEP_MS: '250' }, { now: () => Date.now() + offsetMs });
    browser = await launchBrowser();
    alice = await openDevice(browser, server.url, 'alice', 'en-US', { timezoneId: ALICE_ZONE });
    bob = await openDevice(browser, server.url, 'bob', 'tr-TR', { timezoneId: BOB_ZONE });
    await register(alice.page, `alice${Date.now()}`, 'Alice');
    await register(bob.page, `bob${Date.now()}`, 'Bob');
    await pairDevices(alice, bob, 'Alice', 'Bob');
  }, T);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, T);

  it('Alice plans a call; Bob sees it at once, in his zone and in hers', async () => {
    await alice.page.getByTestId('plan-open').click();
    await alice.page.getByTestId('plan-dialog').waitFor();
    await alice.page.getByTestId('plan-type-voice').check();
    await alice.page.getByTestId('plan-note').fill('our anniversary!');
    await alice.page.getByTestId('plan-remind').selectOption('10');
    // Tomorrow at 21:00 for Alice: far enough that no reminder is due yet.
    const date = DateTime.now().setZone(ALICE_ZONE).plus({ days: 1 }).toISODate() ?? '';
    const time = '21:00';
    await alice.page.getByTestId('plan-date').fill(date);
    await alice.page.getByTestId('plan-time').fill(time);
    // Every day for two days: the first is called for, the second is missed (the history shows both).
    await alice.page.getByTestId('plan-repeat').selectOption('daily');
    await alice.page.getByTestId('plan-until').fill(DateTime.fromISO(date).plus({ days: 1 }).toISODate() ?? '');
    await screenshot(alice.page, 'plan-dialog-en');
    occurrence = DateTime.fromISO(`${date}T${time}`, { zone: ALICE_ZONE }).toMillis();
    await alice.page.getByTestId('plan-save').click();
    await alice.page.getByTestId('plan-dialog').waitFor({ state: 'detached' });

    const inZone = (zone: string): string => DateTime.fromMillis(occurrence, { zone }).toFormat('HH:mm');
    const bobSees = await until(() => bob.page.getByTestId('next-plan-when').textContent(), (text) => Boolean(text));
    expect(bobSees).toContain(inZone(BOB_ZONE));
    expect(bobSees).toContain(`Alice için ${inZone(ALICE_ZONE)}`);
    const aliceSees = await alice.page.getByTestId('next-plan-when').textContent();
    expect(aliceSees).toContain(`${inZone(ALICE_ZONE)} for you`);
    expect(aliceSees).toContain(`${inZone(BOB_ZONE)} for Bob`);
    expect(await bob.page.getByTestId('plan-note-text').first().textContent()).toContain('our anniversary!');
    expect(await bob.page.getByTestId('next-plan-countdown').textContent()).toMatch(/sonra/);
    expect(await alice.page.getByTestId('next-plan-countdown').textContent()).toMatch(/^in /);
    // Bob's dialog, in Turkish, with a weekly repeat.
    await bob.page.getByTestId('plan-open').click();
    await bob.page.getByTestId('plan-repeat').selectOption('weekly');
    await bob.page.getByTestId('plan-weekdays').waitFor();
    await screenshot(bob.page, 'plan-dialog-tr');
    await bob.page.getByTestId('plan-dialog').press('Escape');
    await bob.page.getByTestId('plan-dialog').waitFor({ state: 'detached' });
    await screenshot(alice.page, 'plan-home-countdown-en');
    await screenshot(bob.page, 'plan-home-countdown-tr');
    await bob.page.setViewportSize({ width: 420, height: 860 });
    await screenshot(bob.page, 'plan-home-countdown-tr-420');
    await bob.page.setViewportSize({ width: 1200, height: 760 });
  }, T);

  it('both pages get the lead reminder, then the one at the time with "Call now"', async () => {
    expect(await alice.page.getByTestId('plan-reminder').count()).toBe(0);
    offsetMs = occurrence - 10 * 60_000 - Date.now();
    for (const device of [alice, bob]) {
      await device.page.locator('[data-testid="plan-reminder"][data-kind="lead"]').waitFor({ timeout: 10_000 });
    }
    expect(await alice.page.getByTestId('plan-reminder').textContent()).toContain('Planned call with Bob in 10 min');
    await screenshot(alice.page, 'plan-reminder-lead-en');

    offsetMs = occurrence - Date.now();
    for (const device of [alice, bob]) {
      await device.page.locator('[data-testid="plan-reminder"][data-kind="now"]').waitFor({ timeout: 10_000 });
    }
    expect(await bob.page.getByTestId('plan-reminder').textContent()).toContain('Alice ile planlanmış arama zamanı');
    await screenshot(alice.page, 'plan-reminder-now-en');
    await screenshot(bob.page, 'plan-reminder-now-tr');
  }, T);

  it('"Call now" starts the planned (voice) call and the partner rings', async () => {
    await bob.page.getByTestId('plan-call-now').click();
    await bob.page.getByTestId('call-outgoing').waitFor();
    const ringing = alice.page.getByTestId('call-incoming');
    await ringing.waitFor();
    expect(await ringing.getAttribute('data-call-type')).toBe('voice');
    await alice.page.getByTestId('answer-voice').click();
    await alice.page.locator('[data-testid="call-active"][data-state="active"]').waitFor({ timeout: 20_000 });
    // Answering settles Alice's reminder too: no "Call now" left on either page.
    for (const device of [alice, bob]) await device.page.getByTestId('plan-reminder').waitFor({ state: 'detached' });
    await alice.page.getByTestId('hangup').click();
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  }, T);

  it('both histories show the planned call as made, and the next day, nobody calling, as missed', async () => {
    // The call row is marked as planned on both pages, linked by the server to the occurrence "Call now" named.
    for (const device of [alice, bob]) {
      await device.page.locator('[data-testid="history-item"][data-planned="call-now"]').waitFor({ timeout: 20_000 });
    }
    expect(await bob.page.locator('[data-testid="history-item"][data-planned="call-now"] [data-testid="history-planned"]').textContent()).toBe('Planlanmış · our anniversary!');
    expect(await alice.page.getByTestId('history-planned-missed').count()).toBe(0);

    // The second day's window closes with no call: after a reload both pages list it as missed.
    offsetMs = occurrence + 24 * 60 * 60_000 + 61 * 60_000 - Date.now();
    const second = new Date(occurrence + 24 * 60 * 60_000).toISOString();
    for (const [device, words] of [
      [alice, 'Planned call missed'],
      [bob, 'Planlanmış arama kaçırıldı'],
    ] as const) {
      await device.page.reload();
      const row = device.page.getByTestId('history-planned-missed');
      await row.waitFor({ timeout: 20_000 });
      expect(await row.getAttribute('data-at')).toBe(second);
      expect(await row.textContent()).toContain(words);
      expect(await device.page.locator('[data-testid="history-item"][data-planned="call-now"]').count()).toBe(1);
    }
    for (const [device, lang] of [
      [alice, 'en'],
      [bob, 'tr'],
    ] as const) {
      await screenshot(device.page, `plan-history-${lang}`);
      await device.page.setViewportSize({ width: 420, height: 900 });
      await device.page.getByTestId('history').scrollIntoViewIfNeeded();
      await screenshot(device.page, `plan-history-${lang}-420`);
      await device.page.setViewportSize({ width: 1200, height: 760 });
    }
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  }, T);

  it('in the background, clicking the browser notification at the time is "Call now": the partner rings; the lead one only brings the page forward', async () => {
    // Alice's page looks backgrounded, with notifications allowed. Playwright cannot
    // click a system notification, so Notification is a stub that keeps each one the
    // page makes; the test then does what the user's click does: runs its onclick.
    // Like Chromium, the stub refuses `actions` outside a service worker.
    await alice.context.grantPermissions(['notifications'], { origin: server.url });
    await alice.page.evaluate(() => {
      interface Shown {
        title: string;
        body: string;
        tag: string;
        closed: boolean;
        onclick: (() => void) | null;
      }
      const shown: Shown[] = [];
      class StubNotification implements Shown {
        static permission = 'granted';
        body: string;
        tag: string;
        closed = false;
        onclick: (() => void) | null = null;
        constructor(
          readonly title: string,
          options: NotificationOptions & { actions?: unknown[] },
        ) {
          if (options.actions?.length) throw new TypeError('Actions are only supported for persistent notifications shown using ServiceWorkerRegistration.showNotification().');
          this.body = options.body ?? '';
          this.tag = options.tag ?? '';
          shown.push(this);
        }
        close(): void {
          this.closed = true;
        }
      }
      Object.assign(window, { Notification: StubNotification, __notifications: shown });
      Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
      document.hasFocus = () => false;
    });
    type Seen = { body: string; tag: string; closed: boolean };
    const notifications = (): Promise<Seen[]> =>
      alice.page.evaluate(() => (window as unknown as { __notifications: Seen[] }).__notifications.map(({ body, tag, closed }) => ({ body, tag, closed })));
    const click = (index: number): Promise<void> =>
      alice.page.evaluate((i) => (window as unknown as { __notifications: Array<{ onclick: (() => void) | null }> }).__notifications[i]!.onclick?.(), index);

    // A one-off video call the day after the missed one, with the default 10 min lead.
    const day = DateTime.fromMillis(occurrence, { zone: ALICE_ZONE }).plus({ days: 2 }).toISODate() ?? '';
    await alice.page.getByTestId('plan-open').click();
    await alice.page.getByTestId('plan-type-video').check();
    await alice.page.getByTestId('plan-date').fill(day);
    await alice.page.getByTestId('plan-time').fill('21:00');
    await alice.page.getByTestId('plan-save').click();
    await alice.page.getByTestId('plan-dialog').waitFor({ state: 'detached' });
    const at = DateTime.fromISO(`${day}T21:00`, { zone: ALICE_ZONE }).toMillis();

    offsetMs = at - 10 * 60_000 - Date.now();
    const lead = await until(notifications, (list) => list.length === 1);
    expect(lead[0]).toMatchObject({ body: 'Planned call with Bob in 10 min', closed: false });
    await click(0);

    offsetMs = at - Date.now();
    const both = await until(notifications, (list) => list.length === 2);
    expect(both[1]).toMatchObject({ body: 'Time for your planned call with Bob. Click to call now.', closed: false });
    expect(both[1]!.tag.endsWith(`-${new Date(at).toISOString()}-now`)).toBe(true);
    // The lead click only brought the page forward: no call went out before this one.
    expect(await alice.page.getByTestId('call-outgoing').count()).toBe(0);
    expect(await bob.page.getByTestId('call-incoming').count()).toBe(0);

    await click(1);
    const ringing = bob.page.getByTestId('call-incoming');
    await ringing.waitFor();
    expect(await ringing.getAttribute('data-call-type')).toBe('video');
    expect((await notifications())[1]!.closed).toBe(true);
    // The in-page notice went with it.
    await alice.page.getByTestId('plan-reminder').waitFor({ state: 'detached' });
    await bob.page.getByTestId('decline').click();
    await alice.page.getByTestId('call-ended-ok').click().catch(() => undefined);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  }, T);
});
