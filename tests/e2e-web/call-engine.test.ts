// The call engine as a couple meets it, in real Chromium with fake media against a
// real server: a relay-only call with no TURN server ends as "Couldn't connect"
// (the history says so too), "Calling…" turns into "Ringing…" with your own camera
// showing, signal bars with details on demand, the screen-share banner on both
// sides, "Audio only" that really stops video both ways, the history updated from
// call:ended without fetching, and a reload mid-call that re-joins the call.
// Alice's window is Turkish, Bob's English; screenshots of each new screen in both.
import type { Browser, Locator, Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  firstRemoteFrameAt,
  launchBrowser,
  mediaStats,
  openDevice,
  pairDevices,
  register,
  screenshot,
  startWebServer,
  statsOver,
  until,
  type Device,
  type WebServer,
} from './helpers';

const T = 90_000;
/** The client's bound on ICE checking (src-renderer/call/connection-watchdog.ts), plus room for a loaded machine. */
const CONNECT_BOUND_WAIT_MS = 20_000 + 15_000;

if (!chromiumAvailable()) console.log('skipped: browser E2E needs Debian chromium (/usr/bin/chromium)');

async function inCall(page: Page): Promise<void> {
  await page.locator('[data-testid="call-active"][data-state="active"]').waitFor({ timeout: 20_000 });
}

async function leaveEnded(page: Page): Promise<void> {
  const ok = page.getByTestId('call-ended-ok');
  if (await ok.count()) await ok.click({ timeout: 1000 }).catch(() => undefined);
  await page.getByTestId('call-ended').waitFor({ state: 'detached', timeout: 6000 });
}

/** Width of the frames a <video> element shows (0 until one is decoded). */
function videoWidth(video: Locator): Promise<number> {
  return video.evaluate((element) => (element as unknown as { videoWidth: number }).videoWidth);
}

async function narrowScreenshot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 420, height: 820 });
  await screenshot(page, name);
  if (size) await page.setViewportSize(size);
}

async function setRelayOnly(device: Device, on: boolean): Promise<void> {
  await device.page.getByTestId('open-settings').click();
  const box = device.page.getByTestId('settings-relay');
  if ((await box.isChecked()) !== on) await box.click();
  await until(() => box.isChecked(), (checked) => checked === on);
  await device.page.getByTestId('settings-close').click();
}

