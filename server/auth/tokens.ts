// Short-lived access tokens (HS256 JWT) and long-lived opaque refresh tokens,
// of which only a SHA-256 hash is stored.
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { User } from '../../src-shared/protocol';

export interface AccessClaims {
  userId: string;
  /** The sign-in (refresh-token family) the token belongs to: it dies with it. */
  sessionId: string;
  /** Epoch milliseconds after which the token is refused. */
  expiresAt: number;
}

export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly accessTtlSec: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async issueAccess(user: User, sessionId: string): Promise<string> {
    return new SignJWT({ name: user.username, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(`${this.accessTtlSec}s`)
      .sign(this.key);
  }

  /** The token's claims, or null when it is forged, expired or malformed (the session is the caller's to check). */
  async verifyAccess(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      const { sub, sid, exp } = payload;
      return typeof sub === 'string' && typeof sid === 'string' && typeof exp === 'number' ? { userId: sub, sessionId: sid, expiresAt: exp * 1000 } : null;
    } catch {
      return null;
    }
  }
}

export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
