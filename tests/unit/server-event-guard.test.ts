// The check before every socket event, on a fake clock: an expired token is refused
// without a store query, a flood is refused before one, a dead session after one.
import { describe, expect, it } from 'vitest';
import type { Sessions } from '../../server/auth/sessions';
import type { AccessClaims } from '../../server/auth/tokens';
import { loadLimits } from '../../server/limits/limits-config';
import { SocketLimits } from '../../server/limits/socket-limits';
import { eventGuard } from '../../server/socket/event-guard';
import type { Store } from '../../server/store/types';

function setup(live: boolean) {
  let now = 1_000_000;
  let sessionChecks = 0;
  const sessions = { isLive: async () => (sessionChecks++, live) } as unknown as Sessions;
  const limits = new SocketLimits(loadLimits({ SOCKET_EVENTS_BURST: '2', SOCKET_EVENTS_PER_MIN: '1' }), {} as Store, () => now);
  const refusal = eventGuard(sessions, limits, () => now);
  const claims: AccessClaims = { userId: 'u1', sessionId: 's1', expiresAt: now + 60_000 };
  return { refusal, claims, checks: () => sessionChecks, advance: (ms: number) => (now += ms) };
}

describe('the socket event guard', () => {
  it('lets a live session through, within its budget', async () => {
    const { refusal, claims } = setup(true);
    expect(await refusal('sock', claims)).toBeNull();
  });

  it('refuses an expired token with UNAUTHORIZED without asking the store', async () => {
    const { refusal, claims, checks, advance } = setup(true);
    advance(60_000);
    expect(await refusal('sock', claims)).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(checks()).toBe(0);
  });

  it('refuses an ended session with UNAUTHORIZED', async () => {
    const { refusal, claims } = setup(false);
    expect(await refusal('sock', claims)).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses a flood with RATE_LIMITED and a retry hint, before any store query', async () => {
    const { refusal, claims, checks } = setup(true);
    await refusal('sock', claims);
    await refusal('sock', claims);
    expect(await refusal('sock', claims)).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 60_000 });
    expect(checks()).toBe(2);
  });
});
