// The STUN/TURN list for one call: fetched once when a call starts (in parallel with
// opening the camera), shared by every connection of that call, forgotten after it.
// TURN credentials last an hour at most: a minute before they expire, fresh ones are
// fetched and handed to `onRefreshed` (the live connection takes them).
import type { IceServer, IceServersResponse } from '../../src-shared/protocol';
import { NamedTimers } from './named-timers';

/** Whether the list has a TURN relay (relay-only calls need one). */
export function hasTurn(servers: readonly IceServer[]): boolean {
  return servers.some((server) => (Array.isArray(server.urls) ? server.urls : [server.urls]).some((url) => /^turns?:/i.test(url)));
}

export class IceServerCache {
  private pending: Promise<IceServer[]> | null = null;
  private value: IceServer[] | null = null;
  private deadlineMs: number | null = null;
  /** Bumped on reset, so a fetch from an earlier call cannot fill this one. */
  private epoch = 0;

  constructor(
    private readonly fetchServers: () => Promise<IceServersResponse>,
    private readonly onRefreshed: (servers: IceServer[]) => void = () => undefined,
    private readonly timers: NamedTimers<'refresh'> = new NamedTimers(),
  ) {}

  /** Starts the fetch unless one is under way or done; a failure means host candidates only. */
  prefetch(): Promise<IceServer[]> {
    if (this.pending) return this.pending;
    const epoch = this.epoch;
    this.pending = this.fetchServers()
      .then((reply) => {
        if (epoch === this.epoch) {
          this.refreshBefore(reply.expiresAt);
          this.deadlineMs = reply.reconnectDeadlineMs ?? null;
        }
        return reply.iceServers;
      })
      .catch((error: unknown) => {
        console.warn('heartline: no ICE servers, trying host candidates only', error);
        return [] as IceServer[];
      })
      .then((servers) => {
        if (epoch === this.epoch) this.value = servers;
        return servers;
      });
    return this.pending;
  }

  private refreshBefore(expiresAt: string | undefined): void {
    const delay = Date.parse(expiresAt ?? '') - Date.now() - 60_000;
    if (!Number.isFinite(delay)) return;
    this.timers.after('refresh', Math.max(5_000, delay), () => {
      this.pending = null;
      void this.prefetch().then((servers) => {
        if (servers.length) this.onRefreshed(servers);
      });
    });
  }

  /** The server's reconnect deadline for this call, null when it did not say (an older server). */
  get reconnectDeadlineMs(): number | null {
    return this.deadlineMs;
  }

  /** The list once fetched, null before. */
  get current(): IceServer[] | null {
    return this.value;
  }

  reset(): void {
    this.timers.clear('refresh');
    this.epoch += 1;
    this.pending = null;
    this.value = null;
    this.deadlineMs = null;
  }
}
