// Runs before every socket event: a socket whose token expired or whose sign-in
// ended is refused (UNAUTHORIZED, and the caller disconnects it); a socket or
// user over its event budget is refused (RATE_LIMITED). Cheap checks first, so
// a flood is turned away before it costs a store query.
import type { WireError } from '../../src-shared/protocol';
import type { Sessions } from '../auth/sessions';
import type { AccessClaims } from '../auth/tokens';
import { rateLimitedError } from '../limits/rate-limited';
import type { SocketLimits } from '../limits/socket-limits';

const SESSION_ENDED: WireError = { code: 'UNAUTHORIZED', message: 'this sign-in has expired or ended; reconnect with a fresh token' };

export function eventGuard(sessions: Sessions, limits: SocketLimits, now: () => number = Date.now) {
  return async function refusal(socketId: string, claims: AccessClaims): Promise<WireError | null> {
    if (claims.expiresAt <= now()) return SESSION_ENDED;
    const wait = limits.event(socketId, claims.userId);
    if (wait) return rateLimitedError(wait, 'too many events from this device');
    return (await sessions.isLive(claims)) ? null : SESSION_ENDED;
  };
}
