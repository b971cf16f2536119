// Two features checked end to end through the real UI, with real getStats():
// 1. "Relay only" (Settings): with a real coturn on loopback, a video call between
//    two partners who both turned it on runs over TURN relay candidates only, and
//    video is decoded on both sides; with it off, the same call goes host to host.
// 2. A voice call upgraded to video: the caller turns the camera on mid-call and the
//    partner starts decoding her video, in the same call and the same connection.
import type { Browser, Page } from 'playwright';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  firstRemoteFrameAt,
  mediaStats,
  openPairedCouple,
  selectedCandidatePair,
  startTurnServer,
  startWebServer,
  statsOver,
  takeUnexpectedErrors,
  turnserverAvailable,
  until,
  type Device,
  type MediaStats,
  type SelectedPair,
  type TurnServer,
  type WebServer,
} from './helpers';
import { requireOrSkip } from '../support/requirements';

const T = 60_000;
const TURN_SECRET = 'heartline-e2e-turn-secret';
// Apart from tests/server/turn-relay.test.ts (50000-50999), which may run at the same time.
const RELAY_PORTS = { min: 52000, max: 52999 };

const browserAvailable = requireOrSkip('chromium', chromiumAvailable(), 'relay-only and voice-to-video E2E need Debian chromium (/usr/bin/chromium)');
const relayAvailable = browserAvailable && requireOrSkip('coturn', turnserverAvailable(), 'relay-only E2E needs coturn (/usr/bin/turnserver)');

/** Turns "relay only" on or off in the settings dialog, as a user does, and closes it. */
async function setRelayOnly(page: Page, on: boolean): Promise<void> {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings-dialog').waitFor();
  const box = page.getByTestId('settings-relay');
  if ((await box.isChecked()) !== on) await box.click();
  // The box is controlled by React and the setting is saved asynchronously.
  await until(() => box.isChecked(), (checked) => checked === on);
  await page.getByTestId('settings-close').click();
  await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
  // In the browser the setting lives in localStorage: it really was saved.
  const saved = await page.evaluate(`JSON.parse(window.localStorage.getItem('heartline.settings') || '{}').relayOnly`);
  expect(saved).toBe(on);
}

async function waitActive(devices: Device[]): Promise<void> {
  for (const device of devices) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor({ timeout: 20_000 });
}

/** The pair once ICE has selected one (it can lag "active" by a moment). */
function connectedPair(page: Page): Promise<SelectedPair> {
  return until(
    () => selectedCandidatePair(page),
    (p) => p.connectionState === 'connected' && p.localType !== null && p.remoteType !== null,
    15_000,
  );
}

async function hangUpBoth(caller: Device, callee: Device): Promise<void> {
  await caller.page.getByTestId('hangup').click();
  for (const device of [caller, callee]) await device.page.locator('[data-testid="call-ended"][data-reason="hangup"]').waitFor();
  for (const device of [caller, callee]) {
    await device.page.getByTestId('call-ended-ok').click();
    await device.page.getByTestId('home').waitFor();
  }
}

/** Back to the home screen whatever a failed test left behind (the dialog, a call, a ring, the ended screen). */
async function backHome(devices: Device[]): Promise<void> {
  for (const device of devices) {
    for (const leave of ['settings-close', 'hangup', 'call-cancel', 'decline']) {
      const button = device.page.getByTestId(leave);
      if (await button.count()) await button.click({ timeout: 1000 }).catch(() => undefined);
    }
  }
  for (const device of devices) {
    for (const screen of ['settings-dialog', 'call-active', 'call-outgoing', 'call-incoming']) {
      await device.page.getByTestId(screen).waitFor({ state: 'detached', timeout: 10_000 });
    }
    const ok = device.page.getByTestId('call-ended-ok');
    if (await ok.count()) await ok.click({ timeout: 1000 }).catch(() => undefined);
    await device.page.getByTestId('call-ended').waitFor({ state: 'detached', timeout: 10_000 });
  }
}

