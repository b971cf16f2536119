// Signaling under load: Heartline (auth, validation, authoritative call log) versus
// the seed's bare relay, under the same load, in one run. Three processes each
// time: this orchestrator, the server (bench/signaling/server-proc.ts) and the
// load generator (bench/signaling/load-proc.ts); loopback only.
//
//   npx tsx bench/signaling.ts                       # small: 200 couples
//   npx tsx bench/signaling.ts --full               # issue 5: 2,000 couples = 4,000 sockets
//   options: --couples N --active 0.25 (share that calls) --rate 200 (calls/s) --duration 20 (s)
//            --max-duration 10 (s, closed-loop phase; 0 skips it) --hold 0 (ms a call stays up)
//            --only heartline|bare  --profile (V8 CPU profile of the Heartline server)
//            --candidates 12 (ICE candidates relayed per call, besides offer and answer; 0 for none)
//   npx tsx bench/signaling.ts --two-node [--rounds 2] [--redis redis://127.0.0.1:6379]
//            Heartline on one node versus two nodes over Redis (callers on one, callees
//            on the other, so every ring and signal crosses), interleaved rounds in one run
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TokenService } from '../server/auth/tokens';
import { SqliteStore } from '../server/store/sqlite-store';
import { flagArg, fmt, numArg, parseArgs, ratio, sleep, summarize, table, load1, tempDir, type Row, type Summary } from './lib/common';
import { BENCH_DIR, forkTs, nextMessage, stopChild } from './lib/procs';
import { summarizeProfile } from './lib/profile';
import { seedCouples, seedSession } from './lib/seed';
import type { CoupleIdentity, FromLoad, FromServer, LoadResult, Mode, ToLoad, ToServer } from './signaling/messages';

export interface SignalingOptions {
  couples: number;
  active: number;
  rate: number;
  durationSec: number;
  maxDurationSec: number;
  holdMs: number;
  only: Mode | undefined;
  profile: boolean;
  candidates: number;
}

type ServerStats = Extract<FromServer, { type: 'stats' }>;

interface PhaseResult {
  load: LoadResult;
  ring: Summary;
  accept: Summary;
  total: Summary;
  server: ServerStats;
  cpuMsPerCall: number;
}

interface ModeResult {
  mode: Mode;
  sockets: number;
  connectFailed: number;
  connectMs: number;
  rssPerSocket: number;
  heapPerSocket: number;
  baseline: ServerStats;
  idle: ServerStats;
  rated: PhaseResult;
  max: PhaseResult | undefined;
  profile: string | undefined;
}

const JWT_SECRET = 'heartline-bench-secret-not-for-production-use-0123456789';

async function identities(mode: Mode, couples: number, dbPath: string): Promise<CoupleIdentity[]> {
  if (mode === 'bare') {
    return Array.from({ length: couples }, (_, i) => ({
      a: { userId: `bare-${i}-a`, token: '', deviceId: `bench-${i}-a` },
      b: { userId: `bare-${i}-b`, token: '', deviceId: `bench-${i}-b` },
    }));
  }
  const store = new SqliteStore(dbPath);
  const seeded = seedCouples(store, couples, 'sig');
  const tokens = new TokenService(JWT_SECRET, 3600);
  const out: CoupleIdentity[] = [];
  for (const [i, couple] of seeded.entries()) {
    const mint = async (user: { id: string; username: string }, side: 'a' | 'b') => ({
      userId: user.id,
      token: await tokens.issueAccess({ id: user.id, username: user.username, displayName: user.username }, seedSession(store, user.id)),
      deviceId: `bench-${i}-${side}`,
    });
    out.push({ a: await mint(couple.a, 'a'), b: await mint(couple.b, 'b') });
  }
  await store.close();
  return out;
}

