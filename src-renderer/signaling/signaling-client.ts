// The Socket.IO connection: authenticated with a fresh access token on every
// (re)connect, one stable device id per tab, typed with the shared event maps,
// every inbound event parsed before anyone sees it.
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../src-shared/protocol';
import { inbound } from './inbound';

export type HeartlineSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

const DEVICE_KEY = 'heartline.deviceId';
const ACK_TIMEOUT_MS = 10_000;

/** One id per tab (sessionStorage survives a reload, not a new tab): the server binds a call to it. */
export function deviceId(): string {
  try {
    const existing = window.sessionStorage.getItem(DEVICE_KEY);
    if (existing && /^[A-Za-z0-9_-]{8,64}$/.test(existing)) return existing;
    const fresh = `web-${crypto.randomUUID().replace(/-/g, '')}`;
    window.sessionStorage.setItem(DEVICE_KEY, fresh);
    return fresh;
  } catch {
    return `web-${crypto.randomUUID().replace(/-/g, '')}`;
  }
}

type Handlers = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] };
type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

const NO_ANSWER = 'no answer from the server';

/** The request got no acknowledgement at all (a timeout or a dropped socket), as opposed to a server's error. */
export const unanswered = (ack: Ack): boolean => !ack.ok && ack.error.code === 'INTERNAL' && ack.error.message === NO_ANSWER;

export class SignalingClient {
  readonly socket: HeartlineSocket;
  private status: ConnectionStatus = 'connecting';
  private readonly statusListeners = new Set<() => void>();
  private retryTimer: number | null = null;
  private retries = 0;
  private closed = false;

  constructor(
    serverUrl: string,
    private readonly getToken: () => Promise<string | null>,
    handlers: Handlers,
    private readonly onConnected: () => void,
  ) {
    const id = deviceId();
    this.socket = io(serverUrl, {
      // A function, so every reconnect carries a token that is still valid.
      auth: (cb) => {
        this.getToken()
          .then((token) => cb({ token: token ?? '', deviceId: id }))
          .catch(() => cb({ token: '', deviceId: id }));
      },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });

    this.socket.on('connect', () => {
      this.retries = 0;
      this.setStatus('connected');
      this.onConnected();
    });
    this.socket.on('disconnect', (reason) => {
      this.setStatus(this.closed ? 'disconnected' : 'connecting');
      // The server ends a socket whose token expired or whose sign-in changed, and a
      // restarting server closes every socket; socket.io does not retry either on its own:
      // reconnect, with a fresh token from getToken, so an answered call re-attaches.
      if (reason === 'io server disconnect' && !this.closed) this.socket.connect();
    });
    this.socket.on('connect_error', () => {
      this.setStatus('disconnected');
      // A refusal by the auth middleware stops socket.io's own retries: retry ourselves,
      // with a fresh token, backing off to 10 s.
      if (!this.socket.active && !this.closed) {
        const delay = Math.min(10_000, 500 * 2 ** Math.min(this.retries++, 5));
        if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
        this.retryTimer = window.setTimeout(() => {
          this.retryTimer = null;
          if (!this.closed) this.socket.connect();
        }, delay);
      }
    });

    for (const name of Object.keys(inbound) as Array<keyof typeof inbound>) {
      const handler = handlers[name];
      if (handler) this.on(name, handler);
    }
  }

  /** Listens to one server event, parsed first; returns the way to stop listening. */
  on<E extends keyof ServerToClientEvents>(name: E, handler: ServerToClientEvents[E]): () => void {
    const listener = (payload: unknown): void => {
      const parsed = inbound[name].safeParse(payload);
      if (parsed.success) (handler as (event: unknown) => void)(parsed.data);
      else console.warn(`heartline: dropped malformed ${name}`, parsed.error.issues[0]);
    };
    (this.socket.on as (event: string, listener: (payload: unknown) => void) => void)(name, listener);
    return () => (this.socket.off as (event: string, listener: (payload: unknown) => void) => void)(name, listener);
  }

  getStatus = (): ConnectionStatus => this.status;

  subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener();
  }

  /** Emits and waits for the acknowledgement; a timeout or a dropped socket becomes an error ack (see `unanswered`). */
  async request<E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0], timeoutMs = ACK_TIMEOUT_MS): Promise<AckOf<E>> {
    try {
      const timed = this.socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<AckOf<E>> };
      return await timed.emitWithAck(event, payload);
    } catch {
      const failure: Ack = { ok: false, error: { code: 'INTERNAL', message: NO_ANSWER } };
      return failure as AckOf<E>;
    }
  }

  /** Fire and forget (used while the page unloads). */
  emitNow<E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): void {
    (this.socket.emit as (e: string, p: unknown, ack: () => void) => void)(event, payload, () => undefined);
  }

  /**
   * A socket that looks connected but got no answer: after a link cut its TCP connection
   * may sit in retransmission back-off for tens of seconds after the link is back. Open a
   * fresh one (socket.io's own reconnect, with a fresh token, retries while the link is down).
   */
  renew(): void {
    if (this.closed || !this.socket.connected) return;
    this.socket.disconnect();
    this.socket.connect();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.socket.disconnect();
  }
}
