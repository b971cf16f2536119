// Browser E2E helpers: a real Heartline server serving the built web client on a
// loopback port, Debian Chromium with fake camera and microphone, and small probes
// that read real WebRTC stats from inside the page.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { startServer, waitFor, type TestServer } from '../server/helpers';

export const WEB_ROOT = fileURLToPath(new URL('../../out/renderer', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery';
export const TURNSERVER = '/usr/bin/turnserver';

export type WebServer = TestServer;

/** The server tests' real server, serving the built web client, with short rings for E2E. */
export async function startWebServer(env: Record<string, string> = {}, appOptions: Parameters<typeof startServer>[2] = {}): Promise<WebServer> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new Error(`no built web client in ${WEB_ROOT}: run "npm run build" first (npm test does)`);
  }
  return startServer({ RING_TIMEOUT_MS: '4000', CALL_GRACE_MS: '2000', WEB_ROOT, ...env }, undefined, appOptions);
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Debian Chromium with a fake camera and microphone, quiet on the network (also used by bench/). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'],
  });
}

// Runs before the app in every page: remembers each RTCPeerConnection the app makes
// so the test can read its real getStats(). (A string: it runs in the page, not here.)
const TRACK_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  if (!Native || window.__heartlinePcs) return;
  window.__heartlinePcs = [];
  class Tracked extends Native {
    constructor(...args) { super(...args); window.__heartlinePcs.push(this); }
  }
  window.RTCPeerConnection = Tracked;
})();`;

export interface Device {
  name: string;
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** The call engine's own lines (`heartline: …`, debug ones included), with the time: printed when a test needs to say what happened. */
  log: string[];
}

/** The most lines a device's log keeps (the latest). */
const KEPT_LOG_LINES = 300;

export async function openDevice(browser: Browser, url: string, name: string, locale: 'tr-TR' | 'en-US', options: { timezoneId?: string } = {}): Promise<Device> {
  const context = await browser.newContext({ locale, viewport: { width: 1200, height: 760 }, permissions: ['camera', 'microphone'], ...options });
  await context.addInitScript({ content: TRACK_PEER_CONNECTIONS });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${name}: ${error.message}`));
  const log: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || process.env.HEARTLINE_E2E_DEBUG) errors.push(`${name} console ${message.type()}: ${message.text()}`);
    if (message.text().startsWith('heartline:')) {
      log.push(`${new Date().toISOString().slice(11, 23)} ${name} ${message.text()}`);
      if (log.length > KEPT_LOG_LINES) log.shift();
    }
  });
  await page.goto(url);
  return { name, context, page, errors, log };
}

/**
 * The browser's own line for an HTTP error answer the app asked for (a wrong
 * password, a bad invite code): the app shows its message, the console logs this.
 */
const EXPECTED_CONSOLE_ERRORS = [/Failed to load resource: the server responded with a status of 4\d\d/];

