// Whether a call really happened (call:media), "Ringing…" (call:ringing), and the
// final record carried by call:ended, through real sockets against a real server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Call, CallsPage } from '../../src-shared/protocol';
import { api, closeAllSockets, connectedCall, couple, device, emit, emitRaw, inbox, ringingCall, startServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RING_TIMEOUT_MS: '3000', CALL_GRACE_MS: '300' });
});
afterAll(() => server.close());
afterEach(() => closeAllSockets());

async function history(token: string): Promise<Call[]> {
  return (await api<CallsPage>(server, 'GET', '/api/calls', { token })).body.calls;
}

describe('a call whose media never flowed', () => {
  it('is logged as failed with duration 0 when it is hung up, and both sides get that record', async () => {
    const { alice, bob, aliceSocket, bobSocket, callId } = await connectedCall(server, { media: false });
    expect(await emit(bobSocket, 'call:hangup', { callId })).toEqual({ ok: true });
    const toAlice = await inbox(aliceSocket).next('call:ended');
    const toBob = await inbox(bobSocket).next('call:ended');
    expect(toAlice).toMatchObject({ callId, status: 'ended', reason: 'failed' });
    expect(toAlice.call).toMatchObject({ id: callId, status: 'ended', endReason: 'failed', durationSec: 0 });
    expect(toBob).toEqual(toAlice);
    expect((await history(alice.token))[0]).toEqual(toAlice.call);
    expect((await history(bob.token))[0]).toEqual(toAlice.call);
  });

  it('is logged as failed when the answering device vanishes before media flowed', async () => {
    const { alice, aliceSocket, bobSocket, callId } = await connectedCall(server, { media: false });
    bobSocket.disconnect();
    const ended = await inbox(aliceSocket).next('call:ended', () => true, 3000);
    expect(ended).toMatchObject({ callId, status: 'ended', reason: 'failed', call: { durationSec: 0 } });
    expect((await history(alice.token))[0]).toMatchObject({ id: callId, endReason: 'failed' });
  });

  it('a call whose media flowed ends as a normal call, whichever device reported it', async () => {
    const { alice, aliceSocket, bobSocket, callId } = await connectedCall(server, { media: false });
    expect(await emit(aliceSocket, 'call:media', { callId })).toEqual({ ok: true });
    expect(await emit(bobSocket, 'call:media', { callId })).toEqual({ ok: true }); // the second report changes nothing
    await emit(aliceSocket, 'call:hangup', { callId });
    const ended = await inbox(bobSocket).next('call:ended');
    expect(ended).toMatchObject({ callId, status: 'ended', reason: 'hangup' });
    expect((await history(alice.token))[0]).toEqual(ended.call);
  });
});

describe('call:media is refused where it does not belong', () => {
  it('before the call is answered, from a device not in the call, from a stranger, and when malformed', async () => {
    const { alice, bob, aliceSocket, bobSocket, callId } = await ringingCall(server);
    expect(await emit(aliceSocket, 'call:media', { callId })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

    const bobPhone = await device(server, bob);
    expect(await emit(bobSocket, 'call:accept', { callId })).toEqual({ ok: true });
    expect(await emit(bobPhone, 'call:media', { callId })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });

    const strangers = await couple(server);
    const stranger = await device(server, strangers.alice);
    expect(await emit(stranger, 'call:media', { callId })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    expect(await emitRaw(aliceSocket, 'call:media', { callId: 42 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    // None of that counted as media: the call still ends as failed.
    await emit(aliceSocket, 'call:hangup', { callId });
    expect((await history(alice.token))[0]).toMatchObject({ id: callId, endReason: 'failed', durationSec: 0 });
  });
});

describe('call:ringing', () => {
  it("tells the caller's devices once a callee device has the ring, and only while it rings", async () => {
    const { alice, aliceSocket, bobSocket, callId } = await ringingCall(server);
    const alicePhone = inbox(await device(server, alice));
    expect(await emit(bobSocket, 'call:ringing', { callId })).toEqual({ ok: true });
    expect(await inbox(aliceSocket).next('call:ringing')).toEqual({ callId });
    expect(await alicePhone.next('call:ringing')).toEqual({ callId });

    expect(await emit(aliceSocket, 'call:ringing', { callId })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    await emit(bobSocket, 'call:accept', { callId });
    expect(await emit(bobSocket, 'call:ringing', { callId })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
  });
});

describe('call:ended carries the final record', () => {
  it('for a missed call and for the devices that lost the answer race', async () => {
    const { bob, aliceSocket, bobSocket, callId } = await ringingCall(server);
    const bobPhone = await device(server, bob);
    await inbox(bobPhone).next('call:incoming');
    await emit(bobPhone, 'call:accept', { callId });
    const elsewhere = await inbox(bobSocket).next('call:ended');
    expect(elsewhere).toMatchObject({ callId, status: 'connected', reason: 'answered_elsewhere', call: { id: callId, status: 'connected' } });
    await emit(aliceSocket, 'call:hangup', { callId });

    const next = await ringingCall(server);
    await emit(next.aliceSocket, 'call:hangup', { callId: next.callId });
    const missed = await inbox(next.bobSocket).next('call:ended');
    expect(missed.call).toMatchObject({ id: next.callId, status: 'missed', endReason: 'canceled', answeredAt: null, durationSec: 0 });
    expect((await history(next.bob.token))[0]).toEqual(missed.call);
  });
});
