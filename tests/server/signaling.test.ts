// The rules a call follows, driven through real sockets against a real server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Call, CallsPage } from '../../src-shared/protocol';
import { api, closeAllSockets, connectedCall, couple, device, emit, inbox, register, ringingCall, settle, startServer, waitFor, waitUntil, type TestServer } from './helpers';

const SWEEP_MS = 50;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RING_TIMEOUT_MS: '1200', CALL_GRACE_MS: '400', CALL_SWEEP_MS: String(SWEEP_MS) });
});
afterAll(() => server.close());
afterEach(() => closeAllSockets());

async function history(token: string): Promise<Call[]> {
  return (await api<CallsPage>(server, 'GET', '/api/calls', { token })).body.calls;
}

describe('placing and answering a call', () => {
  it('rings every one of Bob\'s devices with the caller, the call and when the ring ends', async () => {
    const { alice, bob } = await couple(server);
    const aliceLaptop = await device(server, alice);
    const bobLaptop = inbox(await device(server, bob));
    const bobPhone = inbox(await device(server, bob));

    const ack = await emit(aliceLaptop, 'call:start', { type: 'video' });
    expect(ack.ok).toBe(true);
    const callId = ack.ok ? ack.callId : '';

    for (const inbox of [bobLaptop, bobPhone]) {
      const ring = await inbox.next('call:incoming');
      expect(ring.call).toMatchObject({ id: callId, callerId: alice.user.id, calleeId: bob.user.id, type: 'video', status: 'ringing' });
      expect(ring.from).toEqual(alice.user);
      expect(Date.parse(ring.expiresAt) - Date.parse(ring.call.createdAt)).toBe(1200);
    }
  });

  it("Bob's laptop stops ringing when he answers on his phone, and Alice hears he answered", async () => {
    const { alice, bob } = await couple(server);
    const aliceLaptop = await device(server, alice);
    const aliceInbox = inbox(aliceLaptop);
    const bobLaptopSocket = await device(server, bob);
    const bobLaptop = inbox(bobLaptopSocket);
    const bobPhoneSocket = await device(server, bob);
    const bobPhone = inbox(bobPhoneSocket);

    const start = await emit(aliceLaptop, 'call:start', { type: 'voice' });
    const callId = start.ok ? start.callId : '';
    await bobPhone.next('call:incoming');

    expect(await emit(bobPhoneSocket, 'call:accept', { callId })).toEqual({ ok: true });
    expect(await aliceInbox.next('call:accepted')).toEqual({ callId });
    expect(await bobLaptop.next('call:ended')).toMatchObject({ callId, status: 'connected', reason: 'answered_elsewhere' });
    await settle(bobPhoneSocket);
    expect(bobPhone.all('call:ended')).toEqual([]);

    // The laptop lost the race: it cannot answer any more.
    const late = await emit(bobLaptopSocket, 'call:accept', { callId });
    expect(late).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
  });

  it('relays signals only between the two devices in the call', async () => {
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    const alicePhoneSocket = await device(server, alice);
    const alicePhone = inbox(alicePhoneSocket);
    const aliceInbox = inbox(aliceSocket);
    const bobLaptopSocket = await device(server, bob);
    const bobLaptop = inbox(bobLaptopSocket);
    const bobPhoneSocket = await device(server, bob);
    const bobPhone = inbox(bobPhoneSocket);

    const start = await emit(aliceSocket, 'call:start', { type: 'video' });
    const callId = start.ok ? start.callId : '';
    await bobPhone.next('call:incoming');
    await emit(bobPhoneSocket, 'call:accept', { callId });

    const offer = { type: 'offer', sdp: 'v=0 fake offer' };
    expect(await emit(bobPhoneSocket, 'call:signal', { callId, data: offer })).toEqual({ ok: true });
    expect(await aliceInbox.next('call:signal')).toEqual({ callId, data: offer });

    const answer = { type: 'answer', sdp: 'v=0 fake answer' };
    await emit(aliceSocket, 'call:signal', { callId, data: answer });
    expect(await bobPhone.next('call:signal')).toEqual({ callId, data: answer });

    // The device that did not answer may not inject signals, and hears none.
    const intruder = await emit(bobLaptopSocket, 'call:signal', { callId, data: { candidate: 'x' } });
    expect(intruder).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    await settle(bobLaptopSocket, alicePhoneSocket, aliceSocket);
    expect(bobLaptop.all('call:signal')).toEqual([]);
    expect(alicePhone.all('call:signal')).toEqual([]);
    expect(aliceInbox.all('call:signal')).toHaveLength(1);
  });

  it('refuses signals before the call is answered', async () => {
    const { aliceSocket, bobSocket, callId } = await ringingCall(server);
    const bobInbox = inbox(bobSocket);
    const early = await emit(aliceSocket, 'call:signal', { callId, data: { type: 'offer', sdp: 'x' } });
    expect(early).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    await settle(bobSocket);
    expect(bobInbox.all('call:signal')).toEqual([]);
  });

  it('hang-up ends the call for both and logs the same server-timed duration on both sides', async () => {
    const { alice, bob, aliceSocket, bobSocket, callId } = await connectedCall(server);
    const aliceInbox = inbox(aliceSocket);
    const bobInbox = inbox(bobSocket);
    // Let at least a second of the call go by, so the logged duration is not zero.
    const acceptedAt = Date.now();
    await waitFor(() => Date.now() - acceptedAt, (elapsed) => elapsed >= 1000);

    expect(await emit(aliceSocket, 'call:hangup', { callId })).toEqual({ ok: true });
    expect(await bobInbox.next('call:ended')).toMatchObject({ callId, status: 'ended', reason: 'hangup' });
    expect(await aliceInbox.next('call:ended')).toMatchObject({ callId, status: 'ended', reason: 'hangup' });

    const [aliceView] = await history(alice.token);
    const [bobView] = await history(bob.token);
    expect(aliceView).toEqual(bobView);
    expect(aliceView).toMatchObject({ id: callId, status: 'ended', endReason: 'hangup', type: 'video' });
    const answeredAt = Date.parse(aliceView?.answeredAt ?? '');
    const endedAt = Date.parse(aliceView?.endedAt ?? '');
    expect(endedAt - answeredAt).toBeGreaterThanOrEqual(1000);
    // The duration is the server's, from its own answer and end times.
    expect(aliceView?.durationSec).toBe(Math.round((endedAt - answeredAt) / 1000));
  });
});

