// Call setup as a user lives it: the shipped web client (the app's own bundle, built
// by `npm run build` into out/renderer and served by the real Heartline server),
// two partners signed up and paired through its screens in Debian Chromium with
// fake devices on loopback. The caller clicks Call; the callee's app rings; the
// clock starts when the callee clicks "Answer" and stops when each side first has
// the other's media (first presented/decoded video frame, first decoded audio).
// Everything the app does on that path is inside the time: it opens camera and
// microphone on answer, fetches /api/ice-servers, the callee makes the offer,
// trickle ICE over Socket.IO.
//
// Configurations, interleaved one call each per round: video and voice calls, each
// against a server with no STUN server and one whose STUN server never answers (a
// black hole, as on a network that drops UDP to it).
//
//   npm run build && npx tsx bench/call-setup.ts     # small: 5 rounds
//   npx tsx bench/call-setup.ts --full               # 20 rounds (--calls N, --headed)
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright';
import { chromium } from 'playwright';
import {
  CHROMIUM_ARGS,
  WEB_ROOT,
  openDevice,
  pairDevices,
  register,
  startWebServer,
  takeUnexpectedErrors,
  type Device,
  type WebServer,
} from '../tests/e2e-web/helpers';
import { firstMediaProbe, type FirstMedia } from './call-setup/probe';
import { flagArg, fmt, load1, numArg, parseArgs, ratio, summarize, table, withTimeout, type Row } from './lib/common';

export interface CallSetupOptions {
  calls: number;
  chromiumPath: string;
  headed: boolean;
}

const MEDIA_TIMEOUT_MS = 30_000;

type CallType = 'video' | 'voice';
type Network = 'none' | 'blackhole';

interface Config {
  key: string;
  type: CallType;
  network: Network;
}

const CONFIGS: Config[] = [
  { key: 'video/none', type: 'video', network: 'none' },
  { key: 'voice/none', type: 'voice', network: 'none' },
  { key: 'video/blackhole', type: 'video', network: 'blackhole' },
  { key: 'voice/blackhole', type: 'voice', network: 'blackhole' },
];

/** Ms from the callee's "Answer" click: each side's first remote video frame and audio, and the slower side's. */
interface CallSample {
  calleeFrame: number;
  callerFrame: number;
  calleeAudio: number;
  callerAudio: number;
  both: number;
}

interface Couple {
  caller: Device;
  callee: Device;
}

async function pairedCouple(browser: Browser, server: WebServer): Promise<Couple> {
  const caller = await openDevice(browser, server.url, 'caller', 'en-US');
  const callee = await openDevice(browser, server.url, 'callee', 'en-US');
  await register(caller.page, 'alice', 'Alice');
  await register(callee.page, 'bob', 'Bob');
  await pairDevices(caller, callee, 'Alice', 'Bob');
  return { caller, callee };
}

/** Back to the home screen after a call (the ended notice dismissed), ready for the next one. */
async function backHome(device: Device): Promise<void> {
  const ok = device.page.getByTestId('call-ended-ok');
  await ok.waitFor({ timeout: 10_000 });
  await ok.click();
  await device.page.getByTestId('call-ended').waitFor({ state: 'detached', timeout: 5000 });
}

async function oneCall(couple: Couple, type: CallType): Promise<CallSample> {
  const { caller, callee } = couple;
  await caller.page.getByTestId(type === 'video' ? 'call-video' : 'call-voice').click();
  const answerId = type === 'video' ? 'answer-video' : 'answer-voice';
  await callee.page.getByTestId(answerId).waitFor({ timeout: 10_000 });
  // The click and its time in one step inside the page: none of Playwright's own round trips is timed.
  const answeredAt = (await callee.page.evaluate(
    `(() => { const button = document.querySelector('[data-testid="${answerId}"]'); const at = Date.now(); button.click(); return at; })()`,
  )) as number;
  const [calleeMedia, callerMedia] = (await Promise.all(
    [callee, caller].map((device) => device.page.evaluate(firstMediaProbe(type === 'video', MEDIA_TIMEOUT_MS))),
  )) as [FirstMedia, FirstMedia];
  await caller.page.getByTestId('hangup').click();
  await Promise.all([backHome(caller), backHome(callee)]);
  const unexpected = takeUnexpectedErrors([caller, callee]);
  if (unexpected.length) throw new Error(`page errors: ${unexpected.join(' | ')}`);
  const since = (at: number | null, what: string): number => {
    if (at === null) throw new Error(`no ${what} within ${MEDIA_TIMEOUT_MS} ms`);
    return at - answeredAt;
  };
  const sample: CallSample = {
    calleeFrame: type === 'video' ? since(calleeMedia.frameAt, 'callee video frame') : Number.NaN,
    callerFrame: type === 'video' ? since(callerMedia.frameAt, 'caller video frame') : Number.NaN,
    calleeAudio: since(calleeMedia.audioAt, 'callee audio'),
    callerAudio: since(callerMedia.audioAt, 'caller audio'),
    both: 0,
  };
  sample.both = Math.max(...[sample.calleeFrame, sample.callerFrame, sample.calleeAudio, sample.callerAudio].filter(Number.isFinite));
  return sample;
}

