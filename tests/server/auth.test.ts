// Accounts: register, log in, stay signed in (rotating refresh), log out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import type { AuthResponse, MeResponse, RefreshResponse } from '../../src-shared/protocol';
import { api, device, register, startServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ ACCESS_TOKEN_TTL_SEC: '1' });
});
afterAll(() => server.close());

describe('register', () => {
  it('creates the account and signs the user in', async () => {
    const reply = await api<AuthResponse>(server, 'POST', '/api/auth/register', {
      body: { username: 'Ayse', password: 'cok gizli sifre', displayName: 'Ayşe' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.user).toMatchObject({ username: 'ayse', displayName: 'Ayşe' });
    expect(reply.body.token.split('.')).toHaveLength(3);
    expect(reply.body.refreshToken.length).toBeGreaterThan(30);
    expect(JSON.stringify(reply.body)).not.toContain('cok gizli');
  });

  it('refuses a taken username (in any case) with 409', async () => {
    await register(server, 'Taken');
    const first = await api<AuthResponse>(server, 'POST', '/api/auth/register', { body: { username: 'mehmet', password: 'mehmetin sifresi' } });
    expect(first.status).toBe(201);
    const again = await api(server, 'POST', '/api/auth/register', { body: { username: 'MEHMET', password: 'baska bir sifre' } });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: { code: 'USERNAME_TAKEN', message: 'that username is taken' } });
  });

  it.each([
    [{ username: 'ab', password: 'password123' }, 'username'],
    [{ username: 'has space', password: 'password123' }, 'username'],
    [{ username: 'okname', password: 'short' }, 'password'],
    [{ username: 'okname' }, 'password'],
    [{ username: 42, password: 'password123' }, 'username'],
    [{ username: 'okname', password: 'password123', displayName: '' }, 'displayName'],
  ])('answers 400 with a readable reason for %j', async (body, field) => {
    const reply = await api<{ error: { code: string; message: string } }>(server, 'POST', '/api/auth/register', { body });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('BAD_REQUEST');
    expect(reply.body.error.message).toContain(field);
  });

  it('answers malformed JSON with 400 in the same error shape', async () => {
    const reply = await api<{ error: { code: string } }>(server, 'POST', '/api/auth/register', { rawBody: '{"username": ' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('BAD_REQUEST');
  });
});

describe('login', () => {
  it('signs in with the right password and refuses a wrong one with 401', async () => {
    const user = await register(server, 'Login');
    const ok = await api<AuthResponse>(server, 'POST', '/api/auth/login', { body: { username: user.user.username, password: 'correct horse battery' } });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual(user.user);
    const wrong = await api(server, 'POST', '/api/auth/login', { body: { username: user.user.username, password: 'wrong password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    const unknown = await api(server, 'POST', '/api/auth/login', { body: { username: 'nobody-here', password: 'whatever1' } });
    expect(unknown.status).toBe(401);
  });
});

describe('tokens', () => {
  it('GET /api/me needs a valid token', async () => {
    const user = await register(server, 'Me');
    const me = await api<MeResponse>(server, 'GET', '/api/me', { token: user.token });
    expect(me.body).toEqual({ user: user.user, partner: null });
    expect((await api(server, 'GET', '/api/me')).status).toBe(401);
    expect((await api(server, 'GET', '/api/me', { token: 'not-a-jwt' })).status).toBe(401);
  });

  it('rejects a forged token (wrong secret) on REST and at the socket handshake', async () => {
    const user = await register(server, 'Forged');
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.user.id)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not the server secret'));
    const reply = await api(server, 'GET', '/api/me', { token: forged });
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    await expect(device(server, { token: forged })).rejects.toThrow(/UNAUTHORIZED/);
    await expect(device(server, { token: '' })).rejects.toThrow(/UNAUTHORIZED/);
  });

  it('an expired access token is refused; the refresh token gets a new one and rotates', async () => {
    const user = await register(server, 'Expiring');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await api(server, 'GET', '/api/me', { token: user.token })).status).toBe(401);
    await expect(device(server, user)).rejects.toThrow(/UNAUTHORIZED/);

    const refreshed = await api<RefreshResponse>(server, 'POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(user.refreshToken);
    expect((await api(server, 'GET', '/api/me', { token: refreshed.body.token })).status).toBe(200);

    // The old refresh token was used up; presenting it again (a stolen copy) ends the whole sign-in.
    expect((await api(server, 'POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(401);
    expect((await api(server, 'POST', '/api/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(401);
  });

  it('logout revokes the refresh token', async () => {
    const user = await register(server, 'Leaving');
    expect((await api(server, 'POST', '/api/auth/logout', { body: { refreshToken: user.refreshToken } })).status).toBe(204);
    expect((await api(server, 'POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(401);
  });

  it('the desktop app (app://heartline) may call the API cross-origin; other sites may not read replies', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight('app://heartline')).headers.get('access-control-allow-origin')).toBe('app://heartline');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('health check answers without a token', async () => {
    expect(await api(server, 'GET', '/healthz')).toMatchObject({ status: 200, body: { ok: true } });
  });
});
