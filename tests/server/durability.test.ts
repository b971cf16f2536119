// The server as a real process: killed mid-call it loses nothing, and at the next
// start the calls it left open keep their deadlines (a device that comes back within
// the grace period keeps its call); stopped with SIGTERM it ends calls cleanly.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Call, CallsPage } from '../../src-shared/protocol';
import { api, closeAllSockets, connectedCall, couple, device, emit, inbox, waitFor } from './helpers';
import { killAll, startNode } from './processes';

const dir = mkdtempSync(join(tmpdir(), 'heartline-durability-'));

afterEach(() => closeAllSockets());
afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** A lone server process on a SQLite file. */
const startProcess = (databasePath: string, env: Record<string, string> = {}) =>
  startNode({ DATABASE_PATH: databasePath, RING_TIMEOUT_MS: '60000', CALL_SWEEP_MS: '50', ...env });

describe('the server process', () => {
  it('killed with SIGKILL while calls ring and talk: on restart history is intact, a returning device keeps its call, the rest end by their deadlines', async () => {
    const databasePath = join(dir, 'killed.db');
    // Rings long enough to outlive the restart; a grace period long enough for a device to come back.
    const first = await startProcess(databasePath, { RING_TIMEOUT_MS: '8000', CALL_GRACE_MS: '3000' });
    const server = { url: first.url };

    // A finished call, then one ringing and two connected when the process dies.
    const one = await couple(server);
    const aliceSocket = await device(server, one.alice);
    const bobSocket = await device(server, one.bob);
    const done = await emit(aliceSocket, 'call:start', { type: 'voice' });
    const doneId = done.ok ? done.callId : '';
    await inbox(bobSocket).next('call:incoming');
    expect(await emit(bobSocket, 'call:accept', { callId: doneId })).toEqual({ ok: true });
    // Answered calls report their media flowing, as real clients do.
    expect(await emit(bobSocket, 'call:media', { callId: doneId })).toEqual({ ok: true });
    expect(await emit(bobSocket, 'call:hangup', { callId: doneId })).toEqual({ ok: true });
    const ringing = await emit(aliceSocket, 'call:start', { type: 'video' });
    const ringingId = ringing.ok ? ringing.callId : '';

    const two = await couple(server);
    const carolSocket = await device(server, two.alice);
    const daveSocket = await device(server, two.bob);
    const talking = await emit(carolSocket, 'call:start', { type: 'video' });
    const talkingId = talking.ok ? talking.callId : '';
    await inbox(daveSocket).next('call:incoming');
    expect(await emit(daveSocket, 'call:accept', { callId: talkingId })).toEqual({ ok: true });
    expect(await emit(daveSocket, 'call:media', { callId: talkingId })).toEqual({ ok: true });

    const three = await couple(server);
    const erinLaptop = await device(server, three.alice, 'erin-laptop');
    const frankPhone = await device(server, three.bob, 'frank-phone');
    const returning = await emit(frankPhone, 'call:start', { type: 'voice' });
    const returningId = returning.ok ? returning.callId : '';
    await inbox(erinLaptop).next('call:incoming');
    expect(await emit(erinLaptop, 'call:accept', { callId: returningId })).toEqual({ ok: true });
    expect(await emit(erinLaptop, 'call:media', { callId: returningId })).toEqual({ ok: true });
    const before = (await api<CallsPage>(server, 'GET', '/api/calls', { token: one.bob.token })).body.calls.find((c) => c.id === doneId);

    await first.stop('SIGKILL');
    closeAllSockets();

    const second = await startProcess(databasePath, { RING_TIMEOUT_MS: '8000', CALL_GRACE_MS: '3000' });
    try {
      const restarted = { url: second.url };
      // Erin's and Frank's devices come back to the restarted server within the grace period.
      const erin = await device(restarted, three.alice, 'erin-laptop');
      const frank = await device(restarted, three.bob, 'frank-phone');
      const calls = async (token: string): Promise<Call[]> => (await api<CallsPage>(restarted, 'GET', '/api/calls', { token })).body.calls;
      const find = async (token: string, id: string): Promise<Call | undefined> => (await calls(token)).find((c) => c.id === id);

      expect(before).toMatchObject({ status: 'ended', endReason: 'hangup' });
      expect(await find(one.bob.token, doneId)).toEqual(before);
      // Nobody came back for Carol and Dave's call: it ends once its grace period runs out.
      const lost = await waitFor(() => find(two.bob.token, talkingId), (c) => c?.status !== 'connected', 15_000);
      expect(lost).toMatchObject({ status: 'ended', endReason: 'connection_lost' });
      expect(lost?.endedAt).not.toBeNull();
      // The ring that was going ends at its own deadline, as a missed call.
      const missed = await waitFor(() => find(one.bob.token, ringingId), (c) => c?.status !== 'ringing', 15_000);
      expect(missed).toMatchObject({ status: 'missed', endReason: 'timeout' });
      // Erin and Frank are still in their call, well past the grace period: they hang up themselves.
      expect(await find(three.alice.token, returningId)).toMatchObject({ status: 'connected' });
      expect(await emit(frank, 'call:hangup', { callId: returningId })).toEqual({ ok: true });
      expect(await inbox(erin).next('call:ended')).toMatchObject({
        callId: returningId,
        status: 'ended',
        reason: 'hangup',
        call: { id: returningId, status: 'ended', endReason: 'hangup' },
      });
      // The couple can call again: nothing is stuck "in progress".
      const again = await emit(await device(restarted, one.alice), 'call:start', { type: 'voice' });
      expect(again).toMatchObject({ ok: false, error: { code: 'PARTNER_OFFLINE' } });
    } finally {
      await second.stop('SIGTERM');
    }
  }, 60_000);

  it('SIGTERM leaves an answered call to the next start: no end is sent, its devices re-attach within the grace and the log ends it once', async () => {
    const databasePath = join(dir, 'stopped.db');
    const first = await startProcess(databasePath, { CALL_GRACE_MS: '20000' });
    const { alice, bob, aliceSocket, bobSocket, callId } = await connectedCall(first);

    const exit = first.stop('SIGTERM');
    expect(await exit).toBe(0);
    // A clean close checkpoints the WAL away.
    expect(existsSync(`${databasePath}-wal`)).toBe(false);
    expect(inbox(aliceSocket).all('call:ended')).toEqual([]);
    expect(inbox(bobSocket).all('call:ended')).toEqual([]);

    const second = await startProcess(databasePath, { CALL_GRACE_MS: '20000' });
    try {
      const restarted = { url: second.url };
      const aliceAgain = await device(restarted, alice, (aliceSocket.auth as { deviceId: string }).deviceId);
      const bobAgain = await device(restarted, bob, (bobSocket.auth as { deviceId: string }).deviceId);
      expect(await emit(aliceAgain, 'call:hangup', { callId })).toEqual({ ok: true });
      expect(await inbox(bobAgain).next('call:ended')).toMatchObject({ callId, status: 'ended', reason: 'hangup' });
      const calls = (await api<CallsPage>(restarted, 'GET', '/api/calls', { token: bob.token })).body.calls.filter((c) => c.id === callId);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ status: 'ended', endReason: 'hangup' });
    } finally {
      await second.stop('SIGTERM');
    }
  }, 60_000);
});
