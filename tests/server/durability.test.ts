// The server as a real process: killed mid-call it loses nothing; at the next start it
// closes the rings it left open and gives answered calls the grace period for their
// devices to come back; stopped with SIGTERM it ends rings and leaves answered calls
// (their media is peer to peer) to the next start.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Call, CallsPage } from '../../src-shared/protocol';
import { api, closeAllSockets, connectedCall, couple, device, emit, inbox } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'heartline-durability-'));
const running = new Set<ChildProcess>();

afterEach(() => closeAllSockets());
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `server/server.ts` as its own process and resolves with its URL once it listens. */
function startProcess(databasePath: string, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  // `--import tsx` keeps the server one process: SIGKILL must hit the server itself, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: databasePath, STUN_URLS: '', LOG_LEVEL: 'info', RING_TIMEOUT_MS: '60000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 20 s')), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], child });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('the server process', () => {
  it('killed with SIGKILL while calls ring and talk: on restart the ring is closed, the talk ends once its devices stay away past the grace, earlier history is intact', async () => {
    const databasePath = join(dir, 'killed.db');
    const first = await startProcess(databasePath, { CALL_GRACE_MS: '1000' });
    const server = { url: first.url };

    // A finished call, then one ringing and one connected when the process dies.
    const one = await couple(server);
    const aliceSocket = await device(server, one.alice);
    const bobSocket = await device(server, one.bob);
    const done = await emit(aliceSocket, 'call:start', { type: 'voice' });
    const doneId = done.ok ? done.callId : '';
    await inbox(bobSocket).next('call:incoming');
    await emit(bobSocket, 'call:accept', { callId: doneId });
    await emit(bobSocket, 'call:hangup', { callId: doneId });
    const ringing = await emit(aliceSocket, 'call:start', { type: 'video' });
    const ringingId = ringing.ok ? ringing.callId : '';

    const two = await couple(server);
    const carolSocket = await device(server, two.alice);
    const daveSocket = await device(server, two.bob);
    const talking = await emit(carolSocket, 'call:start', { type: 'video' });
    const talkingId = talking.ok ? talking.callId : '';
    await inbox(daveSocket).next('call:incoming');
    await emit(daveSocket, 'call:accept', { callId: talkingId });
    const before = (await api<CallsPage>(server, 'GET', '/api/calls', { token: one.bob.token })).body.calls.find((c) => c.id === doneId);

    first.child.kill('SIGKILL');
    await exited(first.child);
    closeAllSockets();

    const second = await startProcess(databasePath, { CALL_GRACE_MS: '1000' });
    try {
      const restarted = { url: second.url };
      const bobCalls = (await api<CallsPage>(restarted, 'GET', '/api/calls', { token: one.bob.token })).body.calls;
      expect(bobCalls.find((c) => c.id === doneId)).toEqual(before);
      expect(bobCalls.find((c) => c.id === ringingId)).toMatchObject({ status: 'missed', endReason: 'server_restart' });
      // Neither device of the answered call comes back: it ends when the grace runs out.
      const talk = async (): Promise<Call> => (await api<CallsPage>(restarted, 'GET', '/api/calls', { token: two.bob.token })).body.calls.find((c) => c.id === talkingId) as Call;
      const deadline = Date.now() + 10_000;
      while ((await talk()).status === 'connected' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const closed = await talk();
      expect(closed).toMatchObject({ status: 'ended', endReason: 'connection_lost' });
      expect(closed.endedAt).not.toBeNull();
      // The couple can call again: nothing is stuck "in progress".
      const again = await emit(await device(restarted, one.alice), 'call:start', { type: 'voice' });
      expect(again).toMatchObject({ ok: false, error: { code: 'PARTNER_OFFLINE' } });
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  }, 60_000);

  it('SIGTERM leaves an answered call to the next start: no end is sent, its devices re-attach within the grace and the log ends it once', async () => {
    const databasePath = join(dir, 'stopped.db');
    const first = await startProcess(databasePath, { CALL_GRACE_MS: '20000' });
    const { alice, bob, aliceSocket, bobSocket, callId } = await connectedCall({ url: first.url });

    const exit = exited(first.child);
    first.child.kill('SIGTERM');
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
      expect(await inbox(bobAgain).next('call:ended')).toEqual({ callId, status: 'ended', reason: 'hangup' });
      const calls = (await api<CallsPage>(restarted, 'GET', '/api/calls', { token: bob.token })).body.calls.filter((c) => c.id === callId);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ status: 'ended', endReason: 'hangup' });
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  }, 60_000);
});
