// Sessions that really end: a socket is refused (UNAUTHORIZED, then disconnected)
// once its token expires or its sign-in ends, and a signed-out access token stops
// working on REST at once, not when it expires.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse, RefreshResponse } from '../../src-shared/protocol';
import { hashRefreshToken as hashOf } from '../../server/auth/tokens';
import { api, closeAllSockets, couple, device, emit, inbox, register, startServer, waitUntil, type ClientSocket, type TestServer } from './helpers';

const TOKEN_TTL_SEC = 3;
let server: TestServer;
/** Access tokens of a few seconds, for the expiry test. */
let shortLived: TestServer;
beforeAll(async () => {
  server = await startServer();
  shortLived = await startServer({ ACCESS_TOKEN_TTL_SEC: String(TOKEN_TTL_SEC) });
});
afterAll(async () => {
  await server.close();
  await shortLived.close();
});
afterEach(() => closeAllSockets());

const expiryOf = (token: string): number => (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number }).exp * 1000;

async function expectRefusedAndClosed(socket: ClientSocket): Promise<void> {
  expect(await emit(socket, 'call:start', { type: 'video' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  await waitUntil(() => !socket.connected, 4000, 'the server to disconnect the socket');
}

describe('a socket whose token expired', () => {
  it('is disconnected by the server when the token expires, even idle; the expired token is refused at the door', async () => {
    const alice = await register(shortLived, 'Alice');
    // A fresh token (refreshing costs no password hash, so it is seconds from expiry, not less).
    const token = (await refreshed(shortLived, alice)).token;
    const aliceSocket = await device(shortLived, { token });
    await waitUntil(() => !aliceSocket.connected, (TOKEN_TTL_SEC + 3) * 1000, "Alice's socket to be ended at its token's expiry");
    expect(Date.now()).toBeGreaterThanOrEqual(expiryOf(token) - 50);
    await expect(device(shortLived, { token })).rejects.toThrow(/UNAUTHORIZED/);
  });
});

async function refreshed(on: TestServer, user: AuthResponse): Promise<RefreshResponse> {
  const reply = await api<RefreshResponse>(on, 'POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } });
  expect(reply.status).toBe(200);
  return reply.body;
}

describe('signing out', () => {
  it('disconnects that sign-in\'s sockets at once, and its access token stops working on REST and sockets', async () => {
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    // The same user signed in elsewhere (another sign-in) keeps going.
    const elsewhere = await api<AuthResponse>(server, 'POST', '/api/auth/login', { body: { username: alice.user.username, password: 'correct horse battery' } });
    const otherSocket = await device(server, elsewhere.body);
    const bobSocket = await device(server, bob);

    expect((await api(server, 'POST', '/api/auth/logout', { body: { refreshToken: alice.refreshToken } })).status).toBe(204);
    await waitUntil(() => !aliceSocket.connected, 4000, 'the signed-out socket to close');
    expect((await api(server, 'GET', '/api/me', { token: alice.token })).status).toBe(401);
    await expect(device(server, alice)).rejects.toThrow(/UNAUTHORIZED/);

    expect(otherSocket.connected).toBe(true);
    expect((await api(server, 'GET', '/api/me', { token: elsewhere.body.token })).status).toBe(200);
    expect(await emit(otherSocket, 'call:start', { type: 'voice' })).toMatchObject({ ok: true });
    await inbox(bobSocket).next('call:incoming');
  });

  it('an event that races the sign-out is refused too (the session is checked on every event)', async () => {
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    const bobSocket = await device(server, bob);
    // Revoke in the store only, as a sign-out on another node would before its disconnect arrives.
    await server.heartline.store.revokeRefreshToken(hashOf(alice.refreshToken), Date.now());
    await expectRefusedAndClosed(aliceSocket);
    expect(inbox(bobSocket).all('call:incoming')).toEqual([]);
  });
});

describe('a replayed refresh token (theft detected)', () => {
  it('ends the sign-in: its sockets are disconnected and its access tokens refused', async () => {
    const { alice } = await couple(server);
    const aliceSocket = await device(server, alice);
    const next = await refreshed(server, alice);
    expect((await api(server, 'POST', '/api/auth/refresh', { body: { refreshToken: alice.refreshToken } })).status).toBe(401);
    await waitUntil(() => !aliceSocket.connected, 4000, 'the socket of the stolen sign-in to close');
    expect((await api(server, 'GET', '/api/me', { token: next.token })).status).toBe(401);
  });
});
