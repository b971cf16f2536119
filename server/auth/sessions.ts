// Whether an access token still speaks for a live sign-in: its signature and
// expiry (the JWT), and its session (refresh-token family) not ended by logout
// or reuse detection. The session lives in the store, so this holds on every node.
import type { Store, UserRecord } from '../store/types';
import type { AccessClaims, TokenService } from './tokens';

export class Sessions {
  constructor(
    private readonly tokens: TokenService,
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user and claims of a token whose session is live, or null. */
  async verify(token: string): Promise<{ user: UserRecord; claims: AccessClaims } | null> {
    const claims = await this.tokens.verifyAccess(token);
    if (!claims || !(await this.isLive(claims))) return null;
    const user = await this.store.findUserById(claims.userId);
    return user ? { user, claims } : null;
  }

  /** Checked again on every socket event: a socket must not outlive its token or its sign-in. */
  async isLive(claims: AccessClaims): Promise<boolean> {
    const now = this.now();
    return claims.expiresAt > now && (await this.store.isSessionLive(claims.sessionId, now));
  }
}