export async function runCallSetup(options: CallSetupOptions): Promise<string> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) throw new Error(`no built web client in ${WEB_ROOT}: run "npm run build" first`);
  const loadAtStart = load1();
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    // A STUN server that never answers.
    const blackhole = createSocket('udp4');
    let swallowed = 0;
    blackhole.on('message', () => {
      swallowed++;
    });
    await new Promise<void>((resolve) => blackhole.bind(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blackhole.close(() => resolve())));

    // One real server per network, each serving the built client; rings long enough for a slow moment.
    const servers: Record<Network, WebServer> = {
      none: await startWebServer({ STUN_URLS: '', RING_TIMEOUT_MS: '30000', CALLS_PER_COUPLE_PER_MIN: '1000' }),
      blackhole: await startWebServer({ STUN_URLS: `stun:127.0.0.1:${blackhole.address().port}`, RING_TIMEOUT_MS: '30000', CALLS_PER_COUPLE_PER_MIN: '1000' }),
    };
    for (const server of Object.values(servers)) cleanups.push(() => server.close());

    const browser = await chromium.launch({
      executablePath: options.chromiumPath,
      headless: !options.headed,
      args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'],
    });
    cleanups.push(() => browser.close());
    const couples: Record<Network, Couple> = { none: await pairedCouple(browser, servers.none), blackhole: await pairedCouple(browser, servers.blackhole) };

    const samples = new Map<string, CallSample[]>(CONFIGS.map((c) => [c.key, []]));
    const failures = new Map<string, string[]>(CONFIGS.map((c) => [c.key, []]));
    // One warm-up call per couple (first getUserMedia, first decoder), not counted.
    for (const couple of Object.values(couples)) await withTimeout(oneCall(couple, 'video'), 60_000, 'warm-up call').catch((e: unknown) => console.warn(`warm-up: ${String(e)}`));
    // Interleaved (one call of each configuration per round), so a busy moment on the
    // shared machine lands on every configuration alike.
    for (let round = 0; round < options.calls; round++) {
      for (const cfg of CONFIGS) {
        try {
          samples.get(cfg.key)?.push(await withTimeout(oneCall(couples[cfg.network], cfg.type), MEDIA_TIMEOUT_MS + 30_000, `call ${cfg.key}`));
        } catch (error) {
          failures.get(cfg.key)?.push(String(error));
          for (const device of Object.values(couples[cfg.network])) {
            await device.page.getByTestId('hangup').click({ timeout: 1000 }).catch(() => undefined);
            await backHome(device).catch(() => undefined);
          }
        }
      }
      process.stdout.write(`\rcall-setup: round ${round + 1}/${options.calls}`);
    }
    process.stdout.write('\n');

    const p = (key: string, field: keyof CallSample) => summarize((samples.get(key) ?? []).map((s) => s[field]).filter(Number.isFinite));
    const cell = (key: string, field: keyof CallSample): string => {
      const s = p(key, field);
      return `${fmt(s.p50)} / ${fmt(s.p95)}`;
    };
    const ratioCell = (a: string, b: string, field: keyof CallSample): string => ratio(p(a, field).p50, p(b, field).p50);
    const rows: Row[] = [];
    const fields: [keyof CallSample, string][] = [
      ['calleeFrame', 'callee sees first video frame'],
      ['callerFrame', 'caller sees first video frame'],
      ['calleeAudio', 'callee hears first audio'],
      ['callerAudio', 'caller hears first audio'],
      ['both', 'both sides have all media (slower one)'],
    ];
    for (const type of ['video', 'voice'] as const) {
      for (const [field, label] of fields) {
        if (type === 'voice' && (field === 'calleeFrame' || field === 'callerFrame')) continue;
        rows.push({
          metric: `${type} call: ${label}, ms p50 / p95`,
          ours: cell(`${type}/none`, field),
          other: cell(`${type}/blackhole`, field),
          ratio: ratioCell(`${type}/none`, `${type}/blackhole`, field),
          target: field === 'both' ? 'p50 < 1,000 ms' : '',
        });
      }
      rows.push({
        metric: `${type} call: calls measured / failed`,
        ours: `${samples.get(`${type}/none`)?.length ?? 0} / ${failures.get(`${type}/none`)?.length ?? 0}`,
        other: `${samples.get(`${type}/blackhole`)?.length ?? 0} / ${failures.get(`${type}/blackhole`)?.length ?? 0}`,
        ratio: '',
      });
    }
    rows.push({
      metric: 'voice / video, both sides (no STUN), p50',
      ours: fmt(p('voice/none', 'both').p50),
      other: fmt(p('video/none', 'both').p50),
      ratio: ratioCell('voice/none', 'video/none', 'both'),
    });
    for (const [key, list] of failures) if (list.length) console.warn(`call-setup ${key} failures: ${list.slice(0, 3).join(' | ')}`);
    return (
      table(
        `Call setup in the shipped web client: "Answer" clicked → first remote media, Chromium ${browser.version()}, ${options.calls} interleaved rounds`,
        'no STUN server',
        'STUN server that never answers',
        rows,
      ) +
      `\nSTUN packets swallowed by the black hole: ${swallowed}\n` +
      `machine load average (1 min) at start / end: ${loadAtStart} / ${load1()} on ${cpus().length} CPUs\n`
    );
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const args = parseArgs();
  const full = flagArg(args, 'full');
  const options: CallSetupOptions = {
    calls: numArg(args, 'calls', full ? 20 : 5),
    chromiumPath: args.get('chromium') ?? '/usr/bin/chromium',
    headed: flagArg(args, 'headed'),
  };
  console.log(await runCallSetup(options));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