describe('calls that do not connect', () => {
  it('Bob declines: Alice is told, and both histories say declined', async () => {
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    const aliceInbox = inbox(aliceSocket);
    const bobSocket = await device(server, bob);
    const bobPhone = inbox(await device(server, bob));
    const start = await emit(aliceSocket, 'call:start', { type: 'voice' });
    const callId = start.ok ? start.callId : '';
    await bobPhone.next('call:incoming');

    expect(await emit(bobSocket, 'call:decline', { callId })).toEqual({ ok: true });
    expect(await aliceInbox.next('call:ended')).toMatchObject({ callId, status: 'declined', reason: 'declined' });
    expect(await bobPhone.next('call:ended')).toMatchObject({ callId, reason: 'declined' });
    expect((await history(bob.token))[0]).toMatchObject({ id: callId, status: 'declined', durationSec: 0, answeredAt: null });
  });

  it('Alice cancels while it rings: Bob stops ringing and sees a missed call', async () => {
    const { bob, aliceSocket, bobSocket, callId } = await ringingCall(server);
    const bobInbox = inbox(bobSocket);

    expect(await emit(aliceSocket, 'call:hangup', { callId })).toEqual({ ok: true });
    expect(await bobInbox.next('call:ended')).toMatchObject({ callId, status: 'missed', reason: 'canceled' });
    const missed = await api<{ calls: Call[] }>(server, 'GET', '/api/calls/missed', { token: bob.token });
    expect(missed.body.calls.map((c) => c.id)).toEqual([callId]);
  });

  it('an unanswered ring becomes missed (timeout) after RING_TIMEOUT_MS', async () => {
    const { bob, aliceSocket, bobSocket, callId } = await ringingCall(server, { type: 'voice' });
    const aliceInbox = inbox(aliceSocket);
    const bobInbox = inbox(bobSocket);

    const ended = await bobInbox.next('call:ended', () => true, 3000);
    expect(ended).toMatchObject({ callId, status: 'missed', reason: 'timeout' });
    expect(await aliceInbox.next('call:ended')).toEqual(ended);
    expect((await history(bob.token))[0]).toMatchObject({ id: callId, status: 'missed', endReason: 'timeout' });
  });

  it('calling a partner with no device online logs a missed call they find later', async () => {
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    const ack = await emit(aliceSocket, 'call:start', { type: 'video' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'PARTNER_OFFLINE' } });
    const callId = ack.ok ? '' : ack.error.callId;
    expect(callId).toBeTruthy();
    const missed = await api<{ calls: Call[] }>(server, 'GET', '/api/calls/missed', { token: bob.token });
    expect(missed.body.calls).toHaveLength(1);
    expect(missed.body.calls[0]).toMatchObject({ id: callId, status: 'missed', endReason: 'partner_offline', callerId: alice.user.id });
  });

  it('one call per couple: the second press gets CALL_IN_PROGRESS with the ringing call', async () => {
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    const bobSocket = await device(server, bob);
    const first = await emit(aliceSocket, 'call:start', { type: 'video' });
    const second = await emit(bobSocket, 'call:start', { type: 'voice' });
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'CALL_IN_PROGRESS', callId: first.ok ? first.callId : 'x' } });
    // Bob turns his press into answering Alice's call: one call, not two missed ones.
    expect(await emit(bobSocket, 'call:accept', { callId: first.ok ? first.callId : '' })).toEqual({ ok: true });
    expect((await history(bob.token)).filter((c) => c.status === 'missed')).toEqual([]);
  });

  it('both pressing call at the same instant still yields exactly one call', async () => {
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    const bobSocket = await device(server, bob);
    const acks = await Promise.all([emit(aliceSocket, 'call:start', { type: 'video' }), emit(bobSocket, 'call:start', { type: 'video' })]);
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    expect(acks.filter((a) => !a.ok && a.error.code === 'CALL_IN_PROGRESS')).toHaveLength(1);
    expect(await history(alice.token)).toHaveLength(1);
  });

  it('calling with no partner is refused with NOT_PAIRED and logs nothing', async () => {
    const loner = await register(server, 'Loner');
    const socket = await device(server, loner);
    expect(await emit(socket, 'call:start', { type: 'voice' })).toMatchObject({ ok: false, error: { code: 'NOT_PAIRED' } });
    expect(await history(loner.token)).toEqual([]);
  });
});

