// Who is signed in, and every REST call on their behalf. The access token lives in
// memory only. The refresh token: in the desktop app, in main only (the page hands a
// new sign-in over and then asks main for fresh access tokens; main refreshes); in a
// browser, in localStorage when the user chose "keep me signed in" (shared by every
// tab, kept across restarts) and in sessionStorage (this tab only) otherwise.
import type {
  AcceptInviteResponse,
  ApiErrorBody,
  AuthResponse,
  CallsPage,
  ErrorCode,
  IceServersResponse,
  InviteResponse,
  MeResponse,
  MissedCallsResponse,
  RefreshResponse,
  User,
} from '../../src-shared/protocol';
import { ERROR_CODES } from '../../src-shared/protocol';
import type { HeartlineApi } from '../../src-shared/ipc';
import { bridge } from '../platform/bridge';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The server's code, or NETWORK when the server could not be reached. */
    readonly code: ErrorCode | 'NETWORK',
    message: string,
  ) {
    super(message);
  }
}

const REFRESH_KEY = 'heartline.refreshToken';
/** Tabs sharing a kept refresh token take turns rotating it (a rotated-away token revokes the sign-in). */
const REFRESH_LOCK = 'heartline.refresh';
/** Refresh the access token this long before it expires. */
const REFRESH_MARGIN_MS = 60_000;

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; notice: ErrorCode | null }
  | { status: 'signed-in'; user: User; partner: User | null };

