// A real Heartline server on a free loopback port with a fresh SQLite file, and
// real socket.io-client peers to drive it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import type { AuthResponse, ClientToServerEvents, ServerToClientEvents } from '../../src-shared/protocol';
import { buildApp, type Heartline } from '../../server/app';
import { loadConfig } from '../../server/config';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  heartline: Heartline;
  dir: string;
  close(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}, dir = mkdtempSync(join(tmpdir(), 'heartline-test-'))): Promise<TestServer> {
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'heartline.db'),
    STUN_URLS: '',
    RING_TIMEOUT_MS: '5000',
    CALL_GRACE_MS: '300',
    WEB_ROOT: join(dir, 'no-web-client'),
    // Suites register dozens of users from one address; the limits have their own tests.
    REGISTER_MAX: '100000',
    LOGIN_MAX: '100000',
    INVITE_ACCEPT_MAX: '100000',
    PRESENCE_DEBOUNCE_MS: '50',
    ...env,
  });
  const heartline = await buildApp(config);
  await heartline.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = heartline.app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    heartline,
    dir,
    async close() {
      await heartline.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ApiReply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = unknown>(server: { url: string }, method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string } = {}): Promise<ApiReply<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

let userCounter = 0;
export async function register(server: { url: string }, name: string): Promise<AuthResponse> {
  const username = `${name}${++userCounter}${randomBytes(2).toString('hex')}`.toLowerCase();
  const reply = await api<AuthResponse>(server, 'POST', '/api/auth/register', {
    body: { username, password: 'correct horse battery', displayName: name },
  });
  if (reply.status !== 201) throw new Error(`register failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function pair(server: { url: string }, inviter: AuthResponse, accepter: AuthResponse): Promise<void> {
  const invite = await api<{ code: string }>(server, 'POST', '/api/pairing/invite', { token: inviter.token });
  const accepted = await api(server, 'POST', '/api/pairing/accept', { token: accepter.token, body: { code: invite.body.code } });
  if (accepted.status !== 200) throw new Error(`pairing failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}

/** A registered, paired couple. */
export async function couple(server: { url: string }): Promise<{ alice: AuthResponse; bob: AuthResponse }> {
  const alice = await register(server, 'Alice');
  const bob = await register(server, 'Bob');
  await pair(server, alice, bob);
  return { alice, bob };
}

const sockets = new Set<ClientSocket>();

/** A connected device of a user (resolves once the handshake is accepted). */
export async function device(server: { url: string }, who: { token: string }, deviceId = `dev-${randomBytes(6).toString('hex')}`): Promise<ClientSocket> {
  const socket: ClientSocket = connect(server.url, { auth: { token: who.token, deviceId }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.add(socket);
  // Listen before the handshake completes: the server speaks (presence, late rings) right after it.
  inboxes.set(socket, new Inbox(socket));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return socket;
}

const inboxes = new WeakMap<ClientSocket, Inbox>();

/** Everything this device has received since it connected. */
export function inbox(socket: ClientSocket): Inbox {
  const found = inboxes.get(socket);
  if (!found) throw new Error('not a device() socket');
  return found;
}

export function closeAllSockets(): void {
  for (const socket of sockets) socket.disconnect();
  sockets.clear();
}

type EventName = keyof ServerToClientEvents;
type EventPayload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/** Records every event a socket receives, so tests can wait for one or assert one never came. */
export class Inbox {
  readonly events: { name: EventName; payload: unknown }[] = [];
  private waiters: (() => void)[] = [];

  constructor(socket: ClientSocket) {
    socket.onAny((name: EventName, payload: unknown) => {
      this.events.push({ name, payload });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  all<E extends EventName>(name: E): EventPayload<E>[] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload as EventPayload<E>);
  }

  /** The first `name` event matching `where` (already received or still to come). */
  async next<E extends EventName>(name: E, where: (payload: EventPayload<E>) => boolean = () => true, timeoutMs = 4000): Promise<EventPayload<E>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.all(name).find(where);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${name} event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.name))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** Emits a client event and resolves with the server's acknowledgement. */
export function emit<E extends keyof ClientToServerEvents>(socket: ClientSocket, event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<AckOf<E>> {
  return emitRaw(socket, event, payload) as Promise<AckOf<E>>;
}

/** Emits anything at all, as a hostile client would. */
export function emitRaw(socket: ClientSocket, event: string, payload: unknown): Promise<unknown> {
  return (socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } }).timeout(4000).emitWithAck(event, payload);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface TestCall {
  alice: AuthResponse;
  bob: AuthResponse;
  /** Alice's device that placed the call, and Bob's device. */
  aliceSocket: ClientSocket;
  bobSocket: ClientSocket;
  callId: string;
}

/** A couple with one device each, Alice calling and Bob's device ringing. */
export async function ringingCall(server: { url: string }, options: { type?: 'voice' | 'video'; bobDeviceId?: string } = {}): Promise<TestCall> {
  const { alice, bob } = await couple(server);
  const aliceSocket = await device(server, alice);
  const bobSocket = await device(server, bob, options.bobDeviceId);
  const start = await emit(aliceSocket, 'call:start', { type: options.type ?? 'video' });
  if (!start.ok) throw new Error(`call:start failed: ${JSON.stringify(start)}`);
  await inbox(bobSocket).next('call:incoming');
  return { alice, bob, aliceSocket, bobSocket, callId: start.callId };
}

/** The same, answered by Bob's device. */
export async function connectedCall(server: { url: string }, options: { type?: 'voice' | 'video'; bobDeviceId?: string } = {}): Promise<TestCall> {
  const call = await ringingCall(server, options);
  const ack = await emit(call.bobSocket, 'call:accept', { callId: call.callId });
  if (!ack.ok) throw new Error(`call:accept failed: ${JSON.stringify(ack)}`);
  await inbox(call.aliceSocket).next('call:accepted');
  return call;
}

/** Polls `condition` until it holds, failing after `timeoutMs` (no fixed sleeps racing the server). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 4000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await sleep(20);
  }
}
