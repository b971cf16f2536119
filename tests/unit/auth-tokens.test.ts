// Access tokens expire exactly ACCESS_TOKEN_TTL_SEC after issue, on the service's clock.
import { describe, expect, it } from 'vitest';
import { TokenService } from '../../server/auth/tokens';

const user = { id: 'u1', username: 'ayse', displayName: 'Ayşe' };

describe('access tokens', () => {
  it('are accepted until their lifetime is up and refused from then on', async () => {
    let now = Date.parse('2026-01-01T12:00:00Z');
    const tokens = new TokenService('secret', 900, () => now);
    const token = await tokens.issueAccess(user, 'session-1');
    expect(await tokens.verifyAccess(token)).toMatchObject({ userId: 'u1', sessionId: 'session-1' });
    now += 899_000;
    expect(await tokens.verifyAccess(token)).toMatchObject({ userId: 'u1', sessionId: 'session-1' });
    now += 1000;
    expect(await tokens.verifyAccess(token)).toBeNull();
  });

  it('are refused when signed with another secret', async () => {
    const token = await new TokenService('another secret', 900).issueAccess(user, 'session-1');
    expect(await new TokenService('secret', 900).verifyAccess(token)).toBeNull();
  });
});