function seconds(clock: string | null): number {
  const match = /^(\d+):(\d\d)$/.exec(clock ?? '');
  if (!match) throw new Error(`not a call timer: ${JSON.stringify(clock)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** A page error or an unexpected console error fails the test that caused it. */
function failOnPageErrors(devices: () => Device[]): void {
  afterEach(() => {
    expect(takeUnexpectedErrors(devices())).toEqual([]);
  });
}

/** Both set "relay only" as given in Settings, then Alice video-calls and Bob answers. */
async function videoCallWithRelayOnly(alice: Device, bob: Device, relayOnly: boolean): Promise<void> {
  await setRelayOnly(alice.page, relayOnly);
  await setRelayOnly(bob.page, relayOnly);
  await alice.page.getByTestId('call-video').click();
  await bob.page.getByTestId('call-incoming').waitFor();
  await bob.page.getByTestId('answer-video').click();
  await waitActive([alice, bob]);
}

/** Waits until the device decodes more than 5 video frames in 1.5 s; returns the stats before and after. */
async function videoFlowing(device: Device, label: string): Promise<[MediaStats, MediaStats]> {
  const [before, after] = await until(() => statsOver(device.page, 1500), ([b, a]) => a.inVideoFrames - b.inVideoFrames > 5, 15_000, 0);
  console.log(`[e2e] ${label}, ${device.name}: framesDecoded ${before.inVideoFrames} -> ${after.inVideoFrames} in 1.5 s`);
  expect(after.inVideoFrames, `${device.name} framesDecoded`).toBeGreaterThan(before.inVideoFrames);
  return [before, after];
}

describe.skipIf(!relayAvailable).sequential('web client: relay-only privacy setting through a real coturn', () => {
  let turn: TurnServer;
  let server: WebServer;
  let browser: Browser;
  let alice: Device;
  let bob: Device;

  beforeAll(async () => {
    turn = await startTurnServer(TURN_SECRET, RELAY_PORTS);
    server = await startWebServer({ STUN_URLS: '', TURN_URLS: turn.url, TURN_SECRET });
    ({ browser, alice, bob } = await openPairedCouple(server.url));
  }, T);

  beforeEach(() => backHome([alice, bob]), T);
  failOnPageErrors(() => [alice, bob]);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await turn?.stop();
  }, T);

  it('both on relay only: a video call runs over TURN relay candidates on both sides and video is decoded', async () => {
    await videoCallWithRelayOnly(alice, bob, true);

    for (const device of [alice, bob]) {
      const pair = await connectedPair(device.page);
      console.log(`[e2e] relay only, ${device.name}: ${JSON.stringify(pair)}`);
      expect(pair.iceTransportPolicy, `${device.name} policy`).toBe('relay');
      // Not a single host or server-reflexive candidate was even gathered: the IP stays hidden.
      expect(pair.localCandidateTypes, `${device.name} gathered`).toEqual(['relay']);
      expect(pair.localType, `${device.name} selected local candidate`).toBe('relay');
      expect(pair.remoteType, `${device.name} selected remote candidate`).toBe('relay');
      // The relayed addresses are allocations on our coturn.
      expect(pair.localAddress).toBe('127.0.0.1');
      expect(pair.localPort).toBeGreaterThanOrEqual(RELAY_PORTS.min);
      expect(pair.localPort).toBeLessThanOrEqual(RELAY_PORTS.max);
      expect(pair.remotePort).toBeGreaterThanOrEqual(RELAY_PORTS.min);
      expect(pair.remotePort).toBeLessThanOrEqual(RELAY_PORTS.max);
    }
    for (const device of [alice, bob]) {
      const [before, after] = await videoFlowing(device, 'relay only');
      expect(after.inAudioBytes, `${device.name} audio bytesReceived`).toBeGreaterThan(before.inAudioBytes);
    }
    await hangUpBoth(alice, bob);
  }, T);

  it('relay only off again: a video call connects host to host', async () => {
    await videoCallWithRelayOnly(alice, bob, false);

    for (const device of [alice, bob]) {
      const pair = await connectedPair(device.page);
      console.log(`[e2e] relay allowed, ${device.name}: ${JSON.stringify(pair)}`);
      expect(pair.iceTransportPolicy, `${device.name} policy`).toBe('all');
      expect(pair.localCandidateTypes, `${device.name} gathered`).toContain('host');
      expect(pair.localType, `${device.name} selected local candidate`).toBe('host');
      // The partner's address is learned directly (host) or from its checks (prflx), never through TURN.
      expect(['host', 'prflx'], `${device.name} selected remote candidate`).toContain(pair.remoteType);
    }
    for (const device of [alice, bob]) await videoFlowing(device, 'relay allowed');
    await hangUpBoth(alice, bob);
  }, T);
});

describe.skipIf(!browserAvailable).sequential('web client: a voice call upgraded to video', () => {
  let server: WebServer;
  let browser: Browser;
  let alice: Device;
  let bob: Device;

  beforeAll(async () => {
    server = await startWebServer();
    ({ browser, alice, bob } = await openPairedCouple(server.url));
  }, T);

  beforeEach(() => backHome([alice, bob]), T);
  failOnPageErrors(() => [alice, bob]);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, T);

  it('Alice turns her camera on in a voice call: Bob decodes her video in the same call, which stays up', async () => {
    const aliceRecord = await server.heartline.store.findUserByUsername('alice');
    const callsBefore = (await server.heartline.store.listCalls(aliceRecord!.id, 100, undefined)).length;
    const pcCount = async (device: Device): Promise<number> => Number(await device.page.evaluate('window.__heartlinePcs.length'));

    await alice.page.getByTestId('call-voice').click();
    await bob.page.getByTestId('call-incoming').waitFor();
    await bob.page.getByTestId('answer-voice').click();
    await waitActive([alice, bob]);
    for (const device of [alice, bob]) {
      expect(await device.page.getByTestId('call-active').getAttribute('data-call-type')).toBe('voice');
    }
    // A voice call: audio flows, no video either way.
    await until(() => statsOver(bob.page, 1000), ([b, a]) => a.inAudioBytes > b.inAudioBytes, 10_000, 0);
    expect((await mediaStats(alice.page)).videoSenders, 'alice sends no video yet').toBe(0);
    expect((await mediaStats(bob.page)).inVideoFrames, 'bob decodes no video yet').toBe(0);
    const pcsBefore = [await pcCount(alice), await pcCount(bob)];
    const timerBefore = seconds(await alice.page.getByTestId('call-timer').textContent());
    const upgradeAt = Date.now();

    await alice.page.getByTestId('toggle-camera').click();
    await alice.page.getByTestId('local-video').waitFor();
    await alice.page.locator('[data-testid="toggle-camera"][aria-pressed="false"]').waitFor();

    // Bob's side: decoded frames from Alice, and the app's own video element shows them.
    const [before, after] = await until(() => statsOver(bob.page, 1000), ([b, a]) => a.inVideoFrames - b.inVideoFrames > 5, 20_000, 0);
    const firstFrame = await firstRemoteFrameAt(bob.page);
    console.log(
      `[e2e] voice -> video: bob framesDecoded ${before.inVideoFrames} -> ${after.inVideoFrames} in 1 s; first frame shown ${firstFrame - upgradeAt} ms after the click`,
    );
    expect(after.inVideoFrames).toBeGreaterThan(before.inVideoFrames);
    expect(after.inVideoBytes).toBeGreaterThan(before.inVideoBytes);
    expect(await bob.page.locator('[data-testid="remote-video"].hidden').count(), 'remote video shown to Bob').toBe(0);
    expect((await mediaStats(alice.page)).videoSenders, 'alice sends a camera track').toBe(1);
    // Audio still flows both ways.
    for (const device of [alice, bob]) {
      await until(() => statsOver(device.page, 1000), ([b, a]) => a.inAudioBytes > b.inAudioBytes, 8000, 0);
    }

    // The same call: still active on both sides, the same connections, the timer went on.
    for (const device of [alice, bob]) {
      expect(await device.page.locator('[data-testid="call-active"][data-state="active"]').count(), `${device.name} still in the call`).toBe(1);
      expect(await device.page.getByTestId('call-ended').count()).toBe(0);
      expect((await mediaStats(device.page)).connectionState).toBe('connected');
    }
    expect([await pcCount(alice), await pcCount(bob)], 'no new RTCPeerConnection').toEqual(pcsBefore);
    const elapsed = Math.floor((Date.now() - upgradeAt) / 1000);
    const timerAfter = seconds(await alice.page.getByTestId('call-timer').textContent());
    expect(timerAfter, 'the call timer continued').toBeGreaterThanOrEqual(timerBefore + Math.max(1, elapsed - 1));

    // And Bob can turn his camera on too (the side that made the offer): Alice decodes him.
    await bob.page.getByTestId('toggle-camera').click();
    const [aBefore, aAfter] = await until(() => statsOver(alice.page, 1000), ([b, a]) => a.inVideoFrames - b.inVideoFrames > 5, 20_000, 0);
    console.log(`[e2e] voice -> video: alice framesDecoded ${aBefore.inVideoFrames} -> ${aAfter.inVideoFrames} in 1 s`);
    expect([await pcCount(alice), await pcCount(bob)], 'still no new RTCPeerConnection').toEqual(pcsBefore);

    await hangUpBoth(alice, bob);
    // One answered voice call in the authoritative log, with the whole duration.
    const calls = await server.heartline.store.listCalls(aliceRecord!.id, 100, undefined);
    expect(calls.length).toBe(callsBefore + 1);
    expect(calls[0]?.status).toBe('ended');
    expect(calls[0]?.type).toBe('voice');
  }, T);
});
