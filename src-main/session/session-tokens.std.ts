// Main owns the refresh token: the renderer asks here for a fresh access token and
// never sees the refresh token after handing a new sign-in over. One refresh at a
// time (the token rotates, so two parallel refreshes would race and the second
// would be taken for theft); a refused token signs out; an unreachable server does not.
import { z } from 'zod';
import type { AccessTokenReply, StoredSession } from '../../src-shared/ipc';
import type { RefreshResponse } from '../../src-shared/protocol';

export interface SessionKeeper {
  load(): StoredSession | null;
  save(session: unknown): { ok: boolean };
  clear(): void;
}

/** The part of fetch this uses (injected: tests answer like the server does). */
export type FetchLike = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string }) => Promise<{ status: number; json(): Promise<unknown> }>;

export interface SessionTokensDeps {
  store: SessionKeeper;
  serverUrl(): string;
  fetch: FetchLike;
  log(message: string): void;
}

/** The server's reply is untrusted input too. */
const RefreshReplySchema = z.object({ token: z.string().min(1).max(4096), refreshToken: z.string().min(1).max(512) }) satisfies z.ZodType<RefreshResponse>;

export const NETWORK_ERROR = 'NETWORK';

export class SessionTokens {
  private refreshing: Promise<AccessTokenReply> | null = null;

  constructor(private readonly deps: SessionTokensDeps) {}

  accessToken(): Promise<AccessTokenReply> {
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Signs out at the server (best effort) and forgets the session here. */
  async logout(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
    const session = this.deps.store.load();
    this.deps.store.clear();
    if (!session) return;
    try {
      await this.post('/api/auth/logout', { refreshToken: session.refreshToken });
    } catch (error) {
      this.deps.log(`logout: server not reached (${(error as Error).message}); signed out here`);
    }
  }

  private async refresh(): Promise<AccessTokenReply> {
    const session = this.deps.store.load();
    if (!session) return { ok: true, value: null };
    let reply: { status: number; json(): Promise<unknown> };
    try {
      reply = await this.post('/api/auth/refresh', { refreshToken: session.refreshToken });
    } catch (error) {
      return { ok: false, error: `${NETWORK_ERROR}: ${(error as Error).message}` };
    }
    if (reply.status === 401) {
      this.deps.log('session: the server refused the refresh token; signed out');
      this.deps.store.clear();
      return { ok: true, value: null };
    }
    const parsed = reply.status === 200 ? RefreshReplySchema.safeParse(await reply.json().catch(() => null)) : null;
    if (!parsed?.success) return { ok: false, error: `refresh failed (HTTP ${reply.status})` };
    // Saved before the token goes out: a crash now must not leave the old, rotated-away token on disk.
    this.deps.store.save({ refreshToken: parsed.data.refreshToken, user: session.user });
    return { ok: true, value: { token: parsed.data.token } };
  }

  private post(path: string, body: unknown) {
    return this.deps.fetch(new URL(path, `${this.deps.serverUrl()}/`).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
}
