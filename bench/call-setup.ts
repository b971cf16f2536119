// Call setup: the callee's "answer" → the first decoded remote video frame on both
// sides, in Debian Chromium with fake devices on loopback, signaling through the
// real Heartline server (REST register + pair, Socket.IO call:start / accept /
// signal). simple-peer with trickle ICE (ours) versus `trickle: false` (the seed's),
// with no STUN server and with a STUN server that never answers.
//
//   npx tsx bench/call-setup.ts               # small: 5 calls per configuration
//   npx tsx bench/call-setup.ts --full       # issue 5: 20 calls per configuration
//   options: --calls N  --chromium /usr/bin/chromium  --headed
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import type { AuthResponse, InviteResponse } from '../src-shared/protocol';
import type { BenchPage, PeerSetup } from './call-setup/page';
import { flagArg, fmt, load1, numArg, parseArgs, ratio, summarize, table, tempDir, withTimeout, type Row, type Summary } from './lib/common';
import { BENCH_DIR } from './lib/procs';
import { CHROMIUM_ARGS } from '../tests/e2e-web/helpers';

export interface CallSetupOptions {
  calls: number;
  chromiumPath: string;
  headed: boolean;
}

const FRAME_TIMEOUT_MS = 30_000;

interface Config {
  key: string;
  trickle: boolean;
  stun: boolean;
}

const CONFIGS: Config[] = [
  { key: 'trickle/none', trickle: true, stun: false },
  { key: 'full/none', trickle: false, stun: false },
  { key: 'trickle/blackhole', trickle: true, stun: true },
  { key: 'full/blackhole', trickle: false, stun: true },
];

interface CallSample {
  caller: number;
  callee: number;
  both: number;
}

