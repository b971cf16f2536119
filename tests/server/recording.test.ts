// The two-key consent protocol for call recording, over real sockets: who may
// ask, who may answer, what each side is told, and what the call log keeps.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Call, CallsPage } from '../../src-shared/protocol';
import { recordingLogFor } from '../../server/recording/recording-log';
import { api, closeAllSockets, connectedCall, couple, device, emit, emitRaw, inbox, ringingCall, startServer, type TestCall, type TestServer } from './helpers';

let server: TestServer;
let quickExpiry: TestServer;
beforeAll(async () => {
  server = await startServer({ RING_TIMEOUT_MS: '10000', CALL_GRACE_MS: '10000' });
  quickExpiry = await startServer({ RECORDING_REQUEST_TTL_MS: '300' });
});
afterAll(async () => {
  await server.close();
  await quickExpiry.close();
});
afterEach(() => closeAllSockets());

const logOf = async (on: TestServer, callId: string) =>
  (await recordingLogFor(on.heartline.store).list(callId)).map(({ kind, userId, reason, detail }) => ({ kind, userId, reason, detail }));

/** Alice asks, Bob's answering device is told; both see "pending". */
async function aliceAsks(call: TestCall): Promise<void> {
  expect(await emit(call.aliceSocket, 'recording:request', { callId: call.callId })).toEqual({ ok: true });
  await inbox(call.bobSocket).next('recording:requested', (e) => e.callId === call.callId && e.by === call.alice.user.id);
  await inbox(call.aliceSocket).next('recording:state', (e) => e.state === 'pending');
}

async function recording(call: TestCall): Promise<void> {
  await aliceAsks(call);
  expect(await emit(call.bobSocket, 'recording:answer', { callId: call.callId, accept: true })).toEqual({ ok: true });
  for (const socket of [call.aliceSocket, call.bobSocket]) {
    await inbox(socket).next('recording:state', (e) => e.state === 'on' && e.by === call.bob.user.id);
  }
}

