// Main keeps the refresh token and refreshes for the renderer: a fake server that
// rotates tokens like the real one (a rotated-away token is refused).
import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../src-shared/ipc';
import { SessionTokens, type FetchLike } from '../../src-main/session/session-tokens.std';

const user = { id: 'me', username: 'me', displayName: 'Me' };

function setup(options: { unreachable?: boolean } = {}) {
  let stored: StoredSession | null = { refreshToken: 'r0', user };
  let valid = 'r0';
  let issued = 0;
  const requests: { url: string; body: unknown }[] = [];
  let release: (() => void) | null = null;
  let hold = false;
  const fetch: FetchLike = async (url, init) => {
    requests.push({ url, body: JSON.parse(init.body) });
    if (options.unreachable) throw new Error('connect ECONNREFUSED');
    if (hold) await new Promise<void>((resolve) => (release = resolve));
    const { refreshToken } = JSON.parse(init.body) as { refreshToken: string };
    if (url.endsWith('/api/auth/logout')) return { status: 204, json: async () => null };
    if (refreshToken !== valid) return { status: 401, json: async () => ({ error: { code: 'UNAUTHORIZED', message: 'no' } }) };
    issued += 1;
    valid = `r${issued}`;
    return { status: 200, json: async () => ({ token: `access-${issued}`, refreshToken: valid }) };
  };
  const log: string[] = [];
  const tokens = new SessionTokens({
    store: {
      load: () => stored,
      save: (session) => {
        stored = session as StoredSession;
        return { ok: true };
      },
      clear: () => (stored = null),
    },
    serverUrl: () => 'https://calls.example.org',
    fetch,
    log: (line) => log.push(line),
  });
  return {
    tokens,
    requests,
    log,
    stored: () => stored,
    holdReplies: () => (hold = true),
    releaseReply: () => release?.(),
  };
}

describe('SessionTokens (main refreshes)', () => {
  it('refreshes with the kept token, keeps the rotated one, and hands out only the access token', async () => {
    const { tokens, requests, stored } = setup();
    expect(await tokens.accessToken()).toEqual({ ok: true, value: { token: 'access-1' } });
    expect(requests[0]).toEqual({ url: 'https://calls.example.org/api/auth/refresh', body: { refreshToken: 'r0' } });
    expect(stored()?.refreshToken).toBe('r1');
    expect(await tokens.accessToken()).toEqual({ ok: true, value: { token: 'access-2' } });
    expect(stored()?.refreshToken).toBe('r2');
  });

  it('runs one refresh for callers that ask at once (a second would be taken for theft)', async () => {
    const { tokens, requests, holdReplies, releaseReply } = setup();
    holdReplies();
    const first = tokens.accessToken();
    const second = tokens.accessToken();
    await expect.poll(() => requests.length).toBe(1);
    releaseReply();
    expect(await first).toEqual(await second);
    expect(requests).toHaveLength(1);
  });

  it('signs out when the server refuses the refresh token', async () => {
    const { tokens, stored, log } = setup();
    await tokens.accessToken();
    // Another device reused an old token: the server revoked the sign-in.
    const session = stored()!;
    session.refreshToken = 'r0';
    expect(await tokens.accessToken()).toEqual({ ok: true, value: null });
    expect(stored()).toBeNull();
    expect(log.join()).toMatch(/refused the refresh token/);
  });

  it('keeps the session when the server cannot be reached', async () => {
    const { tokens, stored } = setup({ unreachable: true });
    const reply = await tokens.accessToken();
    expect(reply).toMatchObject({ ok: false, error: expect.stringMatching(/^NETWORK/) });
    expect(stored()?.refreshToken).toBe('r0');
  });

  it('answers signed out without a request when nothing is kept; logout tells the server and forgets', async () => {
    const { tokens, requests, stored } = setup();
    await tokens.logout();
    expect(requests).toEqual([{ url: 'https://calls.example.org/api/auth/logout', body: { refreshToken: 'r0' } }]);
    expect(stored()).toBeNull();
    expect(await tokens.accessToken()).toEqual({ ok: true, value: null });
    expect(requests).toHaveLength(1);
  });
});
