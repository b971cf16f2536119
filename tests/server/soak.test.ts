// A bounded soak: many couples with two devices each, spread over three server
// processes on PostgreSQL and Redis, placing, answering, declining, abandoning and
// dropping calls at random while one node is killed (SIGKILL) and restarted
// several times. Answering devices report their media flowing (call:media), as
// real clients do, except now and then when it never starts. Afterwards the log
// must hold: every call terminal, never two live calls for a couple, nobody stuck,
// an answered call logged as failed (duration 0) exactly when its media never
// flowed, and every device that stayed connected through a call was told its end
// (also when the node that ended it was killed before telling anyone: the outbox
// of ends), and never told two different ends of one call. A repeat of the same
// end (a re-send after a publish that did happen) is counted and printed: the
// client's call state ignores the end of a call it has already ended.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuthResponse, ClientToServerEvents, ServerToClientEvents } from '../../src-shared/protocol';
import { requireOrSkip } from '../support/requirements';
import { REDIS_URL, postgresAnswers, redisAnswers } from '../support/services';
import { couple, waitFor } from './helpers';
import { freshDatabase, killAll, startNode, type NodeProcess } from './processes';

const available =
  requireOrSkip('postgres', await postgresAnswers(), 'the soak needs PostgreSQL on 127.0.0.1:5432') &&
  requireOrSkip('redis', await redisAnswers(), 'the soak needs Redis on 127.0.0.1:6379');

const COUPLES = Number(process.env.HEARTLINE_SOAK_COUPLES ?? 60);
const DEVICES_PER_USER = 2;
const SOAK_MS = Number(process.env.HEARTLINE_SOAK_MS ?? 30_000);
const KILLS = 3;
const RING_MS = 1500;
const GRACE_MS = 1000;
const SWEEP_MS = 100;
/** How long an end's publisher has to confirm it before a sweep re-sends it (as shipped). */
const RESEND_MS = 5000;
/** A device connected this long after an end must have been told it (re-send, lease and a loaded machine's slack). */
const TOLD_WITHIN_MS = RESEND_MS + 3000;
/** Answered calls whose media never starts (the devices could not reach each other). */
const NO_MEDIA = 0.1;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min));
const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

type Ack = { ok: true; callId?: string } | { ok: false; error: { code: string } };

/** One span of one connection: when it was up, and the ends it was told. */
interface Connection {
  upAt: number;
  downAt: number | null;
  ends: { callId: string; status: string; reason: string }[];
}

/** A client device: reconnects by itself (to any live node, same deviceId) when its node goes away. */
class SoakDevice {
  readonly deviceId = `soak-${randomBytes(6).toString('hex')}`;
  readonly connections: Connection[] = [];
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  private closed = false;
  private awayUntil = 0;
  /** The one pending reconnection: a device never holds two connections at once. */
  private reconnecting: NodeJS.Timeout | undefined;

  constructor(
    readonly user: AuthResponse,
    private readonly liveNodes: () => NodeProcess[],
  ) {}

  get online(): boolean {
    return this.socket?.connected === true;
  }

  connect(): void {
    const node = pick(this.liveNodes());
    if (this.closed || !node) return;
    // Drop any connection still held (its disconnect handler sees it is no longer current).
    const previous = this.socket;
    this.socket = undefined;
    previous?.disconnect();
    const socket = connect(node.url, { auth: { token: this.user.token, deviceId: this.deviceId }, transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket = socket;
    let connection: Connection | undefined;
    socket.on('connect', () => {
      connection = { upAt: Date.now(), downAt: null, ends: [] };
      this.connections.push(connection);
    });
    socket.on('call:ended', (event) => {
      if (event.status !== 'connected') connection?.ends.push({ callId: event.callId, status: event.status, reason: event.reason });
    });
    const retry = (): void => {
      if (connection) connection.downAt ??= Date.now();
      if (this.socket !== socket || this.closed) return;
      this.reconnectIn(Math.max(between(50, 300), this.awayUntil - Date.now()));
    };
    socket.on('disconnect', retry);
    socket.on('connect_error', retry);
  }

  async emit(event: 'call:start' | 'call:accept' | 'call:decline' | 'call:hangup' | 'call:media', payload: object): Promise<Ack | undefined> {
    if (!this.socket?.connected) return undefined;
    const raw = this.socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<Ack> } };
    return raw.timeout(4000).emitWithAck(event, payload).catch(() => undefined);
  }

  /** The device drops off the network for `ms` (the server sees it gone), then comes back. */
  vanish(ms: number): void {
    this.awayUntil = Date.now() + ms;
    this.socket?.disconnect();
    const connection = this.connections.at(-1);
    if (connection) connection.downAt ??= Date.now();
    this.reconnectIn(ms);
  }

