// Pairing: invite codes, one partner each, unpairing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AcceptInviteResponse, InviteResponse, MeResponse } from '../../src-shared/protocol';
import { api, closeAllSockets, device, inbox, pair, register, startServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
afterEach(() => closeAllSockets());

describe('pairing', () => {
  it('Alice invites, Bob types the code (any case, no dash): they are partners and Alice hears it at once', async () => {
    const alice = await register(server, 'Alice');
    const bob = await register(server, 'Bob');
    const aliceInbox = inbox(await device(server, alice));

    const invite = await api<InviteResponse>(server, 'POST', '/api/pairing/invite', { token: alice.token });
    expect(invite.status).toBe(201);
    expect(invite.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const ttl = Date.parse(invite.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(23.9 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);

    const typed = ` ${invite.body.code.replace('-', '').toLowerCase()} `;
    const accepted = await api<AcceptInviteResponse>(server, 'POST', '/api/pairing/accept', { token: bob.token, body: { code: typed } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.partner).toEqual(alice.user);
    expect(await aliceInbox.next('pairing:changed')).toEqual({ partner: bob.user });
    expect((await api<MeResponse>(server, 'GET', '/api/me', { token: alice.token })).body.partner).toEqual(bob.user);
  });

  it('a code works once: a second use answers 410', async () => {
    const alice = await register(server, 'Alice');
    const bob = await register(server, 'Bob');
    const carol = await register(server, 'Carol');
    const invite = await api<InviteResponse>(server, 'POST', '/api/pairing/invite', { token: alice.token });
    await api(server, 'POST', '/api/pairing/accept', { token: bob.token, body: { code: invite.body.code } });
    const reuse = await api(server, 'POST', '/api/pairing/accept', { token: carol.token, body: { code: invite.body.code } });
    expect(reuse.status).toBe(410);
    expect(reuse.body).toMatchObject({ error: { code: 'INVITE_GONE' } });
  });

  it('an expired code answers 410', async () => {
    const alice = await register(server, 'Alice');
    const bob = await register(server, 'Bob');
    const now = Date.now();
    await server.heartline.store.createInvite({ code: 'EXPRDCDE', inviterId: alice.user.id, createdAt: now - 25 * 3600_000, expiresAt: now - 3600_000 });
    const reply = await api(server, 'POST', '/api/pairing/accept', { token: bob.token, body: { code: 'EXPR-DCDE' } });
    expect(reply.status).toBe(410);
  });

  it('an unknown or malformed code answers 404; a missing one 400', async () => {
    const bob = await register(server, 'Bob');
    expect((await api(server, 'POST', '/api/pairing/accept', { token: bob.token, body: { code: 'ZZZZ-ZZZZ' } })).status).toBe(404);
    expect((await api(server, 'POST', '/api/pairing/accept', { token: bob.token, body: { code: '0O1I' } })).status).toBe(404);
    expect((await api(server, 'POST', '/api/pairing/accept', { token: bob.token, body: {} })).status).toBe(400);
  });

  it('one partner at most: inviting or accepting while paired answers 409', async () => {
    const alice = await register(server, 'Alice');
    const bob = await register(server, 'Bob');
    const carol = await register(server, 'Carol');
    const carolInvite = await api<InviteResponse>(server, 'POST', '/api/pairing/invite', { token: carol.token });
    await pair(server, alice, bob);
    expect((await api(server, 'POST', '/api/pairing/invite', { token: alice.token })).status).toBe(409);
    const accept = await api(server, 'POST', '/api/pairing/accept', { token: bob.token, body: { code: carolInvite.body.code } });
    expect(accept.status).toBe(409);
    expect(accept.body).toMatchObject({ error: { code: 'ALREADY_PAIRED' } });
  });

  it('your own code cannot pair you with yourself', async () => {
    const alice = await register(server, 'Alice');
    const invite = await api<InviteResponse>(server, 'POST', '/api/pairing/invite', { token: alice.token });
    const reply = await api(server, 'POST', '/api/pairing/accept', { token: alice.token, body: { code: invite.body.code } });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'OWN_INVITE' } });
  });

  it('unpairing frees both to pair again; their past calls stay in history', async () => {
    const alice = await register(server, 'Alice');
    const bob = await register(server, 'Bob');
    await pair(server, alice, bob);
    expect((await api(server, 'DELETE', '/api/pairing', { token: alice.token })).status).toBe(204);
    expect((await api<MeResponse>(server, 'GET', '/api/me', { token: bob.token })).body.partner).toBeNull();
    const carol = await register(server, 'Carol');
    await pair(server, bob, carol);
    expect((await api<MeResponse>(server, 'GET', '/api/me', { token: carol.token })).body.partner).toEqual(bob.user);
  });

  it('pairing routes need a token', async () => {
    expect((await api(server, 'POST', '/api/pairing/invite')).status).toBe(401);
    expect((await api(server, 'DELETE', '/api/pairing')).status).toBe(401);
  });
});
