// Hostile and broken clients: each gets an error ack, changes nothing, reaches
// nobody, and the server keeps serving.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallsPage } from '../../src-shared/protocol';
import { api, closeAllSockets, connectedCall, couple, device, emit, emitRaw, inbox, settle, startServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RING_TIMEOUT_MS: '10000' });
});
afterAll(() => server.close());
afterEach(() => closeAllSockets());

describe("a stranger's socket", () => {
  it('cannot accept, decline, hang up or signal into someone else\'s call', async () => {
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    const bobSocket = await device(server, bob);
    const start = await emit(aliceSocket, 'call:start', { type: 'video' });
    const callId = start.ok ? start.callId : '';
    await inbox(bobSocket).next('call:incoming');

    const { alice: mallory } = await couple(server);
    const strangerSocket = await device(server, mallory);
    for (const event of ['call:accept', 'call:decline', 'call:hangup'] as const) {
      expect(await emit(strangerSocket, event, { callId }), event).toEqual({ ok: false, error: { code: 'CALL_NOT_FOUND', message: 'no such call' } });
    }
    expect(await emit(strangerSocket, 'call:signal', { callId, data: { type: 'offer', sdp: 'evil' } })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });

    // Nothing changed: Bob still rings and can answer; nobody got the stranger's signal.
    expect(await emit(bobSocket, 'call:accept', { callId })).toEqual({ ok: true });
    await settle(aliceSocket, bobSocket);
    expect(inbox(aliceSocket).all('call:signal')).toEqual([]);
    expect(inbox(bobSocket).all('call:signal')).toEqual([]);
  });

  it('naming another user in a payload changes nothing: identity comes from the token', async () => {
    const { alice, bob } = await couple(server);
    const bobSocket = await device(server, bob);
    const { alice: mallory } = await couple(server);
    const malSocket = await device(server, mallory);
    // Extra fields are stripped; Mallory calls her own partner (offline), never Bob.
    const ack = await emitRaw(malSocket, 'call:start', { type: 'voice', from: alice.user.id, to: bob.user.id, callerId: alice.user.id });
    expect(ack).toMatchObject({ ok: false, error: { code: 'PARTNER_OFFLINE' } });
    await settle(bobSocket);
    expect(inbox(bobSocket).all('call:incoming')).toEqual([]);
    const bobHistory = await api<CallsPage>(server, 'GET', '/api/calls', { token: bob.token });
    expect(bobHistory.body.calls).toEqual([]);
  });
});

describe('junk payloads', () => {
  const junk: unknown[] = [undefined, null, 0, 42, 'call', true, [], [1, 2], {}, { type: 'fax' }, { type: 42 }, { callId: 5 }, { callId: '' }, { callId: 'x'.repeat(1000) }, { callId: { $ne: null } }];

  it.each(['call:start', 'call:accept', 'call:decline', 'call:hangup', 'call:signal'])('%s answers BAD_REQUEST to every malformed payload', async (event) => {
    const { alice } = await couple(server);
    const socket = await device(server, alice);
    for (const payload of junk) {
      const ack = (await emitRaw(socket, event, payload)) as { ok: boolean; error?: { code: string } };
      expect(ack.ok, `${event} ${JSON.stringify(payload)}`).toBe(false);
      expect(ack.error?.code, `${event} ${JSON.stringify(payload)}`).toBe('BAD_REQUEST');
    }
    expect(socket.connected).toBe(true);
  });

  it('signal data that is not an object is refused and not relayed', async () => {
    const { aliceSocket, bobSocket, callId } = await connectedCall(server);
    for (const data of ['sdp as a string', 12, null, ['a'], undefined]) {
      expect(await emitRaw(aliceSocket, 'call:signal', { callId, data })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    await settle(bobSocket);
    expect(inbox(bobSocket).all('call:signal')).toEqual([]);
  });

  it('a 200 KiB signal gets PAYLOAD_TOO_LARGE, is not relayed, and the call carries on', async () => {
    const { aliceSocket, bobSocket, callId } = await connectedCall(server);
    const huge = { type: 'offer', sdp: 'a'.repeat(200 * 1024) };
    expect(await emit(aliceSocket, 'call:signal', { callId, data: huge })).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    const justOver = { type: 'offer', sdp: 'a'.repeat(64 * 1024) };
    expect(await emit(aliceSocket, 'call:signal', { callId, data: justOver })).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    await settle(bobSocket);
    expect(inbox(bobSocket).all('call:signal')).toEqual([]);
    const fine = { type: 'offer', sdp: 'a'.repeat(60 * 1024) };
    expect(await emit(aliceSocket, 'call:signal', { callId, data: fine })).toEqual({ ok: true });
    expect((await inbox(bobSocket).next('call:signal')).data).toEqual(fine);
  });

  it('events without an ack callback, and unknown events, do not crash the server', async () => {
    const { aliceSocket } = await connectedCall(server);
    const raw = aliceSocket as unknown as { emit(event: string, ...args: unknown[]): void };
    raw.emit('call:start', { type: 'video' });
    raw.emit('call:hangup');
    raw.emit('no:such:event', { x: 1 }, () => undefined);
    raw.emit('call:signal', 'a', 'b', 'c');
    await settle(aliceSocket);
    expect((await api(server, 'GET', '/healthz')).body).toEqual({ ok: true });
    expect(aliceSocket.connected).toBe(true);
  });

  it('REST: wrong types, oversized bodies and unknown routes get the error shape', async () => {
    const { alice } = await couple(server);
    const tooBig = await api(server, 'POST', '/api/auth/login', { body: { username: 'x', password: 'p'.repeat(100 * 1024) } });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const wrong = await api(server, 'POST', '/api/pairing/accept', { token: alice.token, body: { code: ['AAAA'] } });
    expect(wrong.status).toBe(400);
    const missing = await api(server, 'GET', '/api/nope', { token: alice.token });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await api(server, 'GET', '/healthz')).status).toBe(200);
  });
});
