// How fast can one socket, one user and one client address make the server write?
// An attacker's view of the abuse limits: each phase hammers one door for a few
// seconds as fast as the server answers and counts the rows that really landed
// in the database (missed calls, users, sign-ins). Runs an in-process server on a
// fresh SQLite file with the server's default limits (only the environment you pass).
// TRUST_PROXY=1 lets the bench speak from distinct addresses (X-Forwarded-For): the
// set-up from one, each attacked door from its own, so no phase eats another's budget.
//
//   npx tsx bench/write-rates.ts [--seconds 5]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { io as connect, type Socket } from 'socket.io-client';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 5;
const IN_FLIGHT = 20;
const PASSWORD = 'correct horse battery';

const dir = mkdtempSync(join(tmpdir(), 'heartline-write-rates-'));
const dbPath = join(dir, 'h.db');
const heartline = await buildApp(loadConfig({ ...process.env, DATABASE_PATH: dbPath, JWT_SECRET: 'bench', STUN_URLS: '', WEB_ROOT: join(dir, 'none'), TRUST_PROXY: '1' }));
await heartline.app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(heartline.app.server.address() as AddressInfo).port}`;
const db = new Database(dbPath, { readonly: true });
const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

async function post(path: string, body: unknown, token?: string, from = '10.0.0.1'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

/** Runs `attempt` with IN_FLIGHT concurrent loops for `seconds`; returns attempts made. */
async function hammer(attempt: () => Promise<unknown>): Promise<number> {
  const end = Date.now() + seconds * 1000;
  let attempts = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (Date.now() < end) {
        attempts += 1;
        await attempt().catch(() => undefined);
      }
    }),
  );
  return attempts;
}

async function socketOf(token: string): Promise<Socket> {
  const socket = connect(url, { auth: { token, deviceId: `bench-${randomBytes(6).toString('hex')}` }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

const startCall = (socket: Socket) => socket.timeout(5000).emitWithAck('call:start', { type: 'voice' });

async function couple(tag: string): Promise<{ alice: { token: string } }> {
  const users: { token: string }[] = [];
  for (const side of ['a', 'b']) {
    const reply = await post('/api/auth/register', { username: `${tag}${side}${randomBytes(3).toString('hex')}`, password: PASSWORD });
    users.push(reply.body as { token: string });
  }
  const invite = await post('/api/pairing/invite', {}, users[0]!.token);
  await post('/api/pairing/accept', { code: invite.body.code }, users[1]!.token);
  return { alice: users[0]! };
}

const rows: { door: string; attempts: number; written: number }[] = [];
async function measure(door: string, table: string, attempt: () => Promise<unknown>): Promise<void> {
  const before = count(table);
  const attempts = await hammer(attempt);
  rows.push({ door, attempts, written: count(table) - before });
}

// The couples are made first: registration is itself one of the doors measured below.
const one = await couple('sock');
const loginName = `login${randomBytes(3).toString('hex')}`;
await post('/api/auth/register', { username: loginName, password: PASSWORD });
const two = await couple('user');
const socket = await socketOf(one.alice.token);
const sockets: Socket[] = [];
for (let i = 0; i < 5; i++) sockets.push(await socketOf(two.alice.token).catch(() => socket));

// The partner is offline, so every accepted call:start logs a missed call in their history.
await measure('one socket: call:start (missed calls logged)', 'calls', () => startCall(socket));
let next = 0;
await measure('one user, 5 sockets: call:start (missed calls logged)', 'calls', () => startCall(sockets[next++ % sockets.length]!));
let n = 0;
// Meanwhile a real user signs in from elsewhere, one login after another: how long does each take?
const loginTimes: number[] = [];
const floodEnds = Date.now() + seconds * 1000;
const realUser = (async () => {
  while (Date.now() < floodEnds) {
    const started = performance.now();
    await post('/api/auth/login', { username: loginName, password: PASSWORD }, undefined, '10.0.0.4');
    loginTimes.push(performance.now() - started);
  }
})();
await measure('one address: POST /api/auth/register (accounts created)', 'users', () =>
  post('/api/auth/register', { username: `flood${n++}${randomBytes(2).toString('hex')}`, password: PASSWORD }, undefined, '10.0.0.2'),
);
await realUser;
await measure('one address: POST /api/auth/login, right password (sign-ins stored)', 'refresh_tokens', () =>
  post('/api/auth/login', { username: loginName, password: PASSWORD }, undefined, '10.0.0.3'),
);

console.log(`\n${seconds} s per door, ${IN_FLIGHT} requests in flight, default limits\n`);
console.log('| door | attempts | rows written | writes/s |');
console.log('|---|---:|---:|---:|');
for (const row of rows) console.log(`| ${row.door} | ${row.attempts} | ${row.written} | ${(row.written / seconds).toFixed(1)} |`);
const sorted = [...loginTimes].sort((x, y) => x - y);
console.log(`\nA real user's login from another address during the registration flood: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms over ${sorted.length} logins`);
console.log(`SQLite WAL file right after the run: ${(statSync(`${dbPath}-wal`).size / 1024 / 1024).toFixed(1)} MiB`);

for (const s of [socket, ...sockets]) s.disconnect();
db.close();
await heartline.close();
rmSync(dir, { recursive: true, force: true });