/** Page errors and unexpected console errors collected so far (and forgets them): a test fails on any. */
export function takeUnexpectedErrors(devices: Array<Device | undefined>): string[] {
  const found: string[] = [];
  for (const device of devices) {
    if (!device) continue;
    found.push(...device.errors.filter((error) => !EXPECTED_CONSOLE_ERRORS.some((pattern) => pattern.test(error))));
    device.errors.length = 0;
  }
  return found;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

export async function register(page: Page, username: string, displayName: string): Promise<void> {
  await page.getByTestId('auth-toggle').click();
  await page.getByTestId('auth-username').fill(username);
  await page.getByTestId('auth-password').fill(PASSWORD);
  await page.getByTestId('auth-displayname').fill(displayName);
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('home').waitFor();
}

export async function login(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.getByTestId('auth-username').fill(username);
  await page.getByTestId('auth-password').fill(password);
  await page.getByTestId('auth-submit').click();
}

export interface MediaStats {
  inVideoFrames: number;
  inVideoBytes: number;
  inAudioBytes: number;
  outVideoBytes: number;
  outAudioBytes: number;
  /** Senders that carry a video track right now. */
  videoSenders: number;
  connectionState: string;
}

/** Real getStats() of the page's newest open RTCPeerConnection. */
export async function mediaStats(page: Page): Promise<MediaStats> {
  const stats = await page.evaluate(`(async () => {
    const pcs = window.__heartlinePcs || [];
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    if (!pc) return null;
    const out = { inVideoFrames: 0, inVideoBytes: 0, inAudioBytes: 0, outVideoBytes: 0, outAudioBytes: 0, videoSenders: 0, connectionState: pc.connectionState };
    const report = await pc.getStats();
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') { out.inVideoFrames += s.framesDecoded || 0; out.inVideoBytes += s.bytesReceived || 0; }
      if (s.type === 'inbound-rtp' && s.kind === 'audio') out.inAudioBytes += s.bytesReceived || 0;
      if (s.type === 'outbound-rtp' && s.kind === 'video') out.outVideoBytes += s.bytesSent || 0;
      if (s.type === 'outbound-rtp' && s.kind === 'audio') out.outAudioBytes += s.bytesSent || 0;
    });
    out.videoSenders = pc.getSenders().filter((s) => s.track && s.track.kind === 'video').length;
    return out;
  })()`);
  if (!stats) throw new Error('no open RTCPeerConnection in the page');
  return stats as MediaStats;
}

/** Stats growth over `ms`: [before, after]. */
export async function statsOver(page: Page, ms: number): Promise<[MediaStats, MediaStats]> {
  const before = await mediaStats(page);
  await page.waitForTimeout(ms);
  return [before, await mediaStats(page)];
}

/**
 * Date.now() (in the page; same clock as the test) when the remote video shows its
 * first decoded frame, using requestVideoFrameCallback on the app's own element.
 */
export async function firstRemoteFrameAt(page: Page, timeoutMs = 20_000): Promise<number> {
  const at = await page.evaluate(`new Promise((resolve, reject) => {
    const deadline = Date.now() + ${timeoutMs};
    const look = () => {
      const video = document.querySelector('[data-testid="remote-video"]');
      if (video && video.readyState >= 2 && video.videoWidth > 0) return resolve(Date.now());
      if (video && typeof video.requestVideoFrameCallback === 'function' && !video.__hlWatching) {
        video.__hlWatching = true;
        video.requestVideoFrameCallback(() => resolve(Date.now()));
      }
      if (Date.now() > deadline) return reject(new Error('no remote video frame'));
      setTimeout(look, 10);
    };
    look();
  })`);
  return at as number;
}

/** Polls a page probe until `accept` says yes (bounded): the server tests' waitFor, at a browser's pace. */
export function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000, stepMs = 200): Promise<T> {
  return waitFor(probe, accept, timeoutMs, stepMs);
}


/** Pairs two signed-in devices through the UI (inviter shows a code, invitee types it), then waits until each sees the other online. */
export async function pairDevices(inviter: Device, invitee: Device, inviterName: string, inviteeName: string): Promise<void> {
  await inviter.page.getByTestId('pair-create').click();
  const code = (await inviter.page.getByTestId('pair-code').textContent())?.trim() ?? '';
  if (!/^[A-Z2-9]{4}-[A-Z2-9]{4}$/.test(code)) throw new Error(`unexpected invite code ${JSON.stringify(code)}`);
  await invitee.page.getByTestId('pair-input').fill(code);
  await invitee.page.getByTestId('pair-submit').click();
  for (const [device, partner] of [
    [inviter, inviteeName],
    [invitee, inviterName],
  ] as const) {
    await until(() => device.page.getByTestId('partner-name').textContent(), (text) => text === partner);
    await until(() => device.page.getByTestId('partner-presence').getAttribute('data-presence'), (p) => p === 'online');
  }
}

export interface SelectedPair {
  connectionState: string;
  iceTransportPolicy: string;
  /** Candidate types of the selected (or else nominated and succeeded) pair; null when there is none yet. */
  localType: string | null;
  remoteType: string | null;
  localAddress: string | null;
  localPort: number | null;
  remoteAddress: string | null;
  remotePort: number | null;
  /** Every candidate type this connection gathered itself, sorted and unique. */
  localCandidateTypes: string[];
}

