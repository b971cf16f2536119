// Call recording in two Chromium browsers, each with its own fake microphone tone
// (Alice 440 Hz, Bob 880 Hz): a decline records nothing, an accepted recording
// shows on both sides, its WebM holds both tones and the right duration, either
// side's stop ends it for both, and the history marks the call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Download } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../support/requirements';
import { decodeAudio, goertzelPower, hasProgram, mediaDurationSec, writeToneWav } from '../support/audio-analysis';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable, openDevice, pairDevices, register, screenshot, startWebServer, until, type Device, type WebServer } from './helpers';

// Generous: two browsers encoding video on a shared machine can be slow.
const T = 240_000;
const ALICE_HZ = 440;
const BOB_HZ = 880;

// Counts MediaRecorder constructions in the page, so "nothing was recorded" is observable,
// keeps the latest recorder (to make it fail) and the bytes it delivered, and while window.__withholdData is set hides
// the recorder's data from the page (a recorder that never delivers).
const COUNT_RECORDERS = `(() => {
  const Native = window.MediaRecorder;
  if (!Native || window.__recorders !== undefined) return;
  window.__recorders = 0;
  window.MediaRecorder = class extends Native {
    constructor(...args) {
      super(...args);
      window.__recorders += 1;
      window.__recorderMadeAt = performance.now();
      window.__lastRecorder = this;
      window.__recordedBytes = 0;
      super.addEventListener('dataavailable', (event) => { window.__recordedBytes += event.data.size; });
    }
    addEventListener(type, listener, options) {
      if (type !== 'dataavailable') return super.addEventListener(type, listener, options);
      return super.addEventListener(type, (event) => { if (!window.__withholdData) listener.call(this, event); }, options);
    }
  };
})();`;

const runs =
  requireOrSkip('chromium', chromiumAvailable(), 'recording E2E needs Debian chromium (/usr/bin/chromium)') &&
  requireOrSkip('ffmpeg', hasProgram('ffmpeg') && hasProgram('ffprobe'), 'recording E2E needs ffmpeg and ffprobe (apt-get install -y ffmpeg)');

