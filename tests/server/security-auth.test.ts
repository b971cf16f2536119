// The doors before a session: login and registration limited per client address
// (IPv6 per /64) across all usernames, TRUST_PROXY that a client cannot game,
// invite codes that cannot be guessed at speed, weak passwords and unsafe display
// names refused, TURN relays only for paired users.
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, AuthResponse, IceServersResponse, InviteResponse } from '../../src-shared/protocol';
import { api, couple, pair, register, startServer, type TestServer } from './helpers';

const servers: TestServer[] = [];
async function serverWith(env: Record<string, string>): Promise<TestServer> {
  const server = await startServer(env);
  servers.push(server);
  return server;
}
afterAll(async () => {
  for (const server of servers) await server.close();
});

function post(server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}, token?: string) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as ApiErrorBody, headers: response.headers }));
}

const login = (server: TestServer, username: string, password: string, headers?: Record<string, string>) => post(server, '/api/auth/login', { username, password }, headers);

describe('login', () => {
  it('is limited per address across all usernames: spreading guesses over many names does not help', async () => {
    const server = await serverWith({ LOGIN_MAX: '6' });
    const victim = await register(server, 'Victim');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(server, `someone${i}`, 'guess-guess')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    const limited = await login(server, victim.user.username, 'correct horse battery');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.body.error.retryAfterMs).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored: a forged one does not reset the limit', async () => {
    const server = await serverWith({ LOGIN_MAX: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(server, 'nobody', 'guess-guess', { 'x-forwarded-for': `10.0.0.${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('with TRUST_PROXY=1 the address is the one the proxy saw, not what the client wrote in front of it', async () => {
    const server = await serverWith({ LOGIN_MAX: '3', TRUST_PROXY: '1' });
    const statuses: number[] = [];
    // The client forges a left-most entry; the proxy appends the real address (203.0.113.7).
    for (let i = 0; i < 5; i++) statuses.push((await login(server, 'nobody', 'guess-guess', { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.7` })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // A different real client behind the same proxy has its own budget.
    expect((await login(server, 'nobody', 'guess-guess', { 'x-forwarded-for': '203.0.113.8' })).status).toBe(401);
  });

  it('counts an IPv6 /64 as one address (each host of a network does not get its own budget)', async () => {
    const server = await serverWith({ LOGIN_MAX: '3', TRUST_PROXY: '1' });
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await login(server, 'nobody', 'guess-guess', { 'x-forwarded-for': `2001:db8:1:2::${i.toString(16)}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await login(server, 'nobody', 'guess-guess', { 'x-forwarded-for': '2001:db8:1:3::1' })).status).toBe(401);
  });
});

describe('registration', () => {
  it('is limited per address; over the limit no account is created', async () => {
    const server = await serverWith({ REGISTER_MAX: '2' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(server, '/api/auth/register', { username: `signup${i}`, password: 'correct horse battery' })).status);
    expect(statuses).toEqual([201, 201, 429]);
    expect(await server.heartline.store.findUserByUsername('signup2')).toBeUndefined();
  });

  it('refuses the most common passwords and the username as password', async () => {
    const server = await serverWith({});
    for (const [username, password] of [['deniz', 'password'], ['deniz', '12345678'], ['deniz', 'iloveyou1'], ['deniz.kaya', 'deniz.kaya']]) {
      const reply = await post(server, '/api/auth/register', { username, password });
      expect(reply.status, password).toBe(400);
      expect(reply.body.error.message).toMatch(/password/);
    }
    expect(await server.heartline.store.findUserByUsername('deniz')).toBeUndefined();
  });

  it('stores display names NFC-normalised and refuses direction overrides, invisible and zalgo names', async () => {
    const server = await serverWith({});
    const ok = await post(server, '/api/auth/register', { username: 'ayse', password: 'correct horse battery', displayName: ' Ays\u0327e ' });
    expect((ok.body as unknown as AuthResponse).user.displayName).toBe('Ay\u015fe');
    for (const displayName of ['\u202Eevil', '\u200B\u200B\u200B', 'a\u0007b', 'e' + '\u0301'.repeat(64)]) {
      const reply = await post(server, '/api/auth/register', { username: 'mallory', password: 'correct horse battery', displayName });
      expect(reply.status, JSON.stringify(displayName)).toBe(400);
      expect(reply.body.error.message).toMatch(/displayName/);
    }
  });
});

describe('invite codes', () => {
  it('are rate-limited per user, even from many addresses', async () => {
    const server = await serverWith({ INVITE_ACCEPT_MAX: '3', TRUST_PROXY: '1' });
    const guesser = await register(server, 'Guesser');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(server, '/api/pairing/accept', { code: 'ABCD-EFGH' }, { 'x-forwarded-for': `198.51.100.${i}` }, guesser.token)).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
  });

  it('are rate-limited per address, across users', async () => {
    const server = await serverWith({ INVITE_ACCEPT_MAX: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const user = await register(server, `Sybil${i}`);
      statuses.push((await post(server, '/api/pairing/accept', { code: 'ABCD-EFGH' }, {}, user.token)).status);
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
  });

  it('one live code per user: a new code revokes the old; pairing revokes both users\' codes', async () => {
    const server = await serverWith({});
    const [alice, bob, stranger] = [await register(server, 'Alice'), await register(server, 'Bob'), await register(server, 'Stranger')];
    const invite = async (who: AuthResponse) => (await api<InviteResponse>(server, 'POST', '/api/pairing/invite', { token: who.token })).body.code;
    const oldCode = await invite(alice);
    const newCode = await invite(alice);
    const bobsCode = await invite(bob);
    expect((await api(server, 'POST', '/api/pairing/accept', { token: bob.token, body: { code: oldCode } })).status).toBe(410);
    expect((await api(server, 'POST', '/api/pairing/accept', { token: bob.token, body: { code: newCode } })).status).toBe(200);
    expect((await api(server, 'DELETE', '/api/pairing', { token: alice.token })).status).toBe(204);
    // After the couple unpairs, none of their earlier codes pairs a stranger.
    for (const code of [oldCode, bobsCode]) expect((await api(server, 'POST', '/api/pairing/accept', { token: stranger.token, body: { code } })).status).toBe(410);
  });
});

describe('TURN credentials', () => {
  const turnEnv = { STUN_URLS: 'stun:127.0.0.1:3478', TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET: 's3cret' };

  it('go only to paired users, valid one hour at most, with their expiry', async () => {
    const server = await serverWith(turnEnv);
    const loner = await register(server, 'Loner');
    const unpaired = await api<IceServersResponse>(server, 'GET', '/api/ice-servers', { token: loner.token });
    expect(unpaired.body).toEqual({ iceServers: [{ urls: ['stun:127.0.0.1:3478'] }], reconnectDeadlineMs: 30_000 });

    const partner = await register(server, 'Partner');
    await pair(server, loner, partner);
    const before = Date.now();
    const paired = (await api<IceServersResponse>(server, 'GET', '/api/ice-servers', { token: loner.token })).body;
    const turn = paired.iceServers.find((server) => server.username);
    const expiresAtMs = Number(turn?.username?.split(':')[0]) * 1000;
    expect(expiresAtMs).toBeGreaterThan(before);
    expect(expiresAtMs).toBeLessThanOrEqual(before + 3600_000 + 1000);
    expect(Date.parse(paired.expiresAt ?? '')).toBe(expiresAtMs);
  });
});

describe('CORS', () => {
  it('lets an allowed origin use every method the API has (DELETE /api/pairing included)', async () => {
    const server = await serverWith({ CORS_ORIGINS: 'https://web.example' });
    const { alice } = await couple(server);
    for (const origin of ['app://heartline', 'https://web.example']) {
      const preflight = await fetch(`${server.url}/api/pairing`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');
    }
    expect((await api(server, 'DELETE', '/api/pairing', { token: alice.token })).status).toBe(204);
  });
});
