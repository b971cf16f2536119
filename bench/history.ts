// History bench: keyset paging (SqliteStore.listCalls, what GET /api/calls runs)
// versus the seed's OFFSET paging, on the same SQLite file; plus the call-log write.
//
//   npx tsx bench/history.ts                 # small: 200,000 calls over 2,000 couples
//   npx tsx bench/history.ts --full          # issue 5: 1,000,000 calls over 10,000 couples
//   options: --calls N --couples N --heavy N (calls of the heavy couple) --iterations N
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { coupleKey, SqliteStore } from '../server/store/sqlite-store';
import type { CallCursor, CallRecord } from '../server/store/types';
import { flagArg, fmt, hrMs, numArg, parseArgs, ratio, summarize, table, load1, tempDir, type Row, type Summary } from './lib/common';
import { seedCalls, seedCouples, type Couple } from './lib/seed';

export interface HistoryOptions {
  calls: number;
  couples: number;
  heavy: number;
  iterations: number;
}

const PAGE = 20;
const DEEP_PAGE = 1000;

interface RawCall {
  id: string;
  caller_id: string;
  callee_id: string;
  created_at: number;
  status: string;
}

/** Times `fn` repeatedly: `iterations` runs, or fewer when they pass `budgetMs`, after a short warm-up. */
function timeIt(fn: () => unknown, iterations: number, budgetMs = 8_000): Timed {
  for (let i = 0; i < Math.min(20, iterations); i++) fn();
  const sample: number[] = [];
  const cpu: number[] = [];
  const started = hrMs();
  for (let i = 0; i < iterations; i++) {
    const c0 = process.cpuUsage();
    const t0 = hrMs();
    fn();
    sample.push(hrMs() - t0);
    cpu.push(cpuMsSince(c0));
    if (hrMs() - started > budgetMs && sample.length >= 30) break;
  }
  return { ...summarize(sample), cpu: summarize(cpu) };
}

/** A wall-clock summary, with the same runs measured in this process's CPU time (immune to being descheduled). */
type Timed = Summary & { cpu: Summary };

const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

async function timeItAsync(fn: () => Promise<unknown>, iterations: number, budgetMs = 8_000): Promise<Timed> {
  for (let i = 0; i < Math.min(20, iterations); i++) await fn();
  const sample: number[] = [];
  const cpu: number[] = [];
  const started = hrMs();
  for (let i = 0; i < iterations; i++) {
    const c0 = process.cpuUsage();
    const t0 = hrMs();
    await fn();
    sample.push(hrMs() - t0);
    cpu.push(cpuMsSince(c0));
    if (hrMs() - started > budgetMs && sample.length >= 30) break;
  }
  return { ...summarize(sample), cpu: summarize(cpu) };
}

const ms = (s: Summary): string => `${fmt(s.p50)} / ${fmt(s.p99)}`;
/** Wall p50 / p99, then the CPU-time p99 of the same runs. */
const msCpu = (s: Timed): string => `${ms(s)} (CPU p99 ${fmt(s.cpu.p99)})`;