async function bundlePage(): Promise<string> {
  const out = await build({
    entryPoints: [join(BENCH_DIR, 'call-setup/page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    define: { global: 'globalThis' },
    inject: [join(BENCH_DIR, 'call-setup/shims.ts')],
    logLevel: 'warning',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('esbuild produced no bundle');
  return file.text;
}

async function postJson<T>(base: string, path: string, body: object, token?: string): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function runCallSetup(options: CallSetupOptions): Promise<string> {
  const dir = tempDir('call-setup');
  const loadAtStart = load1();
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    // ---------------------------------------------------------------- the real server, on loopback
    const config = loadConfig({
      DATABASE_PATH: join(dir.path, 'heartline.db'),
      JWT_SECRET: randomBytes(32).toString('base64url'),
      STUN_URLS: '',
      HOST: '127.0.0.1',
      PORT: '0',
      WEB_ROOT: join(dir.path, 'no-web-root'),
    });
    const heartline = await buildApp(config);
    cleanups.push(() => heartline.close());
    await heartline.app.listen({ port: 0, host: '127.0.0.1' });
    const serverUrl = `http://127.0.0.1:${(heartline.app.server.address() as AddressInfo).port}`;

    // ---------------------------------------------------------------- a STUN server that never answers
    const blackhole = createSocket('udp4');
    let swallowed = 0;
    blackhole.on('message', () => {
      swallowed++;
    });
    await new Promise<void>((resolve) => blackhole.bind(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blackhole.close(() => resolve())));
    const stunUrl = `stun:127.0.0.1:${blackhole.address().port}`;

    // ---------------------------------------------------------------- the bench page
    const script = await bundlePage();
    const pages = createServer((request, response) => {
      if (request.url === '/bench.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      } else {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>call-setup bench</title><script src="/bench.js"></script>');
      }
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => pages.close(() => resolve())));
    const pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/`;

    // ---------------------------------------------------------------- two users, paired through REST
    const suffix = randomBytes(3).toString('hex');
    const alice = await postJson<AuthResponse>(serverUrl, '/api/auth/register', { username: `alice_${suffix}`, password: 'bench-password-1' });
    const bob = await postJson<AuthResponse>(serverUrl, '/api/auth/register', { username: `bob_${suffix}`, password: 'bench-password-2' });
    const invite = await postJson<InviteResponse>(serverUrl, '/api/pairing/invite', {}, alice.token);
    await postJson(serverUrl, '/api/pairing/accept', { code: invite.code }, bob.token);

    // ---------------------------------------------------------------- Chromium, two contexts
    const browser = await chromium.launch({ executablePath: options.chromiumPath, headless: !options.headed, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const open = async (token: string, deviceId: string): Promise<Page> => {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (error) => console.warn(`call-setup page error: ${error.message}`));
      await page.goto(pageUrl);
      await page.evaluate(([url, t, d]) => (globalThis as unknown as { bench: BenchPage }).bench.connect(url, t, d), [serverUrl, token, deviceId] as const);
      return page;
    };
    const caller = await open(alice.token, 'bench-caller-device');
    const callee = await open(bob.token, 'bench-callee-device');

    const samples = new Map<string, CallSample[]>(CONFIGS.map((c) => [c.key, []]));
    const failures = new Map<string, string[]>(CONFIGS.map((c) => [c.key, []]));
    const via = new Map<string, number>();

    const oneCall = async (cfg: Config): Promise<CallSample> => {
      const setup: PeerSetup = { trickle: cfg.trickle, iceServers: cfg.stun ? [{ urls: stunUrl }] : [] };
      await callee.evaluate(() => (globalThis as unknown as { bench: BenchPage }).bench.expectCall());
      await caller.evaluate((s) => (globalThis as unknown as { bench: BenchPage }).bench.startCall(s), setup);
      const answeredAt = await callee.evaluate((s) => (globalThis as unknown as { bench: BenchPage }).bench.answer(s), setup);
      const [callerFrame, calleeFrame] = await Promise.all(
        [caller, callee].map((p) => p.evaluate((ms) => (globalThis as unknown as { bench: BenchPage }).bench.firstFrame(ms), FRAME_TIMEOUT_MS)),
      );
      await caller.evaluate(() => (globalThis as unknown as { bench: BenchPage }).bench.hangup());
      await Promise.all([caller, callee].map((p) => p.evaluate(() => (globalThis as unknown as { bench: BenchPage }).bench.waitEnded(5_000))));
      const errors = (
        await Promise.all(
          [caller, callee].map((p) =>
            p.evaluate(() => {
              const b = (globalThis as unknown as { bench: BenchPage }).bench;
              b.cleanup();
              return b.takeErrors();
            }),
          ),
        )
      ).flat();
      if (errors.length) console.warn(`call-setup ${cfg.key}: ${errors.join('; ')}`);
      if (!callerFrame || !calleeFrame) throw new Error(`no remote frame within ${FRAME_TIMEOUT_MS} ms (caller ${!!callerFrame}, callee ${!!calleeFrame})`);
      for (const f of [callerFrame, calleeFrame]) via.set(f.via, (via.get(f.via) ?? 0) + 1);
      const sample = { caller: callerFrame.at - answeredAt, callee: calleeFrame.at - answeredAt, both: 0 };
      sample.both = Math.max(sample.caller, sample.callee);
      return sample;
    };

    // Interleaved (one call of each configuration per round), so a busy moment on the
    // shared machine lands on every configuration alike. One warm-up call first.
    await withTimeout(oneCall(CONFIGS[0] as Config), 60_000, 'warm-up call').catch((e: unknown) => console.warn(`warm-up: ${String(e)}`));
    for (let round = 0; round < options.calls; round++) {
      for (const cfg of CONFIGS) {
        try {
          samples.get(cfg.key)?.push(await withTimeout(oneCall(cfg), FRAME_TIMEOUT_MS + 20_000, `call ${cfg.key}`));
        } catch (error) {
          failures.get(cfg.key)?.push(String(error));
          await Promise.all([caller, callee].map((p) => p.evaluate(() => (globalThis as unknown as { bench: BenchPage }).bench.cleanup()).catch(() => undefined)));
        }
      }
      process.stdout.write(`\rcall-setup: round ${round + 1}/${options.calls}`);
    }
    process.stdout.write('\n');

    const stat = (key: string, side: keyof CallSample): Summary => summarize((samples.get(key) ?? []).map((s) => s[side]));
    const rowsOut: Row[] = [];
    for (const stun of [false, true]) {
      const ours = `trickle/${stun ? 'blackhole' : 'none'}`;
      const seed = `full/${stun ? 'blackhole' : 'none'}`;
      const label = stun ? 'unanswering STUN' : 'no STUN';
      for (const side of ['caller', 'callee', 'both'] as const) {
        const a = stat(ours, side);
        const b = stat(seed, side);
        const who = side === 'both' ? 'both sides (slower one)' : `${side} side`;
        rowsOut.push({
          metric: `${label}: ${who}, ms p50 / p95`,
          ours: `${fmt(a.p50)} / ${fmt(a.p95)}`,
          other: `${fmt(b.p50)} / ${fmt(b.p95)}`,
          ratio: `${ratio(a.p50, b.p50)} (${fmt(b.p50 / a.p50)}× faster)`,
          target: side === 'both' ? (stun ? 'p50 < 400 ms; ≥ 10× faster' : 'p50 < 400 ms') : '',
        });
      }
      rowsOut.push({
        metric: `${label}: calls measured / failed`,
        ours: `${samples.get(ours)?.length ?? 0} / ${failures.get(ours)?.length ?? 0}`,
        other: `${samples.get(seed)?.length ?? 0} / ${failures.get(seed)?.length ?? 0}`,
        ratio: '',
      });
    }
    for (const [key, list] of failures) if (list.length) console.warn(`call-setup ${key} failures: ${list.slice(0, 3).join(' | ')}`);
    const viaText = [...via.entries()].map(([k, v]) => `${k} ${v}`).join(', ');
    return (
      table(
        `Call setup: answer → first decoded remote video frame, Chromium ${browser.version()}, ${options.calls} calls per configuration`,
        'trickle ICE (ours)',
        'trickle: false (seed)',
        rowsOut,
      ) +
      `\nfirst frame seen by: ${viaText}; STUN packets swallowed by the black hole: ${swallowed}\n` +
      `machine load average (1 min) at start / end: ${loadAtStart} / ${load1()} on ${cpus().length} CPUs\n`
    );
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    dir.remove();
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