describe('recording consent', () => {
  it('starts only when the partner accepts, stops for both, and the history marks the call', async () => {
    const call = await connectedCall(server);
    await aliceAsks(call);
    expect(inbox(call.aliceSocket).all('recording:requested')).toEqual([]);
    // The asker cannot forge the partner's consent.
    expect(await emit(call.aliceSocket, 'recording:answer', { callId: call.callId, accept: true })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(inbox(call.bobSocket).all('recording:state').map((e) => e.state)).toEqual(['pending']);

    expect(await emit(call.bobSocket, 'recording:answer', { callId: call.callId, accept: true })).toEqual({ ok: true });
    for (const socket of [call.aliceSocket, call.bobSocket]) await inbox(socket).next('recording:state', (e) => e.state === 'on');
    // One recording at a time.
    expect(await emit(call.bobSocket, 'recording:request', { callId: call.callId })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

    expect(await emit(call.bobSocket, 'recording:stop', { callId: call.callId })).toEqual({ ok: true });
    for (const socket of [call.aliceSocket, call.bobSocket]) {
      await inbox(socket).next('recording:state', (e) => e.state === 'off' && e.by === call.bob.user.id && e.reason === 'stopped');
    }
    expect(await logOf(server, call.callId)).toEqual([
      { kind: 'requested', userId: call.alice.user.id, reason: null, detail: null },
      { kind: 'accepted', userId: call.bob.user.id, reason: null, detail: null },
      { kind: 'stopped', userId: call.bob.user.id, reason: 'stopped', detail: null },
    ]);

    await emit(call.aliceSocket, 'call:hangup', { callId: call.callId });
    const other = await connectedCall(server);
    await emit(other.aliceSocket, 'call:hangup', { callId: other.callId });
    const history = await api<CallsPage>(server, 'GET', '/api/calls', { token: call.alice.token });
    const marked = (id: string): Call['recorded'] => history.body.calls.find((c) => c.id === id)?.recorded;
    expect(marked(call.callId)).toBe(true);
    const otherHistory = await api<CallsPage>(server, 'GET', '/api/calls', { token: other.bob.token });
    expect(otherHistory.body.calls.find((c) => c.id === other.callId)).not.toHaveProperty('recorded');
  });

  it('a decline records nothing and the asker is told', async () => {
    const call = await connectedCall(server);
    await aliceAsks(call);
    expect(await emit(call.bobSocket, 'recording:answer', { callId: call.callId, accept: false })).toEqual({ ok: true });
    await inbox(call.aliceSocket).next('recording:state', (e) => e.state === 'off' && e.reason === 'declined' && e.by === call.bob.user.id);
    expect(inbox(call.aliceSocket).all('recording:state').map((e) => e.state)).toEqual(['pending', 'off']);
    expect(await logOf(server, call.callId)).toEqual([
      { kind: 'requested', userId: call.alice.user.id, reason: null, detail: null },
      { kind: 'declined', userId: call.bob.user.id, reason: null, detail: null },
    ]);
  });

  it('refuses strangers, calls not in progress, devices not in the call, and answers with nothing to answer', async () => {
    const ringing = await ringingCall(server);
    expect(await emit(ringing.aliceSocket, 'recording:request', { callId: ringing.callId })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    await emit(ringing.aliceSocket, 'call:hangup', { callId: ringing.callId });

    const call = await connectedCall(server);
    const { alice: mallory } = await couple(server);
    const stranger = await device(server, mallory);
    for (const event of ['recording:request', 'recording:stop'] as const) {
      expect(await emit(stranger, event, { callId: call.callId })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    }
    expect(await emit(stranger, 'recording:answer', { callId: call.callId, accept: true })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    expect(await emit(call.bobSocket, 'recording:answer', { callId: call.callId, accept: true })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await emit(call.bobSocket, 'recording:stop', { callId: call.callId })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await emitRaw(call.bobSocket, 'recording:answer', { callId: call.callId, accept: 'yes' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    // Alice's other device is not in the call: it can neither ask nor, for Bob, can his.
    const aliceLaptop = await device(server, call.alice);
    expect(await emit(aliceLaptop, 'recording:request', { callId: call.callId })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    await aliceAsks(call);
    const bobPhone = await device(server, call.bob);
    expect(await emit(bobPhone, 'recording:answer', { callId: call.callId, accept: true })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(inbox(bobPhone).all('recording:requested')).toEqual([]);
    // Bob cannot cancel Alice's request; Alice can withdraw it.
    expect(await emit(call.bobSocket, 'recording:stop', { callId: call.callId })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await emit(call.aliceSocket, 'recording:stop', { callId: call.callId })).toEqual({ ok: true });
    await inbox(call.bobSocket).next('recording:state', (e) => e.state === 'off');
    expect((await logOf(server, call.callId)).map((e) => e.kind)).toEqual(['requested', 'stopped']);
    expect(await recordingLogFor(server.heartline.store).recordedAmong([call.callId])).toEqual(new Set());
  });

  it('an unanswered request lapses: the asker is told and a late answer is refused', async () => {
    const call = await connectedCall(quickExpiry);
    await aliceAsks(call);
    await inbox(call.aliceSocket).next('recording:state', (e) => e.state === 'off' && e.reason === 'expired' && e.by === null);
    expect(await emit(call.bobSocket, 'recording:answer', { callId: call.callId, accept: true })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect((await logOf(quickExpiry, call.callId)).map((e) => e.kind)).toEqual(['requested', 'expired']);
    // A new request may follow.
    expect(await emit(call.aliceSocket, 'recording:request', { callId: call.callId })).toEqual({ ok: true });
  });

  it('pauses while a bound device is gone and resumes when it is back', async () => {
    const bobDeviceId = 'bob-desk-1234';
    const call = await connectedCall(server, { bobDeviceId });
    await recording(call);
    call.bobSocket.disconnect();
    await inbox(call.aliceSocket).next('recording:state', (e) => e.state === 'paused' && e.reason === 'disconnected');
    const bobBack = await device(server, call.bob, bobDeviceId);
    for (const socket of [call.aliceSocket, bobBack]) {
      await inbox(socket).next('recording:state', (e) => e.state === 'on' && e.by === null);
    }
    expect((await logOf(server, call.callId)).map((e) => e.kind)).toEqual(['requested', 'accepted', 'paused', 'resumed']);
  });

  it('ends with the call, and a recorder failure stops it for both with its reason', async () => {
    const ending = await connectedCall(server);
    await recording(ending);
    await emit(ending.aliceSocket, 'call:hangup', { callId: ending.callId });
    await inbox(ending.bobSocket).next('recording:state', (e) => e.state === 'off' && e.reason === 'call_ended');
    expect((await logOf(server, ending.callId)).at(-1)).toEqual({ kind: 'stopped', userId: null, reason: 'call_ended', detail: null });

    const failing = await connectedCall(server);
    await recording(failing);
    // A reason is a code each side words in its own language; free text is refused and changes nothing.
    const freeText = await emit(failing.bobSocket, 'recording:stop', { callId: failing.callId, failed: 'the disk is full' } as unknown as { callId: string });
    expect(freeText).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((await logOf(server, failing.callId)).at(-1)?.kind).toBe('accepted');
    expect(await emit(failing.bobSocket, 'recording:stop', { callId: failing.callId, failed: 'disk_full' })).toEqual({ ok: true });
    await inbox(failing.aliceSocket).next('recording:state', (e) => e.state === 'off' && e.reason === 'failed' && e.detail === 'disk_full');
    expect((await logOf(server, failing.callId)).at(-1)).toEqual({ kind: 'stopped', userId: failing.bob.user.id, reason: 'failed', detail: 'disk_full' });
  });
});