  private reconnectIn(ms: number): void {
    clearTimeout(this.reconnecting);
    this.reconnecting = setTimeout(() => {
      this.reconnecting = undefined;
      this.connect();
    }, ms);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.reconnecting);
    this.socket?.disconnect();
    const connection = this.connections.at(-1);
    if (connection) connection.downAt ??= Date.now();
  }
}

describe.skipIf(!available)('soak: random calls across three nodes while one is killed and restarted', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  const nodes: NodeProcess[] = [];
  const devices: SoakDevice[] = [];

  afterAll(async () => {
    for (const device of devices) device.close();
    for (const node of nodes) await node.stop('SIGKILL');
    killAll();
    await database?.drop();
  });

  it('keeps every invariant of the call log', async () => {
    database = await freshDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_CHANNEL_PREFIX: `heartline-soak-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: 'soak-shared-secret',
      RING_TIMEOUT_MS: String(RING_MS),
      CALL_GRACE_MS: String(GRACE_MS),
      CALL_SWEEP_MS: String(SWEEP_MS),
      CALL_END_RESEND_MS: String(RESEND_MS),
      LOG_LEVEL: process.env.HEARTLINE_SOAK_LOG_LEVEL ?? 'fatal',
      // One address registers and pairs every couple; the limits have their own tests.
      REGISTER_MAX: '100000',
      LOGIN_MAX: '100000',
      INVITE_ACCEPT_MAX: '100000',
    };
    nodes.push(...(await Promise.all([startNode(env), startNode(env), startNode(env)])));
    const liveNodes = (): NodeProcess[] => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);

    const couples: { a: SoakDevice[]; b: SoakDevice[] }[] = [];
    for (let i = 0; i < COUPLES; i++) {
      const { alice, bob } = await couple(nodes[i % nodes.length]!);
      const make = (user: AuthResponse): SoakDevice[] => [...Array(DEVICES_PER_USER)].map(() => new SoakDevice(user, liveNodes));
      const pair = { a: make(alice), b: make(bob) };
      couples.push(pair);
      devices.push(...pair.a, ...pair.b);
    }
    for (const device of devices) device.connect();
    await waitFor(() => devices.filter((d) => d.online).length, (n) => n === devices.length, 30_000, 100);

    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const figures = { sockets: devices.length, calls: 0, answered: 0, media: 0, kills: 0, doubleLive: 0 };
    const endAt = Date.now() + SOAK_MS;
    const killedAt: number[] = [];

    /** One couple's random life. */
    async function live({ a, b }: { a: SoakDevice[]; b: SoakDevice[] }): Promise<void> {
      while (Date.now() < endAt) {
        const [callers, callees] = Math.random() < 0.5 ? [a, b] : [b, a];
        const caller = pick(callers.filter((d) => d.online));
        if (!caller) {
          await pause(100);
          continue;
        }
        const start = await caller.emit('call:start', { type: Math.random() < 0.5 ? 'voice' : 'video' });
        if (!start?.ok || !start.callId) {
          await pause(between(50, 300));
          continue;
        }
        figures.calls++;
        const callId = start.callId;
        await pause(between(20, 400));
        const callee = pick(callees) as SoakDevice;
        const roll = Math.random();
        if (roll < 0.15) await caller.emit('call:hangup', { callId });
        else if (roll < 0.3) await callee.emit('call:decline', { callId });
        else if (roll < 0.4) await pause(RING_MS + 2 * SWEEP_MS);
        else if ((await callee.emit('call:accept', { callId }))?.ok) {
          figures.answered++;
          // The answering device's media starts flowing a moment later (unless it never does).
          await pause(between(20, 200));
          if (Math.random() >= NO_MEDIA && (await callee.emit('call:media', { callId }))?.ok) figures.media++;
          await pause(between(100, 1500));
          if (Math.random() < 0.15) (Math.random() < 0.5 ? caller : callee).vanish(between(GRACE_MS / 2, GRACE_MS * 2));
          else await (Math.random() < 0.5 ? caller : callee).emit('call:hangup', { callId });
        }
        await pause(between(20, 200));
      }
    }

    /** Kills the third node now and then, and brings it back up. */
    async function chaos(): Promise<void> {
      for (let kill = 0; kill < KILLS; kill++) {
        await pause(SOAK_MS / (KILLS + 1));
        const victim = nodes[2]!;
        killedAt.push(Date.now());
        await victim.stop('SIGKILL');
        figures.kills++;
        await pause(1000);
        nodes[2] = await startNode(env);
      }
    }

    /** Watches the one-live-call-per-couple rule while it all runs. */
    async function watch(): Promise<void> {
      while (Date.now() < endAt) {
        const { rows } = await db.query(`SELECT couple_key FROM calls WHERE status IN ('ringing', 'connected') GROUP BY couple_key HAVING count(*) > 1`);
        figures.doubleLive += rows.length;
        await pause(250);
      }
    }

    await Promise.all([...couples.map(live), chaos(), watch()]);

    // Everybody leaves; every call still live must be ended by the servers within its deadline.
    for (const device of devices) device.close();
    const settledAt = Date.now();
    const stuck = await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM calls WHERE status IN ('ringing', 'connected')`)).rows[0].n as number,
      (n) => n === 0 || Date.now() - settledAt > RING_MS + GRACE_MS + 10_000,
      RING_MS + GRACE_MS + 15_000,
      100,
    );
    if (stuck) console.log('[soak] still live:', (await db.query(`SELECT * FROM calls WHERE status IN ('ringing', 'connected')`)).rows, Date.now());
    const calls = (
      await db.query<{
        id: string;
        caller_id: string;
        callee_id: string;
        status: string;
        end_reason: string | null;
        created_at: number;
        answered_at: number | null;
        media_at: number | null;
        ended_at: number | null;
        duration_sec: number;
      }>(
        `SELECT id, caller_id, callee_id, status, end_reason, created_at::float8 AS created_at, answered_at::float8 AS answered_at,
                media_at::float8 AS media_at, ended_at::float8 AS ended_at, duration_sec::int AS duration_sec FROM calls`,
      )
    ).rows;
    await db.end();

    const notTerminal = calls.filter((c) => !['ended', 'missed', 'declined'].includes(c.status) || c.ended_at === null || c.end_reason === null);
    // How an answered call is logged: failed (ended, duration 0) exactly when its media never flowed;
    // a call never answered is never failed, and has no media.
    const failed = calls.filter((c) => c.end_reason === 'failed');
    const wrongOutcome = calls.filter((c) => {
      if (c.ended_at === null) return false; // counted as not terminal
      if (c.answered_at === null) return c.end_reason === 'failed' || c.media_at !== null || c.duration_sec !== 0;
      if (c.status !== 'ended') return true;
      return c.media_at === null ? c.end_reason !== 'failed' || c.duration_sec !== 0 : c.end_reason === 'failed';
    });
    for (const call of wrongOutcome) console.log('[soak] wrong outcome', JSON.stringify(call));
    // Told two different ends of one call (the client would show a second end), and repeats of the same end.
    let toldTwice = 0;
    let repeats = 0;
    // Never told: a connection that was up from before the call until well after its end missed it.
    let neverTold = 0;
    const callsOf = new Map<string, typeof calls>();
    for (const call of calls) for (const user of [call.caller_id, call.callee_id]) callsOf.set(user, [...(callsOf.get(user) ?? []), call]);
    for (const device of devices) {
      for (const connection of device.connections) {
        const seen = new Map<string, Set<string>>();
        for (const end of connection.ends) {
          const told = seen.get(end.callId) ?? new Set<string>();
          if (seen.has(end.callId)) repeats++;
          seen.set(end.callId, told.add(`${end.status}/${end.reason}`));
        }
        toldTwice += [...seen.values()].filter((ends) => ends.size > 1).length;
        for (const call of callsOf.get(device.user.user.id) ?? []) {
          if (call.ended_at === null || call.status === 'missed' && call.end_reason === 'partner_offline') continue;
          const throughout = connection.upAt < call.created_at - 500 && (connection.downAt ?? Infinity) > call.ended_at + TOLD_WITHIN_MS;
          if (throughout && !seen.has(call.id)) {
            neverTold++;
            console.log('[soak] never told', JSON.stringify(call), JSON.stringify(connection.ends.length), 'kills at', killedAt);
          }
        }
      }
    }
    const violations = notTerminal.length + wrongOutcome.length + figures.doubleLive + toldTwice + neverTold + stuck;
    console.log(
      `[soak] sockets ${figures.sockets}, couples ${COUPLES}, nodes 3, calls ${figures.calls} (answered ${figures.answered}, media ${figures.media}), kills ${figures.kills}, ` +
        `logged ${calls.length} (failed ${failed.length}); violations: ${violations} (not terminal ${notTerminal.length}, wrong outcome ${wrongOutcome.length}, ` +
        `two live ${figures.doubleLive}, stuck ${stuck}, told two ends ${toldTwice}, never told ${neverTold}); same end repeated (shown once): ${repeats}`,
    );
    expect({ notTerminal: notTerminal.length, wrongOutcome: wrongOutcome.length, doubleLive: figures.doubleLive, stuck, toldTwice, neverTold }).toEqual({
      notTerminal: 0,
      wrongOutcome: 0,
      doubleLive: 0,
      stuck: 0,
      toldTwice: 0,
      neverTold: 0,
    });
    expect(figures.kills).toBe(KILLS);
    expect(figures.calls).toBeGreaterThan(COUPLES);
    // Answered calls reported their media, and the log kept it.
    expect(figures.media).toBeGreaterThan(0);
    expect(calls.some((c) => c.media_at !== null)).toBe(true);
  }, SOAK_MS + 180_000);
});
