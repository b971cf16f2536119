// Real processes for the durability and chaos suites: Heartline server nodes
// (server/server.ts run by node itself, so a signal hits the server and not a
// wrapper), and private Redis and PostgreSQL instances a test may restart at will
// without touching the machine's shared ones.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PG_URL } from '../support/services';
import { waitFor } from './helpers';

const running = new Set<ChildProcess>();

/** Kills every process these helpers started and that still runs (for afterAll). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/** Starts a server node on a free port and resolves once it answers /healthz. */
export async function startNode(env: Record<string, string>): Promise<NodeProcess> {
  const port = await freeTcpPort();
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', STUN_URLS: '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const healthy = async (): Promise<boolean> => {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited early (${child.exitCode ?? child.signalCode})`);
    return fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
  };
  // A start is mostly compiling the server (tsx): on 2 CPUs shared by several suites it has taken 30 s.
  await waitFor(healthy, (up) => up, 60_000, 50);
  return {
    url,
    child,
    stop: async (signal) => {
      const done = exited(child);
      child.kill(signal);
      return done;
    },
  };
}

export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A database of its own on the shared PostgreSQL, for server processes (which take a plain DATABASE_URL). */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hl_chaos_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface PrivateService {
  url: string;
  /** Stops it (SIGKILL for Redis: a crash; a fast shutdown for PostgreSQL). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  remove(): Promise<void>;
}

/** A private redis-server on a free port, no persistence. */
export async function startPrivateRedis(): Promise<PrivateService> {
  const port = await freeTcpPort();
  let child: ChildProcess | undefined;
  const answers = (): boolean => {
    try {
      return execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'PONG';
    } catch {
      return false;
    }
  };
  const service: PrivateService = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = track(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
      await waitFor(answers, (up) => up, 10_000, 50);
    },
    async stop() {
      if (child) await new Promise<void>((resolve) => (child!.once('exit', () => resolve()), child!.kill('SIGKILL')));
      child = undefined;
    },
    remove: () => service.stop(),
  };
  await service.start();
  return service;
}

/** A private PostgreSQL cluster (initdb as user postgres into a temp folder) on a free port. */
export async function startPrivatePostgres(): Promise<PrivateService> {
  const bin = join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().at(-1) ?? '', 'bin');
  const dir = mkdtempSync(join(tmpdir(), 'heartline-pg-'));
  const data = join(dir, 'data');
  chownSync(dir, uid('postgres'), gid('postgres'));
  const port = await freeTcpPort();
  const asPostgres = (args: string[]): void => {
    execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
  };
  asPostgres([join(bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const service: PrivateService = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      asPostgres([join(bin, 'pg_ctl'), '-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    },
    async stop() {
      asPostgres([join(bin, 'pg_ctl'), '-D', data, '-w', '-m', 'fast', 'stop']);
    },
    async remove() {
      try {
        await service.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await service.start();
  return service;
}

function uid(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}
function gid(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
