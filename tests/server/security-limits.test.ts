// Limits on socket events and connections: over a limit the client gets
// RATE_LIMITED with a retry hint, nothing is written, and nobody is rung.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallsPage, WireError } from '../../src-shared/protocol';
import { api, closeAllSockets, couple, device, emit, emitRaw, inbox, ringingCall, startServer, waitUntil, type TestServer } from './helpers';

const servers: TestServer[] = [];
async function serverWith(env: Record<string, string>): Promise<TestServer> {
  const server = await startServer(env);
  servers.push(server);
  return server;
}
afterEach(() => closeAllSockets());
afterAll(async () => {
  for (const server of servers) await server.close();
});

type AckLike = { ok: boolean; error?: WireError };

async function history(server: TestServer, token: string): Promise<CallsPage['calls']> {
  return (await api<CallsPage>(server, 'GET', '/api/calls?limit=100', { token })).body.calls;
}

describe('call:start', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverWith({ CALL_START_BURST: '4', CALL_START_PER_MIN: '1' });
  });

  it('one socket flooding call:start writes only the burst; the rest get RATE_LIMITED with retryAfterMs', async () => {
    const { alice, bob } = await couple(server);
    const socket = await device(server, alice);
    // Bob is offline: every accepted start would log a missed call in his history.
    const acks = (await Promise.all(Array.from({ length: 40 }, () => emit(socket, 'call:start', { type: 'voice' })))) as AckLike[];
    const limited = acks.filter((ack) => ack.error?.code === 'RATE_LIMITED');
    expect(acks.length - limited.length).toBe(4);
    expect(limited).toHaveLength(36);
    for (const ack of limited) expect(ack.error?.retryAfterMs).toBeGreaterThan(0);
    expect(await history(server, bob.token)).toHaveLength(4);
  });

  it('the budget is per user: a second socket of the same user shares it', async () => {
    const { alice } = await couple(server);
    const first = await device(server, alice);
    const second = await device(server, alice);
    for (let i = 0; i < 4; i++) await emit(first, 'call:start', { type: 'voice' });
    expect(await emit(second, 'call:start', { type: 'voice' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});

describe('calls per couple', () => {
  it('are capped per minute across both partners; over the cap nothing is logged', async () => {
    const server = await serverWith({ CALLS_PER_COUPLE_PER_MIN: '3' });
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ack = (await emit(aliceSocket, 'call:start', { type: 'voice' })) as AckLike;
      codes.push(ack.error?.code ?? 'ok');
    }
    expect(codes).toEqual(['PARTNER_OFFLINE', 'PARTNER_OFFLINE', 'PARTNER_OFFLINE']);
    aliceSocket.disconnect();
    const bobSocket = await device(server, bob);
    const over = (await emit(bobSocket, 'call:start', { type: 'voice' })) as AckLike;
    expect(over.error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(over.error?.retryAfterMs).toBeGreaterThan(0);
    expect(over.error?.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(await history(server, bob.token)).toHaveLength(3);
  });
});

describe('every socket event', () => {
  it('has a per-socket budget: a flood of junk is turned away and the server keeps serving', async () => {
    const server = await serverWith({ SOCKET_EVENTS_BURST: '10', SOCKET_EVENTS_PER_MIN: '1' });
    const { alice } = await couple(server);
    const socket = await device(server, alice);
    const acks = (await Promise.all(Array.from({ length: 30 }, () => emitRaw(socket, 'call:hangup', { callId: 'nope' })))) as AckLike[];
    expect(acks.filter((ack) => ack.error?.code === 'CALL_NOT_FOUND')).toHaveLength(10);
    expect(acks.filter((ack) => ack.error?.code === 'RATE_LIMITED')).toHaveLength(20);
    // Another device of the same user has its own budget.
    const other = await device(server, alice);
    expect(await emit(other, 'call:hangup', { callId: 'nope' })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
  });

  it('has a per-user budget across the user\'s sockets', async () => {
    const server = await serverWith({ USER_EVENTS_BURST: '6', USER_EVENTS_PER_MIN: '1' });
    const { alice } = await couple(server);
    const sockets = [await device(server, alice), await device(server, alice), await device(server, alice)];
    const acks = (await Promise.all(sockets.flatMap((s) => [1, 2, 3].map(() => emit(s, 'call:hangup', { callId: 'nope' }))))) as AckLike[];
    expect(acks.filter((ack) => ack.error?.code === 'RATE_LIMITED')).toHaveLength(3);
  });
});

describe('connections', () => {
  it('are capped per user: one more socket than allowed is refused with RATE_LIMITED', async () => {
    const server = await serverWith({ SOCKETS_PER_USER: '3' });
    const { alice } = await couple(server);
    for (let i = 0; i < 3; i++) await device(server, alice);
    await expect(device(server, alice)).rejects.toThrow(/RATE_LIMITED/);
  });

  it('reconnect churn reaches the partner as a few presence changes, ending in the true state', async () => {
    // A wide interval, so the churn below fits in one even on a loaded machine.
    const server = await serverWith({ PRESENCE_DEBOUNCE_MS: '4000' });
    const { alice, bob } = await couple(server);
    const aliceInbox = inbox(await device(server, alice));
    await aliceInbox.next('presence');
    const before = aliceInbox.all('presence').length;
    for (let i = 0; i < 20; i++) (await device(server, bob)).disconnect();
    await waitUntil(() => aliceInbox.all('presence').length > before, 10_000, 'a presence change to reach Alice');
    const changes = aliceInbox.all('presence').slice(before);
    // 20 connects and 20 disconnects used to send 40 events; now they arrive as one or two.
    expect(changes.length).toBeLessThanOrEqual(2);
    await waitUntil(() => aliceInbox.all('presence').at(-1)?.online === false, 10_000, 'Alice to see Bob offline');
  });
});

describe('a start racing an unpair on another node', () => {
  it('cannot be answered, nor carry signals, once the couple is no longer paired', async () => {
    const server = await serverWith({});
    const { aliceSocket, bobSocket, callId, alice } = await ringingCall(server);
    // The unpair lands in the store (as from another node) before this node hears of it.
    await server.heartline.store.unpair(alice.user.id);
    expect(await emit(bobSocket, 'call:accept', { callId })).toMatchObject({ ok: false, error: { code: 'NOT_PAIRED' } });
    expect(await server.heartline.store.getCall(callId)).toMatchObject({ status: 'ringing', answeredAt: null });
    expect(await emit(aliceSocket, 'call:start', { type: 'voice' })).toMatchObject({ ok: false, error: { code: 'NOT_PAIRED' } });
  });

  it('signals stop between former partners', async () => {
    const server = await serverWith({});
    const { aliceSocket, bobSocket, callId, alice } = await ringingCall(server);
    expect(await emit(bobSocket, 'call:accept', { callId })).toEqual({ ok: true });
    await server.heartline.store.unpair(alice.user.id);
    expect(await emit(aliceSocket, 'call:signal', { callId, data: { type: 'offer', sdp: 'x' } })).toMatchObject({ ok: false, error: { code: 'NOT_PAIRED' } });
    expect(inbox(bobSocket).all('call:signal')).toEqual([]);
  });
});