export async function runHistory(options: HistoryOptions): Promise<string> {
  const dir = tempDir('history');
  const loadAtStart = load1();
  const store = new SqliteStore(join(dir.path, 'history.db'));
  try {
    const db = store.raw;
    // ---------------------------------------------------------------- seed
    const t0 = hrMs();
    const couples = seedCouples(store, options.couples, 'hist');
    // Bulk load: drop the calls indexes, insert in one transaction, rebuild them with the schema's own SQL.
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls' AND sql IS NOT NULL`)
      .all() as { name: string; sql: string }[];
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
    db.pragma('synchronous = OFF');
    const rows = seedCalls(store, couples, { totalCalls: options.calls, heavyCalls: options.heavy, heavySpacingMin: 45 });
    for (const index of indexes) db.exec(index.sql);
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const seedSec = (hrMs() - t0) / 1000;
    const heavy = couples[0] as Couple;
    const user = heavy.a.id;
    const userCalls = (db.prepare('SELECT COUNT(*) AS n FROM calls WHERE caller_id = ? OR callee_id = ?').get(user, user) as { n: number }).n;
    console.log(
      `history: seeded ${rows.toLocaleString('en-US')} calls over ${options.couples.toLocaleString('en-US')} couples in ${seedSec.toFixed(1)} s; ` +
        `heavy couple has ${userCalls.toLocaleString('en-US')} calls`,
    );

    // ---------------------------------------------------------------- the seed's queries, on the same data
    const offsetPage = db.prepare(
      'SELECT * FROM calls WHERE caller_id = @user OR callee_id = @user ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset',
    );
    const seedMissed = db.prepare(`SELECT * FROM calls WHERE callee_id = ? AND status = 'missed' ORDER BY created_at DESC LIMIT 10`);
    const mapRows = (list: RawCall[]): { id: string; createdAt: number }[] => list.map((r) => ({ id: r.id, createdAt: r.created_at }));

    // The cursor of page 1,000: walk the pages the way a client scrolls (and check both methods agree).
    let cursor: CallCursor | undefined;
    let page: CallRecord[] = [];
    const deepPage = Math.min(DEEP_PAGE, Math.max(1, Math.floor(userCalls / PAGE)));
    for (let i = 1; i < deepPage; i++) {
      page = await store.listCalls(user, PAGE, cursor);
      const last = page[page.length - 1];
      if (!last) break;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
    const keysetDeep = await store.listCalls(user, PAGE, cursor);
    const offsetDeep = offsetPage.all({ user, limit: PAGE, offset: (deepPage - 1) * PAGE }) as RawCall[];
    const agree = keysetDeep.length === offsetDeep.length && keysetDeep.every((c, i) => c.id === offsetDeep[i]?.id);
    if (!agree) console.warn('history: WARNING keyset and OFFSET disagree on the deep page');

    const it = options.iterations;
    const k1 = await timeItAsync(() => store.listCalls(user, PAGE, undefined), it);
    const o1 = timeIt(() => mapRows(offsetPage.all({ user, limit: PAGE, offset: 0 }) as RawCall[]), it);
    const kDeep = await timeItAsync(() => store.listCalls(user, PAGE, cursor), it);
    const oDeep = timeIt(() => mapRows(offsetPage.all({ user, limit: PAGE, offset: (deepPage - 1) * PAGE }) as RawCall[]), it);
    const monthAgo = Date.now() - 30 * 24 * 3600_000;
    const kMissed = await timeItAsync(() => store.listMissed(user, monthAgo), it);
    const kMissedAll = await timeItAsync(() => store.listMissed(user, 0), it);
    const oMissed = timeIt(() => mapRows(seedMissed.all(user) as RawCall[]), it);
    const missedRows = (await store.listMissed(user, monthAgo)).length;
    const missedAllRows = (await store.listMissed(user, 0)).length;

    // findActiveCall runs on every call:start, accept and presence update: time it for the heavy user,
    // next to a lookup through the live-call partial index (calls_one_live_per_couple).
    const active = await timeItAsync(() => store.findActiveCall(user), it);
    const liveByCouple = db.prepare(`SELECT * FROM calls WHERE couple_key = ? AND status IN ('ringing', 'connected') LIMIT 1`);
    const heavyKey = coupleKey(heavy.a.id, heavy.b.id);
    const activeByCouple = timeIt(() => liveByCouple.get(heavyKey), it);

    // ---------------------------------------------------------------- call-log writes
    const writeOnce = async (couple: Couple, check: boolean): Promise<void> => {
      if (check) await store.findActiveCall(couple.a.id);
      const now = Date.now();
      const call: CallRecord = {
        id: randomUUID(),
        callerId: couple.a.id,
        calleeId: couple.b.id,
        mediaAt: null,
        type: 'video',
        status: 'ringing',
        createdAt: now,
        answeredAt: null,
        endedAt: null,
        durationSec: 0,
        endReason: null,
        callerDevice: 'bench-device-a',
        calleeDevice: null,
        ringDeadline: now + 45_000,
        graceDeadline: null,
      };
      await store.createCall(call);
      await store.updateCallIf(call.id, 'ringing', { status: 'connected', answeredAt: now + 1, calleeDevice: 'bench-device-b' });
      await store.updateCallIf(call.id, 'connected', { status: 'ended', endedAt: now + 2, durationSec: 0, endReason: 'hangup' });
    };
    let pick = 0;
    const nextCouple = (): Couple => couples[1 + (pick++ % Math.max(1, couples.length - 1))] ?? heavy;
    const writeIterations = Math.min(it, 2_000);
    const writes = await timeItAsync(() => writeOnce(nextCouple(), false), writeIterations);
    const writesHeavy = await timeItAsync(() => writeOnce(heavy, true), Math.min(writeIterations, 300));
    const seedInsert = db.prepare(
      `INSERT INTO calls (id, caller_id, callee_id, couple_key, type, status, created_at, answered_at, ended_at,
                          duration_sec, end_reason, caller_device, callee_device)
       VALUES (?, ?, ?, ?, 'video', 'ended', ?, ?, ?, 0, 'hangup', 'bench-device-a', 'bench-device-b')`,
    );
    const seedWrites = timeIt(() => {
      const c = nextCouple();
      const now = Date.now();
      seedInsert.run(randomUUID(), c.a.id, c.b.id, coupleKey(c.a.id, c.b.id), now, now + 1, now + 2);
    }, writeIterations);

    const plan = (sql: string, ...params: unknown[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ');
    const activeSql = `SELECT * FROM calls WHERE status IN ('ringing', 'connected') AND (caller_id = ? OR callee_id = ?) ORDER BY created_at DESC LIMIT 1`;
    console.log(`plan findActiveCall: ${plan(activeSql, user, user)}`);

    console.log(`plan keyset:  ${plan('SELECT * FROM calls WHERE caller_id = ? ORDER BY created_at DESC, id DESC LIMIT 20', user)}`);
    console.log(
      `plan OFFSET:  ${plan('SELECT * FROM calls WHERE caller_id = ? OR callee_id = ? ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 19980', user, user)}`,
    );

    const rowsOut: Row[] = [
      { metric: `first page (${PAGE}), ms p50 / p99`, ours: msCpu(k1), other: msCpu(o1), ratio: ratio(k1.p99, o1.p99), target: 'p99 < 2 ms' },
      {
        metric: `page ${deepPage} deep, ms p50 / p99`,
        ours: msCpu(kDeep),
        other: msCpu(oDeep),
        ratio: `${ratio(kDeep.p99, oDeep.p99)} (OFFSET ${fmt(oDeep.p50 / kDeep.p50)}× slower at p50)`,
        target: 'p99 < 2 ms; ≥ 20× faster',
      },
      { metric: `missed calls, last 30 days (${missedRows} rows), ms p50 / p99`, ours: ms(kMissed), other: `${ms(oMissed)} (10 rows)`, ratio: ratio(kMissed.p99, oMissed.p99) },
      { metric: `missed calls, all (${missedAllRows} rows), ms p50 / p99`, ours: ms(kMissedAll), other: `${ms(oMissed)} (10 rows)`, ratio: ratio(kMissedAll.p99, oMissed.p99) },
      {
        metric: 'call-log write start→accept→hangup, ms p50 / p99',
        ours: ms(writes),
        other: `${ms(seedWrites)} (1 client-posted INSERT)`,
        ratio: ratio(writes.p99, seedWrites.p99),
      },
      {
        metric: 'heavy couple: findActiveCall + write, ms p50 / p99',
        ours: ms(writesHeavy),
        other: '',
        ratio: '',
      },
      {
        metric: 'heavy user: findActiveCall, ms p50 / p99',
        ours: ms(active),
        other: '',
        ratio: '',
      },
      {
        metric: 'heavy couple: live call by couple_key, ms p50 / p99',
        ours: ms(activeByCouple),
        other: '',
        ratio: '',
      },
    ];
    const footer = `machine load average (1 min) at start / end: ${loadAtStart} / ${load1()} on ${cpus().length} CPUs\n`;
    return table(
      `History: ${rows.toLocaleString('en-US')} calls, ${options.couples.toLocaleString('en-US')} couples, heavy user ${userCalls.toLocaleString('en-US')} calls` +
        (agree ? '' : ' (WARNING: keyset/OFFSET pages differ)'),
      'keyset (ours)',
      'OFFSET (seed)',
      rowsOut,
    ) + footer;
  } finally {
    await store.close();
    dir.remove();
  }
}

async function main(): Promise<void> {
  const args = parseArgs();
  const full = flagArg(args, 'full');
  const options: HistoryOptions = {
    calls: numArg(args, 'calls', full ? 1_000_000 : 200_000),
    couples: numArg(args, 'couples', full ? 10_000 : 2_000),
    heavy: numArg(args, 'heavy', 50_000),
    iterations: numArg(args, 'iterations', full ? 2_000 : 500),
  };
  console.log(await runHistory(options));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