function expiryOf(token: string): number {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

const isErrorCode = (value: unknown): value is ErrorCode => ERROR_CODES.some((code) => code === value);

export class Session {
  private state: SessionState = { status: 'loading' };
  private readonly listeners = new Set<() => void>();
  private accessToken: string | null = null;
  private refreshing: Promise<string | null> | null = null;
  /** Browser only: where the refresh token lives (localStorage when true). */
  private persistent = true;

  constructor(private readonly baseUrl: string) {
    // Logging out in another tab signs this one out too.
    if (typeof window !== 'undefined' && !bridge()) {
      window.addEventListener('storage', (event) => {
        if (event.key === REFRESH_KEY && event.newValue === null && this.state.status === 'signed-in' && !this.browserRefreshToken()) {
          void this.forget(null);
        }
      });
    }
  }

  // ------------------------------------------------------------ store for React

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private setState(next: SessionState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  get user(): User | null {
    return this.state.status === 'signed-in' ? this.state.user : null;
  }

  get partner(): User | null {
    return this.state.status === 'signed-in' ? this.state.partner : null;
  }

  setPartner(partner: User | null): void {
    if (this.state.status === 'signed-in') this.setState({ ...this.state, partner });
  }

  // ------------------------------------------------------------ sign in and out

  /** Restores a sign-in kept from before (this tab, or the desktop app's store). */
  async restore(): Promise<void> {
    const api = bridge();
    const kept = api ? (await api.session.load()) !== null : this.browserRefreshToken() !== null;
    if (!kept) return this.setState({ status: 'signed-out', notice: null });
    const token = await this.refresh();
    if (!token) return this.setState({ status: 'signed-out', notice: null });
    try {
      await this.reloadMe();
    } catch {
      this.setState({ status: 'signed-out', notice: null });
    }
  }

  /** `keepSignedIn`: in a browser, the sign-in outlives the tab and is shared by every tab. */
  async login(username: string, password: string, keepSignedIn = true): Promise<void> {
    const auth = await this.send<AuthResponse>('POST', '/api/auth/login', { username, password }, false);
    await this.signedIn(auth, keepSignedIn);
  }

  async register(username: string, password: string, displayName?: string, keepSignedIn = true): Promise<void> {
    const body = displayName ? { username, password, displayName } : { username, password };
    const auth = await this.send<AuthResponse>('POST', '/api/auth/register', body, false);
    await this.signedIn(auth, keepSignedIn);
  }

  async logout(): Promise<void> {
    const api = bridge();
    const refreshToken = api ? null : this.browserRefreshToken();
    if (api) await api.session.logout().catch(() => undefined);
    else if (refreshToken) await this.send('POST', '/api/auth/logout', { refreshToken }, false).catch(() => undefined);
    // The next person to sign in on this computer must not see this history.
    await bridge()?.history.clear().catch(() => undefined);
    await this.forget(null);
  }

  private async signedIn(auth: AuthResponse, keepSignedIn: boolean): Promise<void> {
    this.accessToken = auth.token;
    this.persistent = keepSignedIn;
    await this.storeRefreshToken(auth.refreshToken, auth.user);
    // One state change, with the partner: the window never shows "no partner" in between.
    await this.reloadMe();
  }

  async reloadMe(): Promise<void> {
    const me = await this.request<MeResponse>('GET', '/api/me');
    this.setState({ status: 'signed-in', user: me.user, partner: me.partner });
  }

  private async forget(notice: ErrorCode | null): Promise<void> {
    this.accessToken = null;
    try {
      window.sessionStorage.removeItem(REFRESH_KEY);
      window.localStorage.removeItem(REFRESH_KEY);
    } catch {
      // storage disabled
    }
    await bridge()?.session.clear();
    this.setState({ status: 'signed-out', notice });
  }

  // ------------------------------------------------------------ tokens

  /** A valid access token, refreshed when close to expiry; null when signed out. */
  async token(): Promise<string | null> {
    if (this.accessToken && expiryOf(this.accessToken) - Date.now() > REFRESH_MARGIN_MS) return this.accessToken;
    return this.refresh();
  }

  /** One refresh at a time: the refresh token rotates, so two parallel refreshes would race. */
  private refresh(): Promise<string | null> {
    const locks = typeof navigator !== 'undefined' && !bridge() ? navigator.locks : undefined;
    const run = async (): Promise<string | null> => (locks ? ((await locks.request(REFRESH_LOCK, () => this.doRefresh())) as string | null) : this.doRefresh());
    this.refreshing ??= run().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string | null> {
    const api = bridge();
    if (api) return this.accessTokenFromMain(api);
    const refreshToken = this.browserRefreshToken();
    if (!refreshToken) return null;
    try {
      const reply = await this.send<RefreshResponse>('POST', '/api/auth/refresh', { refreshToken }, false);
      this.accessToken = reply.token;
      await this.storeRefreshToken(reply.refreshToken, this.user);
      return reply.token;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        await this.forget(this.state.status === 'signed-in' ? 'UNAUTHORIZED' : null);
        return null;
      }
      throw error;
    }
  }

  /** Desktop: main refreshes with the token it keeps; null when main says signed out. */
  private async accessTokenFromMain(api: HeartlineApi): Promise<string | null> {
    const reply = await api.session.accessToken();
    if (!reply.ok) throw new ApiError(0, 'NETWORK', reply.error);
    if (!reply.value) {
      await this.forget(this.state.status === 'signed-in' ? 'UNAUTHORIZED' : null);
      return null;
    }
    this.accessToken = reply.value.token;
    return reply.value.token;
  }

  /** This tab's own token first, then the kept one (read afresh: another tab may have rotated it). */
  private browserRefreshToken(): string | null {
    try {
      const own = window.sessionStorage.getItem(REFRESH_KEY);
      if (own) {
        this.persistent = false;
        return own;
      }
      const kept = window.localStorage.getItem(REFRESH_KEY);
      if (kept) this.persistent = true;
      return kept;
    } catch {
      return null;
    }
  }

  private async storeRefreshToken(refreshToken: string, user: User | null): Promise<void> {
    const api = bridge();
    if (api) {
      // A new sign-in goes to main, which keeps the refresh token from here on.
      if (user) await api.session.save({ refreshToken, user });
      return;
    }
    try {
      const [keep, drop] = this.persistent ? [window.localStorage, window.sessionStorage] : [window.sessionStorage, window.localStorage];
      keep.setItem(REFRESH_KEY, refreshToken);
      drop.removeItem(REFRESH_KEY);
    } catch {
      // storage disabled: the sign-in lasts as long as this page
    }
  }

  // ------------------------------------------------------------ REST

  /** An authenticated request; one refresh-and-retry when the token was refused. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await this.send<T>(method, path, body, true);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      const token = await this.refresh();
      if (!token) throw error;
      return this.send<T>(method, path, body, true);
    }
  }

  private async send<T>(method: string, path: string, body: unknown, authed: boolean): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authed) {
      const token = this.accessToken && expiryOf(this.accessToken) - Date.now() > REFRESH_MARGIN_MS ? this.accessToken : await this.refresh();
      if (!token) throw new ApiError(401, 'UNAUTHORIZED', 'signed out');
      headers.authorization = `Bearer ${token}`;
    }
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
      });
    } catch (error) {
      throw new ApiError(0, 'NETWORK', (error as Error).message);
    }
    if (response.status === 204) return undefined as T;
    const json = (await response.json().catch(() => null)) as unknown;
    if (!response.ok) {
      const wire = (json as Partial<ApiErrorBody> | null)?.error;
      const code = isErrorCode(wire?.code) ? wire.code : 'INTERNAL';
      throw new ApiError(response.status, code, wire?.message ?? response.statusText);
    }
    return json as T;
  }

  // ------------------------------------------------------------ typed endpoints

  createInvite = (): Promise<InviteResponse> => this.request('POST', '/api/pairing/invite');
  acceptInvite = (code: string): Promise<AcceptInviteResponse> => this.request('POST', '/api/pairing/accept', { code });
  unpair = (): Promise<void> => this.request('DELETE', '/api/pairing');
  calls = (limit: number, before?: string): Promise<CallsPage> =>
    this.request('GET', `/api/calls?limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`);
  missedCalls = (since?: string): Promise<MissedCallsResponse> =>
    this.request('GET', `/api/calls/missed${since ? `?since=${encodeURIComponent(since)}` : ''}`);
  iceServers = (): Promise<IceServersResponse> => this.request('GET', '/api/ice-servers');
}