/** With `redis`, the Heartline server runs with the Redis adapter on `nodes` processes sharing one database file. */
async function runMode(mode: Mode, options: SignalingOptions, cluster?: { nodes: 1 | 2; redis: string }): Promise<ModeResult> {
  const dir = tempDir(`signaling-${mode}`);
  const profileDir = join(dir.path, 'profile');
  const dbPath = join(dir.path, 'heartline.db');
  const list = await identities(mode, options.couples, dbPath);
  const redisEnv = cluster ? { REDIS_URL: cluster.redis, REDIS_CHANNEL_PREFIX: `bench-${process.pid}-${Date.now()}` } : {};
  const servers = Array.from({ length: cluster?.nodes ?? 1 }, () =>
    forkTs(join(BENCH_DIR, 'signaling/server-proc.ts'), {
      env: { MODE: mode, DATABASE_PATH: dbPath, JWT_SECRET, LOG_LEVEL: 'warn', ...redisEnv },
      execArgv: ['--expose-gc', ...(options.profile && mode === 'heartline' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    }),
  );
  const load = forkTs(join(BENCH_DIR, 'signaling/load-proc.ts'));
  const toServer = (m: ToServer): void => servers.forEach((s) => s.send(m));
  const toLoad = (m: ToLoad): void => void load.send(m);
  /** Every node's stats, summed (memory, sockets, CPU, GC) or worst (event-loop delay). */
  const stats = async (gc: boolean, reset: boolean): Promise<ServerStats> => {
    const replies = Promise.all(servers.map((s) => nextMessage<FromServer, 'stats'>(s, 'stats', 30_000)));
    toServer({ cmd: 'stats', gc, reset });
    const [first, ...rest] = await replies;
    return rest.reduce(
      (sum, r) => ({
        ...sum,
        rss: sum.rss + r.rss,
        heapUsed: sum.heapUsed + r.heapUsed,
        external: sum.external + r.external,
        sockets: sum.sockets + r.sockets,
        cpuMs: sum.cpuMs + r.cpuMs,
        loop: { p50: Math.max(sum.loop.p50, r.loop.p50), p99: Math.max(sum.loop.p99, r.loop.p99), max: Math.max(sum.loop.max, r.loop.max), mean: Math.max(sum.loop.mean, r.loop.mean) },
        gc: { count: sum.gc.count + r.gc.count, totalMs: sum.gc.totalMs + r.gc.totalMs, maxMs: Math.max(sum.gc.maxMs, r.gc.maxMs) },
      }),
      first!,
    );
  };
  try {
    const ports = (await Promise.all(servers.map((s) => nextMessage<FromServer, 'ready'>(s, 'ready', 60_000)))).map((r) => r.port);
    const port = ports[0]!;
    await sleep(500);
    const baseline = await stats(true, true);

    const connected = nextMessage<FromLoad, 'connected'>(load, 'connected', 30_000 + options.couples * 60);
    toLoad({ cmd: 'connect', port, portB: ports.at(-1), mode, couples: list, concurrency: 50 });
    const conn = await connected;
    if (conn.failed) console.warn(`signaling/${mode}: ${conn.failed} sockets failed to connect`, conn.errors);
    await sleep(2_000);
    const idle = await stats(true, true);
    const sockets = Math.max(1, idle.sockets);

    const phase = async (rate: number, durationSec: number): Promise<PhaseResult> => {
      const before = await stats(false, true);
      const result = nextMessage<FromLoad, 'result'>(load, 'result', durationSec * 1000 + 60_000);
      toLoad({ cmd: 'load', active: Math.max(1, Math.round(options.couples * options.active)), rate, durationMs: durationSec * 1000, holdMs: options.holdMs, candidates: options.candidates });
      const { result: loadResult } = await result;
      const after = await stats(false, true);
      return {
        load: loadResult,
        ring: summarize(loadResult.ringMs),
        accept: summarize(loadResult.acceptMs),
        total: summarize(loadResult.totalMs),
        server: after,
        cpuMsPerCall: loadResult.completed ? (after.cpuMs - before.cpuMs) / loadResult.completed : Number.NaN,
      };
    };
    console.log(`signaling/${mode}: ${sockets} sockets connected in ${(conn.ms / 1000).toFixed(1)} s; load at ${options.rate} calls/s`);
    const rated = await phase(options.rate, options.durationSec);
    const max = options.maxDurationSec > 0 ? await phase(0, options.maxDurationSec) : undefined;

    toLoad({ cmd: 'stop' });
    await stopChild(load, { cmd: 'stop' } satisfies ToLoad);
    for (const s of servers) await stopChild(s, { cmd: 'stop' } satisfies ToServer);
    let profile: string | undefined;
    if (options.profile && mode === 'heartline') {
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) profile = summarizeProfile(join(profileDir, file));
    }
    return {
      mode,
      sockets,
      connectFailed: conn.failed,
      connectMs: conn.ms,
      rssPerSocket: (idle.rss - baseline.rss) / sockets,
      heapPerSocket: (idle.heapUsed + idle.external - baseline.heapUsed - baseline.external) / sockets,
      baseline,
      idle,
      rated,
      max,
      profile,
    };
  } finally {
    if (load.exitCode === null) load.kill('SIGKILL');
    for (const s of servers) if (s.exitCode === null) s.kill('SIGKILL');
    dir.remove();
  }
}

const errorText = (errors: Record<string, number>): string => {
  const total = Object.values(errors).reduce((a, b) => a + b, 0);
  if (!total) return '0';
  return `${total} (${Object.entries(errors)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')})`;
};

function rows(ours: ModeResult | undefined, bare: ModeResult | undefined, options: SignalingOptions): Row[] {
  const pick = <T>(r: ModeResult | undefined, f: (m: ModeResult) => T, show: (v: T) => string): string => (r ? show(f(r)) : '-');
  const num = (r: ModeResult | undefined, f: (m: ModeResult) => number): number => (r ? f(r) : Number.NaN);
  const both = (metric: string, f: (m: ModeResult) => number, target?: string, digits = 3): Row => ({
    metric,
    ours: pick(ours, f, (v) => fmt(v, digits)),
    other: pick(bare, f, (v) => fmt(v, digits)),
    ratio: ratio(num(ours, f), num(bare, f)),
    target,
  });
  const out: Row[] = [
    both('sockets connected', (m) => m.sockets),
    both('connect all sockets, s', (m) => m.connectMs / 1000),
    both(`ring latency p50, ms (at ${options.rate} calls/s)`, (m) => m.rated.ring.p50),
    both('ring latency p95, ms', (m) => m.rated.ring.p95),
    both('ring latency p99, ms', (m) => m.rated.ring.p99, 'p99 < 25 ms; ≤ 1.5× bare'),
    both(`signals relayed per call: first sent → all ${options.candidates} candidates (+ offer/answer) received, p50 ms`, (m) => summarize(m.rated.load.signalMs).p50),
    both('signals relayed per call: p99 ms', (m) => summarize(m.rated.load.signalMs).p99),
    both('accept latency p50, ms', (m) => m.rated.accept.p50),
    both('accept latency p95, ms', (m) => m.rated.accept.p95),
    both('accept latency p99, ms', (m) => m.rated.accept.p99),
    {
      metric: 'calls placed / completed',
      ours: pick(ours, (m) => m.rated.load, (l) => `${l.started} / ${l.completed}`),
      other: pick(bare, (m) => m.rated.load, (l) => `${l.started} / ${l.completed}`),
      ratio: '',
    },
    both('calls not placed (all active couples busy)', (m) => m.rated.load.skipped),
    both('completed calls/s', (m) => m.rated.load.completed / (m.rated.load.elapsedMs / 1000)),
    {
      metric: 'errors',
      ours: pick(ours, (m) => m.rated.load.errors, errorText),
      other: pick(bare, (m) => m.rated.load.errors, errorText),
      ratio: '',
    },
    both('server event-loop delay p99, ms', (m) => m.rated.server.loop.p99),
    both('server event-loop delay max, ms', (m) => m.rated.server.loop.max),
    both('server CPU per completed call, ms', (m) => m.rated.cpuMsPerCall),
    both('server GC pauses: longest, ms', (m) => m.rated.server.gc.maxMs),
    both('server GC pauses: total, ms', (m) => m.rated.server.gc.totalMs),
  ];
  if ((ours ?? bare)?.max) {
    const mx = (f: (p: PhaseResult) => number) => (m: ModeResult) => (m.max ? f(m.max) : Number.NaN);
    out.push(
      both('closed loop: completed calls/s (max)', mx((p) => p.load.completed / (p.load.elapsedMs / 1000))),
      both('closed loop: ring latency p50, ms', mx((p) => p.ring.p50)),
      both('closed loop: ring latency p99, ms', mx((p) => p.ring.p99)),
      both('closed loop: server event-loop delay p99, ms', mx((p) => p.server.loop.p99)),
      both('closed loop: server CPU per call, ms', mx((p) => p.cpuMsPerCall)),
      {
        metric: 'closed loop: errors',
        ours: pick(ours, (m) => m.max?.load.errors ?? {}, errorText),
        other: pick(bare, (m) => m.max?.load.errors ?? {}, errorText),
        ratio: '',
      },
    );
  }
  out.push(
    both('server RSS idle (all connected), MB', (m) => m.idle.rss / 2 ** 20),
    both('server RSS per idle socket, KB (noisy below ~1,000 sockets)', (m) => m.rssPerSocket / 1024, '< 50 KB'),
    both('server heap+external per idle socket, KB', (m) => m.heapPerSocket / 1024),
  );
  return out;
}

export async function runSignaling(options: SignalingOptions): Promise<string> {
  const results = new Map<Mode, ModeResult>();
  const loadAtStart = load1();
  for (const mode of ['heartline', 'bare'] as const) {
    if (options.only && options.only !== mode) continue;
    results.set(mode, await runMode(mode, options));
    await sleep(1_000);
  }
  const ours = results.get('heartline');
  const bare = results.get('bare');
  const active = Math.max(1, Math.round(options.couples * options.active));
  const text = table(
    `Signaling: ${options.couples.toLocaleString('en-US')} couples (${(options.couples * 2).toLocaleString('en-US')} sockets), ` +
      `${active.toLocaleString('en-US')} calling at ${options.rate} calls/s for ${options.durationSec} s` +
      (options.maxDurationSec > 0 ? `, then closed loop for ${options.maxDurationSec} s` : ''),
    'Heartline',
    'bare relay (seed)',
    rows(ours, bare, options),
  );
  const footer = `machine load average (1 min) at start / end: ${loadAtStart} / ${load1()} on ${cpus().length} CPUs\n`;
  return text + footer + (ours?.profile ? `\n${ours.profile}\n` : '');
}

/**
 * One node versus two over Redis, the same load, rounds interleaved (1, 2, 1, 2, …)
 * so a drift in the machine's load hits both alike. Latencies pool every round's
 * samples; calls/s is the mean of the rounds' closed-loop phases.
 */
export async function runTwoNode(options: SignalingOptions, rounds: number, redis: string): Promise<string> {
  const runs: Record<1 | 2, ModeResult[]> = { 1: [], 2: [] };
  const loadAtStart = load1();
  for (let round = 0; round < rounds; round++) {
    for (const nodes of [1, 2] as const) {
      console.log(`signaling/two-node: round ${round + 1}/${rounds}, ${nodes} node(s)`);
      runs[nodes].push(await runMode('heartline', options, { nodes, redis }));
      await sleep(1_000);
    }
  }
  const pooled = (nodes: 1 | 2, f: (m: ModeResult) => number[]): Summary => summarize(runs[nodes].flatMap(f));
  const mean = (nodes: 1 | 2, f: (m: ModeResult) => number): number => runs[nodes].reduce((sum, m) => sum + f(m), 0) / runs[nodes].length;
  const row = (metric: string, one: number, two: number, digits = 3): Row => ({ metric, ours: fmt(one, digits), other: fmt(two, digits), ratio: ratio(one, two) });
  const maxRate = (m: ModeResult): number => (m.max ? m.max.load.completed / (m.max.load.elapsedMs / 1000) : Number.NaN);
  // Every round's error codes pooled, so the table says what failed, not just how often.
  const errors = (nodes: 1 | 2): string => {
    const pooledErrors: Record<string, number> = {};
    for (const m of runs[nodes]) for (const [code, count] of Object.entries(m.rated.load.errors)) pooledErrors[code] = (pooledErrors[code] ?? 0) + count;
    return errorText(pooledErrors);
  };
  const rowsOut: Row[] = [
    row(`ring latency p50, ms (at ${options.rate} calls/s)`, pooled(1, (m) => m.rated.load.ringMs).p50, pooled(2, (m) => m.rated.load.ringMs).p50),
    row('ring latency p99, ms', pooled(1, (m) => m.rated.load.ringMs).p99, pooled(2, (m) => m.rated.load.ringMs).p99),
    row('accept latency p99, ms', pooled(1, (m) => m.rated.load.acceptMs).p99, pooled(2, (m) => m.rated.load.acceptMs).p99),
    row(`signals (offer, answer, ${options.candidates} candidates) all relayed, p50 ms`, pooled(1, (m) => m.rated.load.signalMs).p50, pooled(2, (m) => m.rated.load.signalMs).p50),
    row('signals all relayed, p99 ms', pooled(1, (m) => m.rated.load.signalMs).p99, pooled(2, (m) => m.rated.load.signalMs).p99),
    row('closed loop: max completed calls/s (mean of rounds)', mean(1, maxRate), mean(2, maxRate)),
    row('closed loop: ring latency p99, ms', pooled(1, (m) => m.max?.load.ringMs ?? []).p99, pooled(2, (m) => m.max?.load.ringMs ?? []).p99),
    row('server CPU per completed call (all nodes), ms', mean(1, (m) => m.rated.cpuMsPerCall), mean(2, (m) => m.rated.cpuMsPerCall)),
    { metric: 'errors (rated phase, all rounds)', ours: errors(1), other: errors(2), ratio: '-' },
  ];
  const text = table(
    `Signaling, one node vs two over Redis: ${options.couples.toLocaleString('en-US')} couples, ` +
      `${Math.max(1, Math.round(options.couples * options.active))} calling at ${options.rate} calls/s for ${options.durationSec} s, ` +
      `closed loop ${options.maxDurationSec} s; ${rounds} interleaved rounds`,
    'one node (Redis adapter)',
    'two nodes (caller ↔ callee cross)',
    rowsOut,
  );
  return text + `machine load average (1 min) at start / end: ${loadAtStart} / ${load1()} on ${cpus().length} CPUs\n`;
}

async function main(): Promise<void> {
  const args = parseArgs();
  const full = flagArg(args, 'full');
  const only = args.get('only');
  const options: SignalingOptions = {
    couples: numArg(args, 'couples', full ? 2_000 : 200),
    active: numArg(args, 'active', 0.25),
    rate: numArg(args, 'rate', full ? 200 : 50),
    durationSec: numArg(args, 'duration', full ? 30 : 10),
    maxDurationSec: numArg(args, 'max-duration', full ? 10 : 5),
    holdMs: numArg(args, 'hold', 0),
    only: only === 'heartline' || only === 'bare' ? only : undefined,
    profile: flagArg(args, 'profile'),
    candidates: numArg(args, 'candidates', 12),
  };
  if (flagArg(args, 'two-node')) {
    console.log(await runTwoNode(options, numArg(args, 'rounds', 2), args.get('redis') ?? 'redis://127.0.0.1:6379'));
    return;
  }
  if (options.couples * 2 + 200 > 20_000) {
    console.warn(
      `signaling: ${options.couples * 2} sockets need more file descriptors than many shells allow; check \`ulimit -n\` (each process needs one per socket)`,
    );
  }
  console.log(await runSignaling(options));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