describe('connections that drop', () => {
  it('a connected call ends as connection_lost when one side stays gone past the grace period', async () => {
    const { alice, aliceSocket, bobSocket, callId } = await connectedCall(server);
    const aliceInbox = inbox(aliceSocket);

    bobSocket.disconnect();
    expect(await aliceInbox.next('call:ended', () => true, 3000)).toMatchObject({ callId, status: 'ended', reason: 'connection_lost' });
    expect((await history(alice.token))[0]).toMatchObject({ id: callId, status: 'ended', endReason: 'connection_lost' });
  });

  it('a device that reconnects within the grace period keeps the call', async () => {
    const { bob, aliceSocket, bobSocket, callId } = await connectedCall(server, { bobDeviceId: 'bob-laptop-1' });
    const aliceInbox = inbox(aliceSocket);

    const { store } = server.heartline;
    bobSocket.disconnect();
    // The server saw the device go: the call's grace deadline is set, in the call's row.
    const gone = await waitFor(() => store.getCall(callId), (call) => typeof call?.graceDeadline === 'number');
    const back = await device(server, bob, 'bob-laptop-1');
    const backInbox = inbox(back);
    // Back in time: the deadline is lifted, and the call outlives it by several sweeps.
    await waitFor(() => store.getCall(callId), (call) => call?.graceDeadline === null);
    await waitFor(() => Date.now(), (now) => now > (gone?.graceDeadline ?? 0) + 5 * SWEEP_MS);
    expect((await store.getCall(callId))?.status).toBe('connected');
    await settle(aliceSocket);
    expect(aliceInbox.all('call:ended')).toEqual([]);
    // The same device, reconnected, still gets the call's signals.
    await emit(aliceSocket, 'call:signal', { callId, data: { type: 'offer', sdp: 'after reconnect' } });
    expect((await backInbox.next('call:signal')).data).toEqual({ type: 'offer', sdp: 'after reconnect' });
    expect(await emit(back, 'call:hangup', { callId })).toEqual({ ok: true });
  });

  it('a device that gave up on a dead connection ends the call as connection_lost for both; a late hang-up changes nothing', async () => {
    const { aliceSocket, bobSocket, callId } = await connectedCall(server);
    const aliceInbox = inbox(aliceSocket);
    const bobInbox = inbox(bobSocket);
    expect(await emit(bobSocket, 'call:hangup', { callId, reason: 'connection_lost' })).toEqual({ ok: true });
    expect(await aliceInbox.next('call:ended')).toMatchObject({ callId, status: 'ended', reason: 'connection_lost' });
    expect(await bobInbox.next('call:ended')).toMatchObject({ callId, status: 'ended', reason: 'connection_lost' });
    // The partner's own deadline fires a moment later: refused, the first ending stays.
    expect(await emit(aliceSocket, 'call:hangup', { callId, reason: 'connection_lost' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await emit(aliceSocket, 'call:hangup', { callId, reason: 'gone' } as unknown as { callId: string })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('"connection lost" for a call that never connected is an ordinary cancel', async () => {
    const { aliceSocket, bobSocket, callId } = await ringingCall(server);
    const bobInbox = inbox(bobSocket);
    expect(await emit(aliceSocket, 'call:hangup', { callId, reason: 'connection_lost' })).toEqual({ ok: true });
    expect(await bobInbox.next('call:ended')).toMatchObject({ callId, status: 'missed', reason: 'canceled' });
  });

  it('unpairing ends the call, tells both, disconnects their sockets, and they can no longer call', async () => {
    const { alice, bob, aliceSocket, bobSocket, callId } = await connectedCall(server);
    const aliceInbox = inbox(aliceSocket);
    const bobInbox = inbox(bobSocket);

    expect((await api(server, 'DELETE', '/api/pairing', { token: bob.token })).status).toBe(204);
    expect(await aliceInbox.next('call:ended')).toMatchObject({ callId, status: 'ended', reason: 'unpaired' });
    expect(await aliceInbox.next('pairing:changed')).toEqual({ partner: null });
    expect(await bobInbox.next('pairing:changed')).toEqual({ partner: null });
    await waitUntil(() => !aliceSocket.connected && !bobSocket.connected);
    const aliceAgain = await device(server, alice);
    expect(await emit(aliceAgain, 'call:start', { type: 'voice' })).toMatchObject({ ok: false, error: { code: 'NOT_PAIRED' } });
    const late = await emit(aliceAgain, 'call:signal', { callId, data: { type: 'offer', sdp: 'x' } });
    expect(late.ok).toBe(false);
  });
});

describe('presence', () => {
  it('each partner sees the other come online, go in a call, and leave', async () => {
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    const aliceInbox = inbox(aliceSocket);
    expect(await aliceInbox.next('presence')).toEqual({ userId: bob.user.id, online: false, inCall: false });

    const bobSocket = await device(server, bob);
    const bobInbox = inbox(bobSocket);
    expect(await aliceInbox.next('presence', (p) => p.online)).toEqual({ userId: bob.user.id, online: true, inCall: false });
    expect(await bobInbox.next('presence')).toEqual({ userId: alice.user.id, online: true, inCall: false });

    await emit(aliceSocket, 'call:start', { type: 'voice' });
    expect(await aliceInbox.next('presence', (p) => p.inCall)).toEqual({ userId: bob.user.id, online: true, inCall: true });

    bobSocket.disconnect();
    expect(await aliceInbox.next('presence', (p) => !p.online && p !== aliceInbox.all('presence')[0])).toMatchObject({ userId: bob.user.id, online: false });
  });

  it('a device that comes online while its user is being called rings too', async () => {
    const { alice, bob } = await couple(server);
    const aliceSocket = await device(server, alice);
    await device(server, bob);
    const start = await emit(aliceSocket, 'call:start', { type: 'video' });
    const lateDevice = inbox(await device(server, bob));
    const ring = await lateDevice.next('call:incoming');
    expect(ring.call.id).toBe(start.ok ? start.callId : '');
  });
});