describe.skipIf(!chromiumAvailable()).sequential('web client: the call engine', () => {
  let server: WebServer;
  let browser: Browser;
  let alice: Device; // Turkish
  let bob: Device; // English

  beforeAll(async () => {
    // A grace period long enough for a reload to come back; no STUN and no TURN server.
    server = await startWebServer({ CALL_GRACE_MS: '20000', STUN_URLS: '' });
    browser = await launchBrowser();
    alice = await openDevice(browser, server.url, 'alice', 'tr-TR');
    bob = await openDevice(browser, server.url, 'bob', 'en-US');
    await alice.page.getByTestId('auth-screen').waitFor();
    await bob.page.getByTestId('auth-screen').waitFor();
    await register(alice.page, 'alice', 'Alice');
    await register(bob.page, 'bob', 'Bob');
    await pairDevices(alice, bob, 'Alice', 'Bob');
  }, T);

  // Page errors and console errors fail the test that caused them.
  afterEach(() => {
    const errors = [alice, bob].flatMap((device) => device.errors.splice(0));
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, T);

  it('relay only without a TURN server: the switch says why it cannot be turned on, and a call ends as "Couldn\'t connect" with what to try', async () => {
    await bob.page.getByTestId('open-settings').click();
    const bobSwitch = bob.page.getByTestId('settings-relay');
    await until(() => bobSwitch.isDisabled(), (disabled) => disabled);
    expect(await bob.page.getByTestId('relay-unavailable').textContent()).toBe('Not available: this server has no relay (TURN) server.');
    await screenshot(bob.page, 'engine-relay-unavailable-en');
    await bob.page.getByTestId('settings-close').click();

    // Alice turned relay only on while her old server had a relay: she can still turn it off.
    await alice.page.evaluate(`(() => {
      const saved = JSON.parse(window.localStorage.getItem('heartline.settings') || '{}');
      window.localStorage.setItem('heartline.settings', JSON.stringify({ ...saved, relayOnly: true }));
    })()`);
    await alice.page.reload();
    await alice.page.getByTestId('home').waitFor();
    await until(() => alice.page.getByTestId('partner-presence').getAttribute('data-presence'), (p) => p === 'online');
    await alice.page.getByTestId('open-settings').click();
    await alice.page.getByTestId('relay-unavailable').waitFor();
    expect(await alice.page.getByTestId('settings-relay').isChecked()).toBe(true);
    expect(await alice.page.getByTestId('settings-relay').isEnabled()).toBe(true);
    await screenshot(alice.page, 'engine-relay-unavailable-tr');
    await alice.page.getByTestId('settings-close').click();

    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('answer-video').click();
    await alice.page.locator('[data-testid="call-active"][data-state="connecting"]').waitFor();

    const ended = alice.page.locator('[data-testid="call-ended"][data-reason="failed"]');
    await ended.waitFor({ timeout: CONNECT_BOUND_WAIT_MS });
    expect(await alice.page.getByTestId('call-ended-reason').textContent()).toBe('Bağlanılamadı');
    expect(await alice.page.getByTestId('call-hint').textContent()).toContain('Yalnızca aktarıcı');
    await screenshot(alice.page, 'engine-couldnt-connect-tr');
    await narrowScreenshot(alice.page, 'engine-couldnt-connect-tr-420');
    await bob.page.locator('[data-testid="call-ended"][data-reason="failed"]').waitFor({ timeout: 5000 });
    expect(await bob.page.getByTestId('call-ended-reason').textContent()).toBe("Couldn't connect");
    await screenshot(bob.page, 'engine-couldnt-connect-en');

    // Both histories: not a completed call but one that could not connect, 0 s.
    for (const [device, label] of [
      [alice, 'Bağlanılamadı'],
      [bob, "Couldn't connect"],
    ] as const) {
      const row = device.page.getByTestId('history-item').first();
      await until(() => row.getAttribute('data-reason'), (reason) => reason === 'failed');
      expect(await row.getAttribute('data-status')).toBe('ended');
      expect(await row.getAttribute('data-duration')).toBe('0');
      expect(await row.textContent()).toContain(label);
    }
    await Promise.all([leaveEnded(alice.page), leaveEnded(bob.page)]);
    await setRelayOnly(alice, false);
    // Off again, it cannot be turned back on here (once the dialog knows there is no relay: it asks on opening).
    await alice.page.getByTestId('open-settings').click();
    await alice.page.getByTestId('relay-unavailable').waitFor();
    expect(await alice.page.getByTestId('settings-relay').isDisabled()).toBe(true);
    await alice.page.getByTestId('settings-close').click();
  }, T);

  it('"Calling…" becomes "Ringing…" once the partner\'s device rings, with your own camera showing', async () => {
    await bob.page.getByTestId('call-video').click();
    await bob.page.getByTestId('call-outgoing').waitFor();
    await alice.page.getByTestId('call-incoming').waitFor();
    const progress = bob.page.getByTestId('call-progress');
    await until(() => progress.getAttribute('data-ringing'), (ringing) => ringing === 'true');
    expect(await progress.textContent()).toBe('Ringing…');
    const preview = bob.page.getByTestId('self-preview');
    await until(() => videoWidth(preview), (width) => width > 0);
    await screenshot(bob.page, 'engine-ringing-en');
    await narrowScreenshot(bob.page, 'engine-ringing-en-420');
    await alice.page.getByTestId('decline').click();
    await bob.page.locator('[data-testid="call-ended"][data-reason="declined"]').waitFor();
    await Promise.all([leaveEnded(alice.page), leaveEnded(bob.page)]);

    // And in Turkish, Alice calling Bob.
    await alice.page.getByTestId('call-voice').click();
    await until(() => alice.page.getByTestId('call-progress').textContent(), (text) => text === 'Çalıyor…');
    expect(await alice.page.getByTestId('self-preview').count()).toBe(0); // a voice call shows no camera
    await screenshot(alice.page, 'engine-ringing-tr');
    await alice.page.getByTestId('call-cancel').click();
    await Promise.all([leaveEnded(alice.page), leaveEnded(bob.page)]);
  }, T);

  it('signal bars for everyone, with bitrate, loss, round trip and route on demand', async () => {
    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('answer-video').click();
    await Promise.all([inCall(alice.page), inCall(bob.page)]);
    for (const device of [alice, bob]) {
      const quality = device.page.getByTestId('call-quality');
      await quality.waitFor({ timeout: 10_000 });
      expect(Number(await quality.getAttribute('data-bars'))).toBeGreaterThanOrEqual(1);
      expect(await device.page.getByTestId('quality-details').count()).toBe(0);
      await quality.click();
      await device.page.getByTestId('quality-details').waitFor();
      expect(await device.page.getByTestId('quality-route').getAttribute('data-route')).toBe('direct');
    }
    expect(await bob.page.getByTestId('quality-route').textContent()).toBe('Direct');
    expect(await alice.page.getByTestId('quality-route').textContent()).toBe('Doğrudan');
    await screenshot(alice.page, 'engine-quality-tr');
    await screenshot(bob.page, 'engine-quality-en');
    await narrowScreenshot(bob.page, 'engine-quality-en-420');
  }, T);

  it('screen sharing: a banner on both sides, and the sharer previews what they share', async () => {
    await alice.page.getByTestId('share-screen').click();
    await alice.page.getByTestId('share-banner-mine').waitFor();
    const preview = alice.page.getByTestId('share-preview');
    await until(() => videoWidth(preview), (width) => width > 0);
    await bob.page.getByTestId('share-banner-partner').waitFor();
    expect(await bob.page.getByTestId('share-banner-partner').textContent()).toBe('Alice is sharing their screen');
    await screenshot(alice.page, 'engine-sharing-tr');
    await narrowScreenshot(alice.page, 'engine-sharing-tr-420');
    await screenshot(bob.page, 'engine-sharing-en');
    await alice.page.getByTestId('share-screen').click();
    await bob.page.getByTestId('share-banner-partner').waitFor({ state: 'detached' });
    expect(await alice.page.getByTestId('share-banner-mine').count()).toBe(0);
  }, T);

  it('"Audio only" stops video in both directions (camera off alone does not) and the camera brings it back', async () => {
    // Camera off on Bob's side: he still receives Alice's video.
    await bob.page.getByTestId('toggle-camera').click();
    await alice.page.getByTestId('remote-camera-off').waitFor();
    await until(() => statsOver(bob.page, 1000), ([b, a]) => a.inVideoFrames - b.inVideoFrames > 5, 8000, 0);
    await bob.page.getByTestId('toggle-camera').click();
    await alice.page.getByTestId('remote-camera-off').waitFor({ state: 'detached' });

    await alice.page.getByTestId('audio-only').click();
    await alice.page.getByTestId('audio-only-on').waitFor();
    await bob.page.getByTestId('partner-audio-only').waitFor();
    // Once renegotiated, no video bytes flow either way, while audio still does.
    for (const device of [alice, bob]) {
      const [before, after] = await until(
        () => statsOver(device.page, 1500),
        ([b, a]) => a.inVideoBytes === b.inVideoBytes && a.outVideoBytes === b.outVideoBytes,
        15_000,
        0,
      );
      expect(after.inAudioBytes, `${device.name} still hears`).toBeGreaterThan(before.inAudioBytes);
    }
    await screenshot(alice.page, 'engine-audio-only-tr');
    await screenshot(bob.page, 'engine-audio-only-en');

    await alice.page.getByTestId('toggle-camera').click();
    await alice.page.getByTestId('audio-only-on').waitFor({ state: 'detached' });
    for (const device of [alice, bob]) {
      await until(() => statsOver(device.page, 1000), ([b, a]) => a.inVideoFrames - b.inVideoFrames > 5, 15_000, 0);
    }
  }, T);

  it('a reload mid-call re-joins the same call; the partner stays in it', async () => {
    const callId = await alice.page.getByTestId('call-active').getAttribute('data-call-type');
    expect(callId).toBe('video');
    await bob.page.reload();
    await inCall(bob.page);
    await firstRemoteFrameAt(bob.page);
    await until(() => statsOver(alice.page, 1000), ([b, a]) => a.inVideoFrames - b.inVideoFrames > 5, 20_000, 0);
    expect(await alice.page.getByTestId('call-ended').count()).toBe(0);
    const stats = await mediaStats(bob.page);
    expect(stats.connectionState).toBe('connected');
  }, T);

  it('after a hang-up both histories show the final record without fetching the history again', async () => {
    const fetches: string[] = [];
    const count = (request: { url(): string }): void => {
      if (new URL(request.url()).pathname.startsWith('/api/calls')) fetches.push(request.url());
    };
    alice.page.on('request', count);
    bob.page.on('request', count);
    await alice.page.getByTestId('hangup').click();
    for (const device of [alice, bob]) {
      const row = device.page.getByTestId('history-item').first();
      await until(() => row.getAttribute('data-reason'), (reason) => reason === 'hangup');
      expect(await row.getAttribute('data-status')).toBe('ended');
      expect(Number(await row.getAttribute('data-duration'))).toBeGreaterThan(0);
    }
    alice.page.off('request', count);
    bob.page.off('request', count);
    expect(fetches).toEqual([]);
    // The reload re-joined the call: it is one call in the log, not a lost one and a new one.
    const rows = await bob.page.getByTestId('history-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-reason')));
    expect(rows.filter((reason) => reason === 'connection_lost')).toEqual([]);
  }, T);
});
