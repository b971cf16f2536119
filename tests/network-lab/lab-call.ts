// A call across the network lab: the real server (its own process, so it can be
// stopped with SIGTERM and started again) and a real coturn on the host end of the
// lab's bridge, and each partner's Chromium inside its own namespace. Used by the
// lab tests and by bench/network-lab.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { chromium, type Browser } from 'playwright';
import { CHROMIUM_ARGS, WEB_ROOT, openDevice, statsOver, pairDevices, register, startTurnServer, until, type Device, type TurnServer } from '../e2e-web/helpers';
import { createLab, type Lab, type LabNode } from './lab';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

function freeTcpPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface LabServer {
  url: string;
  /** The call log exactly as the server stored it, oldest first. */
  calls(): Array<{ id: string; status: string; end_reason: string | null }>;
  /** SIGTERM, wait for the process to exit, start it again on the same port and database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** `npm run server` as a child process, listening on the lab's host address. */
export async function startLabServer(host: string, env: Record<string, string>): Promise<LabServer> {
  const dir = mkdtempSync(join(tmpdir(), 'heartline-lab-'));
  const port = await freeTcpPort(host);
  const url = `http://${host}:${port}`;
  const fullEnv = {
    ...process.env,
    HOST: host,
    PORT: String(port),
    DATABASE_PATH: join(dir, 'heartline.db'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    WEB_ROOT,
    STUN_URLS: '',
    LOG_LEVEL: 'warn',
    ...env,
  };
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], { cwd: REPO, env: fullEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    await until(
      () => fetch(`${url}/healthz`).then((r) => r.ok, () => false),
      (ok) => ok || child.exitCode !== null,
      // tsx compiles the server on every start: slow on a busy 2-core machine.
      90_000,
      100,
    );
    if (child.exitCode !== null) throw new Error(`the lab server exited with ${child.exitCode}`);
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 12_000);
    await exited;
    clearTimeout(force);
  };
  await launch();
  return {
    url,
    calls() {
      const db = new Database(fullEnv.DATABASE_PATH, { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT id, status, end_reason FROM calls ORDER BY created_at').all() as Array<{ id: string; status: string; end_reason: string | null }>;
      } finally {
        db.close();
      }
    },
    async restart() {
      await stop();
      await launch();
    },
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface LabDevice extends Device {
  browser: Browser;
  node: LabNode;
}

export interface LabCouple {
  alice: LabDevice;
  bob: LabDevice;
  /** Closes both browsers. */
  close(): Promise<void>;
}

export interface LabWorld {
  lab: Lab;
  server: LabServer;
  turn: TurnServer;
  /** Alice (English) and Bob (Turkish), each in a Chromium inside their own namespace, paired. */
  openCouple(options?: { relayOnly?: boolean; initScript?: string }): Promise<LabCouple>;
  close(): Promise<void>;
}

const RELAY_ONLY = `(() => {
  if (!window.localStorage.getItem('heartline.settings')) window.localStorage.setItem('heartline.settings', JSON.stringify({ relayOnly: true }));
})();`;

/** The lab (two namespaces), the server and coturn on the bridge. */
export async function openLabWorld(serverEnv: Record<string, string> = {}): Promise<LabWorld> {
  const lab = createLab(['alice', 'bob']);
  const browsers: Browser[] = [];
  let server: LabServer | null = null;
  let turn: TurnServer | null = null;
  const close = async (): Promise<void> => {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await turn?.stop().catch(() => undefined);
    lab.close();
  };
  try {
    const secret = randomBytes(16).toString('hex');
    turn = await startTurnServer(secret, { min: 53000, max: 53999 }, lab.hostAddress);
    server = await startLabServer(lab.hostAddress, { TURN_URLS: turn.url, TURN_SECRET: secret, ...serverEnv });
  } catch (error) {
    await close();
    throw error;
  }
  const world: LabWorld = {
    lab,
    server,
    turn,
    async openCouple(options = {}) {
      const suffix = randomBytes(3).toString('hex');
      const open = async (name: 'alice' | 'bob', locale: 'en-US' | 'tr-TR'): Promise<LabDevice> => {
        const node = lab.node(name);
        const browser = await chromium.launch({
          executablePath: node.chromium,
          headless: true,
          // The lab's server is plain http on a documentation address: let it be a secure context
          // (getUserMedia, crypto.randomUUID) as localhost or an https deployment is.
          args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required', `--unsafely-treat-insecure-origin-as-secure=${world.server.url}`],
        });
        browsers.push(browser);
        const device = await openDevice(browser, 'about:blank', name, locale);
        if (options.relayOnly) await device.context.addInitScript({ content: RELAY_ONLY });
        if (options.initScript) await device.context.addInitScript({ content: options.initScript });
        await device.page.goto(world.server.url);
        await device.page.getByTestId('auth-screen').waitFor();
        return { ...device, browser, node };
      };
      const alice = await open('alice', 'en-US');
      const bob = await open('bob', 'tr-TR');
      await register(alice.page, `alice${suffix}`, 'Alice');
      await register(bob.page, `bob${suffix}`, 'Bob');
      await pairDevices(alice, bob, 'Alice', 'Bob');
      return {
        alice,
        bob,
        async close() {
          for (const device of [alice, bob]) await device.browser.close().catch(() => undefined);
        },
      };
    },
    close,
  };
  return world;
}

// What a browser rightly logs while its link is down or its address changes: the
// socket's reconnect attempts failing. Anything else is a real error.
const EXPECTED_WHILE_IMPAIRED = /WebSocket connection to '[^']*' failed|net::ERR_(INTERNET_DISCONNECTED|NETWORK_CHANGED|CONNECTION_REFUSED|ADDRESS_UNREACHABLE|CONNECTION_RESET|TIMED_OUT|CONNECTION_TIMED_OUT)/;

/** Page errors and console errors of both partners, minus the expected ones of a network that is down. */
export function unexpectedErrors({ alice, bob }: LabCouple): string[] {
  return [...alice.errors, ...bob.errors].filter((line) => !EXPECTED_WHILE_IMPAIRED.test(line));
}

/** Alice video-calls, Bob answers with video; resolves once both decode the other's video. */
export async function videoCall({ alice, bob }: LabCouple): Promise<string> {
  await alice.page.getByTestId('call-video').click();
  await bob.page.getByTestId('call-incoming').waitFor({ timeout: 30_000 });
  await bob.page.getByTestId('answer-video').click();
  for (const device of [alice, bob]) await device.page.locator('[data-testid="call-active"][data-state="active"]').waitFor({ timeout: 20_000 });
  for (const device of [alice, bob]) await videoFlows(device);
  return activeCallId(alice);
}

/** The call the page remembers for a reload (page-lifecycle.ts keeps it as JSON). */
async function activeCallId(device: Device): Promise<string> {
  const raw = (await device.page.evaluate(`window.sessionStorage.getItem('heartline.activeCall')`)) as string | null;
  const callId = raw ? (JSON.parse(raw) as { callId?: unknown }).callId : undefined;
  if (typeof callId !== 'string') throw new Error(`the page remembers no active call (${raw})`);
  return callId;
}

/**
 * How much remote media arrives in one second, or null while the page has no open
 * connection (it is being rebuilt after a failure).
 */
async function flowOverOneSecond(device: Device): Promise<{ frames: number; audioBytes: number } | null> {
  try {
    const [before, after] = await statsOver(device.page, 1_000);
    return { frames: after.inVideoFrames - before.inVideoFrames, audioBytes: after.inAudioBytes - before.inAudioBytes };
  } catch {
    return null;
  }
}

/** Waits (bounded) until this device decodes remote video again (more than 5 frames in a second). */
export async function videoFlows(device: Device, timeoutMs = 20_000): Promise<void> {
  await until(() => flowOverOneSecond(device), (flow) => flow !== null && flow.frames > 5, timeoutMs, 0);
}

/** Waits (bounded) until this device receives remote audio again (more than 2 kB in a second). */
export async function audioFlows(device: Device, timeoutMs = 20_000): Promise<void> {
  await until(() => flowOverOneSecond(device), (flow) => flow !== null && flow.audioBytes > 2_000, timeoutMs, 0);
}

/**
 * The audio codec each side sends with: the first payload type of the audio m-line in
 * the local and the remote description (getStats names the decoded codec, Opus, even
 * when RED wraps it).
 */
export async function negotiatedAudioCodecs(device: Device): Promise<{ local: string | null; remote: string | null }> {
  return (await device.page.evaluate(`(() => {
    const pcs = window.__heartlinePcs || [];
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    const first = (description) => {
      if (!description) return null;
      const lines = description.sdp.split('\\r\\n');
      const mline = lines.find((l) => l.startsWith('m=audio'));
      const payload = mline ? mline.split(' ')[3] : undefined;
      const rtpmap = lines.find((l) => l.startsWith('a=rtpmap:' + payload + ' '));
      return rtpmap ? rtpmap.split(' ')[1].split('/')[0].toLowerCase() : null;
    };
    return pc ? { local: first(pc.localDescription), remote: first(pc.remoteDescription) } : { local: null, remote: null };
  })()`)) as { local: string | null; remote: string | null };
}

export interface VideoSending {
  /** The first encoding of the video sender, as the app set it (setParameters). */
  active: boolean;
  maxBitrate: number | null;
  scaleResolutionDownBy: number | null;
}

/** What the page's newest open connection is told to send for video. */
export async function videoSending(device: Device): Promise<VideoSending> {
  return (await device.page.evaluate(`(() => {
    const pcs = window.__heartlinePcs || [];
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    const sender = pc && pc.getSenders().find((s) => s.track && s.track.kind === 'video');
    const encoding = sender && sender.getParameters().encodings[0];
    return encoding
      ? { active: encoding.active !== false, maxBitrate: encoding.maxBitrate ?? null, scaleResolutionDownBy: encoding.scaleResolutionDownBy ?? null }
      : { active: false, maxBitrate: null, scaleResolutionDownBy: null };
  })()`)) as VideoSending;
}

export interface AudioReceipt {
  concealedSamples: number;
  totalSamplesReceived: number;
  packetsReceived: number;
  packetsLost: number;
}

/** The inbound audio of the page's newest open RTCPeerConnection (real getStats()). */
export async function audioReceipt(device: Device): Promise<AudioReceipt> {
  const receipt = await device.page.evaluate(`(async () => {
    const pcs = window.__heartlinePcs || [];
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    if (!pc) return null;
    const report = await pc.getStats();
    const out = { concealedSamples: 0, totalSamplesReceived: 0, packetsReceived: 0, packetsLost: 0 };
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
      out.concealedSamples += s.concealedSamples || 0;
      out.totalSamplesReceived += s.totalSamplesReceived || 0;
      out.packetsReceived += s.packetsReceived || 0;
      out.packetsLost += s.packetsLost || 0;
    });
    return out;
  })()`);
  if (!receipt) throw new Error(`${device.name}: no open RTCPeerConnection`);
  return receipt as AudioReceipt;
}

/** Share of audio samples concealed between two receipts (0..1). */
export function concealedShare(before: AudioReceipt, after: AudioReceipt): number {
  const total = after.totalSamplesReceived - before.totalSamplesReceived;
  return total > 0 ? (after.concealedSamples - before.concealedSamples) / total : 0;
}

/**
 * The ICE username fragment of the page's newest open connection and how many
 * connections the page has made: an ICE restart changes the first, a rebuilt
 * connection the second.
 */
export async function iceGeneration(device: Device): Promise<{ ufrag: string | null; connections: number }> {
  return (await device.page.evaluate(`(() => {
    const pcs = window.__heartlinePcs || [];
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    const line = pc && pc.localDescription ? pc.localDescription.sdp.split('\\r\\n').find((l) => l.startsWith('a=ice-ufrag:')) : undefined;
    return { ufrag: line ? line.slice('a=ice-ufrag:'.length) : null, connections: pcs.length };
  })()`)) as { ufrag: string | null; connections: number };
}