describe.skipIf(!runs).sequential('web client: call recording with two-key consent', () => {
  let server: WebServer;
  let dir: string;
  const browsers: Browser[] = [];
  let alice: Device; // Turkish
  let bob: Device; // English
  const downloads = new Map<Device, Download[]>();

  async function deviceWithTone(name: string, locale: 'tr-TR' | 'en-US', hz: number): Promise<Device> {
    const wav = join(dir, `${name}-${hz}.wav`);
    writeToneWav(wav, hz, 120);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required', `--use-file-for-fake-audio-capture=${wav}`],
    });
    browsers.push(browser);
    const device = await openDevice(browser, server.url, name, locale);
    await device.context.addInitScript({ content: COUNT_RECORDERS });
    await device.page.reload();
    device.page.setDefaultTimeout(90_000);
    downloads.set(device, []);
    device.page.on('download', (download) => downloads.get(device)?.push(download));
    return device;
  }

  const recorders = (device: Device): Promise<number> => device.page.evaluate('window.__recorders') as Promise<number>;
  const indicator = (device: Device) => device.page.getByTestId('recording-indicator');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heartline-recording-'));
    server = await startWebServer();
    alice = await deviceWithTone('alice', 'tr-TR', ALICE_HZ);
    bob = await deviceWithTone('bob', 'en-US', BOB_HZ);
    await register(alice.page, 'alice', 'Alice');
    await register(bob.page, 'bob', 'Bob');
    await pairDevices(alice, bob, 'Alice', 'Bob');
    await alice.page.getByTestId('call-video').click();
    await bob.page.getByTestId('answer-video').click();
    for (const device of [alice, bob]) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor();
  }, T);

  afterAll(async () => {
    const errors = [alice, bob].flatMap((d) => d?.errors ?? []);
    for (const browser of browsers) await browser.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    expect(errors).toEqual([]);
  }, T);

  it('a declined request records nothing, and the asker is told', async () => {
    await alice.page.getByTestId('recording-request').click();
    await alice.page.getByTestId('recording-waiting').waitFor();
    await bob.page.getByTestId('recording-request-dialog').waitFor();
    await screenshot(bob.page, 'recording-request-en');
    await bob.page.getByTestId('recording-decline').click();
    await alice.page.locator('[data-testid="recording-notice"][data-kind="declined"]').waitFor();
    await screenshot(alice.page, 'recording-declined-tr');
    expect(await recorders(alice)).toBe(0);
    expect(await recorders(bob)).toBe(0);
    expect(await indicator(alice).count()).toBe(0);
    expect(downloads.get(alice)).toEqual([]);
    expect(downloads.get(bob)).toEqual([]);
  }, T);

  it('an accepted recording shows on both sides and its WebM holds both voices for about 5 s', async () => {
    await bob.page.getByTestId('recording-request').click();
    await alice.page.getByTestId('recording-request-dialog').waitFor();
    await screenshot(alice.page, 'recording-request-tr');
    await alice.page.getByTestId('recording-accept').click();
    for (const device of [alice, bob]) await device.page.locator('[data-testid="recording-indicator"][data-state="on"]').waitFor();
    // About five seconds of recording: the page itself presses stop five seconds after its recorder was made,
    // and says how long that really was (a starved machine can make it longer).
    const stoppedAfterMs = (await alice.page.evaluate(`new Promise((resolve) => {
      const started = window.__recorderMadeAt;
      const look = () => {
        if (performance.now() - started >= 5000) {
          document.querySelector('[data-testid="recording-stop"]').click();
          return resolve(performance.now() - started);
        }
        setTimeout(look, 20);
      };
      look();
    })`)) as number;
    for (const device of [alice, bob]) {
      await indicator(device).waitFor({ state: 'detached' });
      await until(async () => downloads.get(device)?.length ?? 0, (n) => n === 1, 90_000);
    }
    expect(await recorders(alice)).toBe(1);
    expect(await recorders(bob)).toBe(1);

    for (const device of [alice, bob]) {
      const [download] = downloads.get(device) ?? [];
      expect(download?.suggestedFilename()).toMatch(/^heartline-\d{4}-\d\d-\d\d-\d{4}\.webm$/);
      const file = join(dir, `${device.name}.webm`);
      await download!.saveAs(file);
      const duration = mediaDurationSec(file);
      expect(duration, `${device.name} duration`).toBeGreaterThan(4);
      // Alice stops at once when she presses stop; Bob when the server's word reaches him.
      if (device === alice) expect(Math.abs(duration - stoppedAfterMs / 1000), `alice: header ${duration} s, stopped after ${stoppedAfterMs} ms`).toBeLessThan(2);
      // The header's duration is the content's (within what a starved machine does to capture timing).
      const decoded = decodeAudio(file);
      const contentSec = decoded.length / 16_000;
      console.log(`[e2e] ${device.name}: header ${duration.toFixed(3)} s, decoded audio ${contentSec.toFixed(3)} s`);
      expect(Math.abs(contentSec - duration), `${device.name} header ${duration} s vs content ${contentSec} s`).toBeLessThan(1.5);
      // Both tones, each far above a frequency neither side sends.
      const pcm = decoded.subarray(16_000); // skip the first second (the mix settling)
      const quiet = goertzelPower(pcm, 16_000, 660);
      for (const hz of [ALICE_HZ, BOB_HZ]) expect(goertzelPower(pcm, 16_000, hz), `${device.name} ${hz} Hz`).toBeGreaterThan(quiet * 50);
    }
  }, T);

  it('a partner who keeps no copy records nothing on their device; the other still gets the file', async () => {
    const before = { alice: await recorders(alice), bob: await recorders(bob), aliceFiles: downloads.get(alice)?.length ?? 0, bobFiles: downloads.get(bob)?.length ?? 0 };
    await alice.page.getByTestId('recording-request').click();
    await bob.page.getByTestId('recording-request-dialog').waitFor();
    await bob.page.getByTestId('recording-keep-copy').uncheck();
    await screenshot(bob.page, 'recording-request-no-copy-en');
    await bob.page.getByTestId('recording-accept').click();
    for (const device of [alice, bob]) await device.page.locator('[data-testid="recording-indicator"][data-state="on"]').waitFor();
    // Both still see that the call is being recorded; only Alice's device keeps a copy.
    expect(await indicator(alice).getAttribute('data-copy')).toBe('true');
    expect(await indicator(bob).getAttribute('data-copy')).toBe('false');
    await screenshot(bob.page, 'recording-indicator-no-copy-en');
    await bob.page.getByTestId('recording-stop').click();
    for (const device of [alice, bob]) await indicator(device).waitFor({ state: 'detached' });
    await bob.page.locator('[data-testid="recording-notice"][data-kind="stoppedNoCopy"]').waitFor();
    await until(async () => downloads.get(alice)?.length ?? 0, (n) => n === before.aliceFiles + 1, 90_000);
    expect(await recorders(alice)).toBe(before.alice + 1);
    expect(await recorders(bob)).toBe(before.bob);
    expect(downloads.get(bob)?.length ?? 0).toBe(before.bobFiles);
  }, T);

  it("a recorder that breaks on one side stops both, each told why in their own language, and the part recorded is kept", async () => {
    const aliceFiles = downloads.get(alice)?.length ?? 0;
    const bobFiles = downloads.get(bob)?.length ?? 0;
    await alice.page.getByTestId('recording-request').click();
    await bob.page.getByTestId('recording-accept').click();
    for (const device of [alice, bob]) await device.page.locator('[data-testid="recording-indicator"][data-state="on"]').waitFor();
    // Bob's recorder has delivered data before it breaks, so his file has something in it.
    await until(() => bob.page.evaluate('window.__recordedBytes') as Promise<number>, (bytes) => bytes > 0);
    await bob.page.evaluate('window.__lastRecorder.dispatchEvent(new Event("error"))');
    for (const device of [alice, bob]) await device.page.locator('[data-testid="recording-notice"][data-kind="failed"]').waitFor();
    for (const device of [alice, bob]) await indicator(device).waitFor({ state: 'detached' });
    expect(await bob.page.getByTestId('recording-notice').innerText()).toContain("Recording stopped: the browser's recorder failed.");
    expect(await alice.page.getByTestId('recording-notice').innerText()).toContain('Kayıt durdu: tarayıcının kaydedicisi hata verdi.');
    await screenshot(alice.page, 'recording-failed-tr');
    await screenshot(bob.page, 'recording-failed-en');
    // Each side's copy of what was recorded until then is offered.
    await until(async () => [downloads.get(alice)?.length ?? 0, downloads.get(bob)?.length ?? 0], ([a, b]) => a === aliceFiles + 1 && b === bobFiles + 1, 90_000);
  }, T);

  it('a recorder that captured nothing says so instead of leaving no file and no word', async () => {
    const bobFiles = downloads.get(bob)?.length ?? 0;
    const aliceRecorders = await recorders(alice);
    await bob.page.evaluate('window.__withholdData = true');
    await bob.page.getByTestId('recording-request').click();
    await alice.page.getByTestId('recording-accept').click();
    for (const device of [alice, bob]) await device.page.locator('[data-testid="recording-indicator"][data-state="on"]').waitFor();
    await until(() => recorders(alice), (n) => n === aliceRecorders + 1);
    await bob.page.getByTestId('recording-stop').click();
    await bob.page.locator('[data-testid="recording-notice"][data-kind="nothingCaptured"]').waitFor();
    await screenshot(bob.page, 'recording-nothing-captured-en');
    await bob.page.evaluate('window.__withholdData = false');
    expect(downloads.get(bob)?.length ?? 0).toBe(bobFiles);
    await alice.page.locator('[data-testid="recording-notice"][data-kind="stopped"]').waitFor();
  }, T);

  it('the asker can stop too, for both; the history marks the recorded call', async () => {
    await alice.page.getByTestId('recording-request').click();
    await bob.page.getByTestId('recording-accept').click();
    for (const device of [alice, bob]) await device.page.locator('[data-testid="recording-indicator"][data-state="on"]').waitFor();
    await screenshot(alice.page, 'recording-indicator-tr');
    await screenshot(bob.page, 'recording-indicator-en');
    await alice.page.getByTestId('recording-stop').click();
    for (const device of [alice, bob]) await indicator(device).waitFor({ state: 'detached' });
    await bob.page.locator('[data-testid="recording-notice"][data-kind="stopped"]').waitFor();

    await alice.page.getByTestId('hangup').click();
    for (const device of [alice, bob]) {
      await device.page.getByTestId('call-ended-ok').click({ timeout: 5000 }).catch(() => undefined);
      await device.page.getByTestId('history-recorded').first().waitFor();
    }
    await screenshot(alice.page, 'history-recorded-tr');
    await screenshot(bob.page, 'history-recorded-en');
  }, T);
});