/** The candidate pair ICE selected in the page's newest open RTCPeerConnection (real getStats()). */
export async function selectedCandidatePair(page: Page): Promise<SelectedPair> {
  const pair = await page.evaluate(`(async () => {
    const pcs = window.__heartlinePcs || [];
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    if (!pc) return null;
    const report = await pc.getStats();
    const all = [];
    report.forEach((s) => all.push(s));
    const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
    let chosen = transport ? report.get(transport.selectedCandidatePairId) : undefined;
    if (!chosen) chosen = all.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
    const local = chosen ? report.get(chosen.localCandidateId) : undefined;
    const remote = chosen ? report.get(chosen.remoteCandidateId) : undefined;
    const types = [...new Set(all.filter((s) => s.type === 'local-candidate').map((s) => s.candidateType))].sort();
    return {
      connectionState: pc.connectionState,
      iceTransportPolicy: String(pc.getConfiguration().iceTransportPolicy),
      localType: local ? local.candidateType : null,
      remoteType: remote ? remote.candidateType : null,
      localAddress: local ? (local.address || local.ip || null) : null,
      localPort: local ? local.port : null,
      remoteAddress: remote ? (remote.address || remote.ip || null) : null,
      remotePort: remote ? remote.port : null,
      localCandidateTypes: types,
    };
  })()`);
  if (!pair) throw new Error('no open RTCPeerConnection in the page');
  return pair as SelectedPair;
}

export function turnserverAvailable(): boolean {
  return existsSync(TURNSERVER);
}

export interface TurnServer {
  port: number;
  /** For TURN_URLS. */
  url: string;
  secret: string;
  stop(): Promise<void>;
}

/** A free UDP port on loopback, or on `host` (bound, read, released). */
export function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Sends a STUN Binding request to host:port; true when a Binding success response comes back. */
function stunBindingAnswers(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const transaction = randomBytes(12);
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0); // Binding request
    request.writeUInt16BE(0, 2); // no attributes
    request.writeUInt32BE(0x2112a442, 4); // magic cookie
    transaction.copy(request, 8);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('error', () => done(false));
    socket.on('message', (message) => done(message.length >= 20 && message.readUInt16BE(0) === 0x0101 && message.subarray(8, 20).equals(transaction)));
    socket.send(request, port, host);
  });
}

/**
 * A real coturn on a free UDP port of `host` (loopback unless told) with use-auth-secret
 * (the credentials /api/ice-servers hands out), relaying on that address between
 * minPort and maxPort. Resolves once it answers a STUN Binding request.
 */
export async function startTurnServer(secret: string, relayPorts: { min: number; max: number }, host = '127.0.0.1'): Promise<TurnServer> {
  const port = await freeUdpPort(host);
  const output: string[] = [];
  const turn: ChildProcess = spawn(
    TURNSERVER,
    [
      '-n',
      `--listening-ip=${host}`,
      `--relay-ip=${host}`,
      `--listening-port=${port}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=heartline.test',
      '--no-tls',
      '--no-dtls',
      '--no-tcp-relay',
      '--allow-loopback-peers',
      '--no-cli',
      `--min-port=${relayPorts.min}`,
      `--max-port=${relayPorts.max}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  turn.stdout?.on('data', keep);
  turn.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => turn.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (turn.exitCode !== null || turn.signalCode !== null) return;
    turn.kill('SIGTERM');
    const timer = setTimeout(() => turn.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 10_000;
  while (!(await stunBindingAnswers(host, port, 300))) {
    if (turn.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`coturn did not come up on ${host}:${port}:\n${output.join('').slice(-2000)}`);
    }
  }
  return { port, url: `turn:${host}:${port}?transport=udp`, secret, stop };
}

/** A browser with Alice and Bob signed up (English UI) and paired through the UI, ready to call. */
export async function openPairedCouple(serverUrl: string): Promise<{ browser: Browser; alice: Device; bob: Device }> {
  const browser = await launchBrowser();
  const alice = await openDevice(browser, serverUrl, 'alice', 'en-US');
  const bob = await openDevice(browser, serverUrl, 'bob', 'en-US');
  await alice.page.getByTestId('auth-screen').waitFor();
  await bob.page.getByTestId('auth-screen').waitFor();
  await register(alice.page, 'alice', 'Alice');
  await register(bob.page, 'bob', 'Bob');
  await pairDevices(alice, bob, 'Alice', 'Bob');
  return { browser, alice, bob };
}
