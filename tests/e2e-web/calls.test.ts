// Two partners in two browser contexts (a third for Bob's second device) against a
// real server on loopback: sign-up, pairing, real WebRTC calls with fake media,
// the ways a call ends, and screenshots of each screen in Turkish and English.
import type { Browser } from 'playwright';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  firstRemoteFrameAt,
  launchBrowser,
  login,
  mediaStats,
  openDevice,
  register,
  screenshot,
  startWebServer,
  statsOver,
  takeUnexpectedErrors,
  until,
  type Device,
  type WebServer,
} from './helpers';
import { requireOrSkip } from '../support/requirements';

const T = 60_000;

/** Leaves the "call ended" screen if it is still up (it also goes by itself after a few seconds). */
async function dismissEnded(device: Device): Promise<void> {
  const ok = device.page.getByTestId('call-ended-ok');
  if (!(await ok.count())) return;
  await ok.click({ timeout: 1000 }).catch(() => undefined);
  await device.page.getByTestId('call-ended').waitFor({ state: 'detached', timeout: 5000 });
}

const available = requireOrSkip('chromium', chromiumAvailable(), 'browser E2E needs Debian chromium (/usr/bin/chromium)');

describe.skipIf(!available).sequential('web client: calls between partners', () => {
  let server: WebServer;
  let browser: Browser;
  let alice: Device; // Turkish
  let bob: Device; // English
  let bob2: Device | undefined; // Bob's second device
  const firstFrame: Array<{ side: string; ms: number }> = [];

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    alice = await openDevice(browser, server.url, 'alice', 'tr-TR');
    bob = await openDevice(browser, server.url, 'bob', 'en-US');
  }, T);

  // Each test starts from the home screen, whatever the test before left behind.
  beforeEach(async () => {
    for (const device of [alice, bob]) {
      for (const leave of ['hangup', 'call-cancel', 'decline']) {
        const button = device.page.getByTestId(leave);
        if (await button.count()) await button.click({ timeout: 1000 }).catch(() => undefined);
      }
    }
    await Promise.all([alice, bob].map((device) => dismissEnded(device)));
  }, T);

  // A page error or an unexpected console error fails the test that caused it.
  afterEach(() => {
    expect(takeUnexpectedErrors([alice, bob, bob2])).toEqual([]);
  });

  afterAll(async () => {
    if (firstFrame.length) {
      console.log(`[e2e] accept-to-first-frame: ${firstFrame.map((f) => `${f.side} ${f.ms} ms`).join(', ')}`);
    }
    await browser?.close();
    await server?.close();
  }, T);

  it('signs up, shows clear messages for bad paths, and pairs', async () => {
    await alice.page.getByTestId('auth-screen').waitFor();
    await bob.page.getByTestId('auth-screen').waitFor();
    await screenshot(alice.page, 'login-tr');
    await screenshot(bob.page, 'login-en');

    await register(alice.page, 'alice', 'Alice');
    // Wrong password: a clear message, still on the login screen.
    await login(bob.page, 'alice', 'not the password');
    await bob.page.getByTestId('auth-error').waitFor();
    expect(await bob.page.getByTestId('auth-error').textContent()).toBe('Wrong username or password.');
    await register(bob.page, 'bob', 'Bob');

    // Before pairing, pairing is the one thing on the screen: no call buttons to press.
    await alice.page.getByTestId('pairing').waitFor();
    expect(await alice.page.getByTestId('call-video').count()).toBe(0);
    expect(await alice.page.getByTestId('call-voice').count()).toBe(0);

    // An expired invite code (made by Alice a day ago).
    const aliceRecord = await server.heartline.store.findUserByUsername('alice');
    const now = Date.now();
    await server.heartline.store.createInvite({ code: 'EXPD2345', inviterId: aliceRecord!.id, createdAt: now - 25 * 3600_000, expiresAt: now - 3600_000 });
    await bob.page.getByTestId('pair-input').fill('expd-2345');
    await bob.page.getByTestId('pair-submit').click();
    await bob.page.getByTestId('pair-error').waitFor();
    expect(await bob.page.getByTestId('pair-error').textContent()).toContain('expired');

    await alice.page.getByTestId('pair-create').click();
    const code = (await alice.page.getByTestId('pair-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await screenshot(alice.page, 'pairing-tr');
    await screenshot(bob.page, 'pairing-en');

    await bob.page.getByTestId('pair-input').fill(code);
    await bob.page.getByTestId('pair-submit').click();
    for (const [device, partner] of [
      [alice, 'Bob'],
      [bob, 'Alice'],
    ] as const) {
      await until(() => device.page.getByTestId('partner-name').textContent(), (text) => text === partner);
      await until(() => device.page.getByTestId('partner-presence').getAttribute('data-presence'), (p) => p === 'online');
    }
    await screenshot(alice.page, 'home-tr');
    await screenshot(bob.page, 'home-en');
  }, T);

  it('video call: both decode video and audio, mute and camera off reach the other side, same duration in history', async () => {
    await alice.page.getByTestId('call-video').click();
    await alice.page.getByTestId('call-outgoing').waitFor();
    await bob.page.getByTestId('call-incoming').waitFor();
    await screenshot(bob.page, 'incoming-en');

    const acceptedAt = Date.now();
    await bob.page.getByTestId('answer-video').click();
    const [bobFrame, aliceFrame] = await Promise.all([firstRemoteFrameAt(bob.page), firstRemoteFrameAt(alice.page)]);
    firstFrame.push({ side: 'callee (video)', ms: bobFrame - acceptedAt }, { side: 'caller (video)', ms: aliceFrame - acceptedAt });

    for (const device of [alice, bob]) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor();
    for (const device of [alice, bob]) {
      const [before, after] = await statsOver(device.page, 1500);
      expect(after.inVideoFrames, `${device.name} framesDecoded`).toBeGreaterThan(before.inVideoFrames);
      expect(after.inVideoBytes, `${device.name} video bytesReceived`).toBeGreaterThan(before.inVideoBytes);
      expect(after.inAudioBytes, `${device.name} audio bytesReceived`).toBeGreaterThan(before.inAudioBytes);
    }
    // The timer runs.
    const timer1 = await alice.page.getByTestId('call-timer').textContent();
    expect(timer1).toMatch(/^\d\d:\d\d$/);
    await until(() => alice.page.getByTestId('call-timer').textContent(), (t) => t !== timer1, 3000);
    await alice.page.getByTestId('call-quality').waitFor();
    await screenshot(alice.page, 'active-tr');
    await screenshot(bob.page, 'active-en');

    // Mute: Bob is told, and Alice's audio stops reaching him; unmute brings it back.
    await alice.page.getByTestId('toggle-mic').click();
    await bob.page.getByTestId('remote-muted').waitFor();
    // Packets already in flight still arrive for a moment: wait (bounded) for the line to go quiet.
    let [before, after] = await until(() => statsOver(bob.page, 1500), ([b, a]) => a.inAudioBytes - b.inAudioBytes < 200, 8000, 0);
    expect(after.inAudioBytes - before.inAudioBytes, 'audio bytes while muted').toBeLessThan(200);
    await alice.page.getByTestId('toggle-mic').click();
    await bob.page.getByTestId('remote-muted').waitFor({ state: 'detached' });
    await until(() => statsOver(bob.page, 1000), ([b, a]) => a.inAudioBytes - b.inAudioBytes > 1000, 8000, 0);

    // Camera off: no more frames for Bob; on again: frames again.
    await alice.page.getByTestId('toggle-camera').click();
    await bob.page.getByTestId('remote-camera-off').waitFor();
    [before, after] = await until(() => statsOver(bob.page, 1500), ([b, a]) => a.inVideoFrames - b.inVideoFrames <= 1, 8000, 0);
    expect(after.inVideoFrames - before.inVideoFrames, 'frames while camera off').toBeLessThanOrEqual(1);
    expect(await alice.page.getByTestId('local-video').count()).toBe(0);
    await alice.page.getByTestId('toggle-camera').click();
    await bob.page.getByTestId('remote-camera-off').waitFor({ state: 'detached' });
    await until(() => statsOver(bob.page, 1000), ([b, a]) => a.inVideoFrames - b.inVideoFrames > 5, 8000, 0);

    await alice.page.getByTestId('hangup').click();
    for (const device of [alice, bob]) {
      await device.page.locator('[data-testid="call-ended"][data-reason="hangup"]').waitFor();
    }
    const durations = [];
    for (const device of [alice, bob]) {
      const item = device.page.getByTestId('history-item').first();
      await until(() => item.getAttribute('data-status'), (s) => s === 'ended');
      durations.push(Number(await item.getAttribute('data-duration')));
    }
    expect(durations[0]).toBeGreaterThanOrEqual(3);
    expect(durations[0]).toBe(durations[1]);
    await Promise.all([dismissEnded(alice), dismissEnded(bob)]);
  }, T);

  it('voice call: audio flows both ways and no video is sent', async () => {
    await bob.page.getByTestId('call-voice').click();
    await alice.page.getByTestId('call-incoming').waitFor();
    expect(await alice.page.getByTestId('answer-video').count()).toBe(0);
    await screenshot(alice.page, 'incoming-tr');
    await alice.page.getByTestId('answer-voice').click();
    for (const device of [alice, bob]) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor();
    for (const device of [alice, bob]) {
      const [before, after] = await until(() => statsOver(device.page, 1000), ([b, a]) => a.inAudioBytes > b.inAudioBytes, 8000, 0);
      expect(after.inAudioBytes).toBeGreaterThan(before.inAudioBytes);
      expect(after.outVideoBytes, `${device.name} sends no video`).toBe(0);
      expect(after.videoSenders, `${device.name} has no video sender track`).toBe(0);
      expect(after.inVideoFrames).toBe(0);
    }
    await bob.page.getByTestId('hangup').click();
    await alice.page.locator('[data-testid="call-ended"][data-reason="hangup"]').waitFor();
    await alice.page.getByTestId('call-ended-ok').click();
    await bob.page.getByTestId('call-ended-ok').click();
  }, T);

  it('decline: the caller sees that the call was declined', async () => {
    await alice.page.getByTestId('call-voice').click();
    await bob.page.getByTestId('call-incoming').waitFor();
    await bob.page.getByTestId('decline').click();
    await alice.page.locator('[data-testid="call-ended"][data-reason="declined"]').waitFor();
    expect(await alice.page.getByTestId('call-ended-reason').textContent()).toBe('Arama reddedildi');
    await alice.page.getByTestId('call-ended-ok').click();
    await bob.page.getByTestId('call-ended-ok').click();
  }, T);

  it('caller cancel: the ring stops and the callee finds a missed call', async () => {
    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('call-incoming').waitFor();
    await alice.page.getByTestId('call-cancel').click();
    await bob.page.getByTestId('call-incoming').waitFor({ state: 'detached' });
    await bob.page.locator('[data-testid="history-item"][data-status="missed"][data-reason="canceled"]').waitFor();
    await alice.page.getByTestId('call-ended-ok').click();
    await dismissEnded(bob);
  }, T);

  it('no answer: the ring times out and shows in the missed section', async () => {
    await alice.page.getByTestId('call-voice').click();
    await bob.page.getByTestId('call-incoming').waitFor();
    await alice.page.locator('[data-testid="call-ended"][data-reason="timeout"]').waitFor({ timeout: 10_000 });
    expect(await alice.page.getByTestId('call-ended-reason').textContent()).toBe('Cevap yok');
    await bob.page.getByTestId('call-incoming').waitFor({ state: 'detached' });
    await bob.page.locator('[data-testid="history-item"][data-status="missed"][data-reason="timeout"]').waitFor();
    await Promise.all([dismissEnded(alice), dismissEnded(bob)]);
    await screenshot(alice.page, 'history-tr');
    await screenshot(bob.page, 'history-en');
  }, T);

  it('Bob on two devices: both ring, he answers on one, the other stops ringing', async () => {
    bob2 = await openDevice(browser, server.url, 'bob2', 'en-US');
    await bob2.page.getByTestId('auth-screen').waitFor();
    await login(bob2.page, 'bob');
    await bob2.page.getByTestId('home').waitFor();
    await until(() => bob2!.page.getByTestId('partner-name').textContent(), (t) => t === 'Alice');

    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('call-incoming').waitFor();
    await bob2.page.getByTestId('call-incoming').waitFor();
    await bob.page.getByTestId('answer-voice').click();
    await bob2.page.getByTestId('call-incoming').waitFor({ state: 'detached' });
    expect(await bob2.page.getByTestId('call-active').count()).toBe(0);
    for (const device of [alice, bob]) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor();
    // Bob answered with voice only: he still sees Alice's video.
    await until(() => statsOver(bob.page, 800), ([b, a]) => a.inVideoFrames > b.inVideoFrames, 8000, 0);
    expect((await mediaStats(bob.page)).videoSenders).toBe(0);
    await alice.page.getByTestId('hangup').click();
    await bob.page.locator('[data-testid="call-ended"][data-reason="hangup"]').waitFor();
    await bob2.context.close();
    bob2 = undefined;
    await alice.page.getByTestId('call-ended-ok').click();
    await bob.page.getByTestId('call-ended-ok').click();
  }, T);

  it('both press call at once: they end up in one call', async () => {
    const aliceRecord = await server.heartline.store.findUserByUsername('alice');
    const logged = async (): Promise<Array<{ status: string }>> => server.heartline.store.listCalls(aliceRecord!.id, 100, undefined);
    const before = (await logged()).length;
    for (const device of [alice, bob]) await device.page.getByTestId('call-voice').waitFor();
    // Playwright drives the two pages one command at a time, so one call could ring before
    // the other press lands. Both pages instead press at the same wall-clock instant, and
    // each says whether its call button was still there: a page that already showed the
    // partner's ring would not have pressed "call" at all, and that would not be this race.
    const at = Date.now() + 1000;
    const press = `new Promise((resolve) => setTimeout(() => {
      const button = document.querySelector('[data-testid="call-voice"]');
      if (button) button.click();
      resolve(Boolean(button));
    }, ${at} - Date.now()))`;
    const pressed = await Promise.all([alice.page.evaluate(press), bob.page.evaluate(press)]);
    expect(pressed, 'both pressed "call" before either saw the other ring').toEqual([true, true]);
    for (const device of [alice, bob]) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor({ timeout: 15_000 });
    await bob.page.getByTestId('hangup').click();
    await alice.page.locator('[data-testid="call-ended"][data-reason="hangup"]').waitFor();
    // One answered call in the authoritative log, not two missed ones.
    const after = await logged();
    expect(after.length).toBe(before + 1);
    expect(after[0]?.status).toBe('ended');
  }, T);

  it('screen share replaces the camera and back, the partner keeps receiving video', async () => {
    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('answer-video').click();
    for (const device of [alice, bob]) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor();
    const senderLabel = (): Promise<unknown> =>
      alice.page.evaluate(`(() => {
        const pc = [...window.__heartlinePcs].reverse().find((p) => p.connectionState !== 'closed');
        const sender = pc && pc.getSenders().find((s) => s.track && s.track.kind === 'video');
        return sender ? sender.track.label : null;
      })()`);
    const cameraLabel = await senderLabel();
    expect(cameraLabel).toBeTruthy();
    await alice.page.getByTestId('share-screen').click();
    await alice.page.locator('[data-testid="share-screen"][aria-pressed="true"]').waitFor();
    expect(await senderLabel()).not.toBe(cameraLabel);
    await until(() => statsOver(bob.page, 800), ([b, a]) => a.inVideoFrames > b.inVideoFrames, 8000, 0);
    await alice.page.getByTestId('share-screen').click();
    await alice.page.locator('[data-testid="share-screen"][aria-pressed="false"]').waitFor();
    expect(await senderLabel()).toBe(cameraLabel);
    await until(() => statsOver(bob.page, 800), ([b, a]) => a.inVideoFrames > b.inVideoFrames, 8000, 0);
    await alice.page.getByTestId('hangup').click();
    await bob.page.locator('[data-testid="call-ended"][data-reason="hangup"]').waitFor();
    await alice.page.getByTestId('call-ended-ok').click();
    await bob.page.getByTestId('call-ended-ok').click();
  }, T);

  it('a dropped peer connection is rebuilt within the same call', async () => {
    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('answer-video').click();
    for (const device of [alice, bob]) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor();
    const pcCount = (device: Device): Promise<unknown> => device.page.evaluate('window.__heartlinePcs.length');
    const [aliceBefore, bobBefore] = [Number(await pcCount(alice)), Number(await pcCount(bob))];
    // Kill the answering side's connection under the app's feet.
    await bob.page.evaluate('window.__heartlinePcs[window.__heartlinePcs.length - 1].close()');
    await until(
      async (): Promise<[number, number]> => [Number(await pcCount(alice)), Number(await pcCount(bob))],
      ([a, b]) => a > aliceBefore && b > bobBefore,
      15_000,
    );
    for (const device of [alice, bob]) {
      await until(() => statsOver(device.page, 800), ([b, a]) => a.inVideoFrames > b.inVideoFrames && a.inAudioBytes > b.inAudioBytes, 15_000, 0);
      expect(await device.page.getByTestId('call-active').count()).toBe(1);
    }
    await bob.page.getByTestId('call-reconnecting').waitFor({ state: 'detached' });
    await alice.page.getByTestId('hangup').click();
    await bob.page.locator('[data-testid="call-ended"][data-reason="hangup"]').waitFor();
    await alice.page.getByTestId('call-ended-ok').click();
    await bob.page.getByTestId('call-ended-ok').click();
  }, T);

  it('settings: the language switches at once, and unpairing sends both back to pairing', async () => {
    await alice.page.getByTestId('open-settings').click();
    await alice.page.getByTestId('settings-dialog').waitFor();
    await alice.page.getByTestId('settings-language').selectOption('en');
    await until(() => alice.page.getByTestId('open-settings').textContent(), (text) => (text ?? '').includes('Settings'));
    await alice.page.getByTestId('unpair').click();
    await alice.page.getByTestId('unpair-confirm').click();
    await alice.page.getByTestId('pairing').waitFor();
    await bob.page.getByTestId('pairing').waitFor();
    // Pairing is the one thing on the screen again.
    expect(await bob.page.getByTestId('partner-tile').count()).toBe(0);
    expect(await alice.page.getByTestId('pairing').locator('h2').textContent()).toBe('Pair with your partner');
  }, T);
});
