// The pure two-key consent machine: which commands each state allows, and what the
// folded log says afterwards.
import { describe, expect, it } from 'vitest';
import { decideRecording, recordingStatusOf, RECORDING_OFF, type RecordingCommand, type RecordingLogEntry, type RecordingStatus } from '../../src-shared/recording';

const ALICE = 'alice';
const BOB = 'bob';
const TTL = 30_000;

/** Applies commands in order from `off`, failing loudly on a refusal; returns the log. */
function run(commands: Array<[RecordingCommand, number]>): RecordingLogEntry[] {
  const log: RecordingLogEntry[] = [];
  for (const [command, at] of commands) {
    const decision = decideRecording(recordingStatusOf(log), command, at);
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.error.message}`);
    if (decision.entry) log.push(decision.entry);
  }
  return log;
}

const status = (log: RecordingLogEntry[]): RecordingStatus => recordingStatusOf(log);
const request = (userId: string): RecordingCommand => ({ type: 'request', userId, ttlMs: TTL });

describe('recording consent machine', () => {
  it('goes pending → on only with the partner’s yes, and off on a stop by either', () => {
    const log = run([
      [request(ALICE), 0],
      [{ type: 'answer', userId: BOB, accept: true }, 1000],
    ]);
    expect(status(log)).toMatchObject({ state: 'on', askedBy: ALICE, by: BOB });
    expect(status(run([[request(ALICE), 0], [{ type: 'answer', userId: BOB, accept: true }, 1], [{ type: 'stop', userId: ALICE }, 2]]))).toMatchObject({ state: 'off', by: ALICE, reason: 'stopped' });
  });

  it('refuses the asker’s own answer, a second request, and answers after the deadline', () => {
    const pending = run([[request(ALICE), 0]]);
    expect(decideRecording(status(pending), { type: 'answer', userId: ALICE, accept: true }, 1)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(decideRecording(status(pending), request(BOB), 1)).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(decideRecording(status(pending), { type: 'answer', userId: BOB, accept: true }, TTL)).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    // Past its deadline a request no longer blocks a new one.
    expect(decideRecording(status(pending), request(BOB), TTL)).toMatchObject({ ok: true, entry: { kind: 'requested', userId: BOB } });
  });

  it('expires only once the deadline has passed', () => {
    const pending = run([[request(ALICE), 0]]);
    expect(decideRecording(status(pending), { type: 'expire' }, TTL - 1)).toEqual({ ok: true, entry: null });
    expect(decideRecording(status(pending), { type: 'expire' }, TTL)).toMatchObject({ ok: true, entry: { kind: 'expired', userId: null, reason: 'expired' } });
  });

  it('pauses while a device is gone, resumes when both are back, and ends with the call', () => {
    const log = run([
      [request(ALICE), 0],
      [{ type: 'answer', userId: BOB, accept: true }, 1],
      [{ type: 'connectivity', bothOnline: false }, 2],
    ]);
    expect(status(log)).toMatchObject({ state: 'paused', reason: 'disconnected' });
    expect(decideRecording(status(log), { type: 'connectivity', bothOnline: false }, 3)).toEqual({ ok: true, entry: null });
    const resumed = run([[request(ALICE), 0], [{ type: 'answer', userId: BOB, accept: true }, 1], [{ type: 'connectivity', bothOnline: false }, 2], [{ type: 'connectivity', bothOnline: true }, 3]]);
    expect(status(resumed)).toMatchObject({ state: 'on', by: null });
    const ended = decideRecording(status(resumed), { type: 'call_ended' }, 4);
    expect(ended).toMatchObject({ ok: true, entry: { kind: 'stopped', userId: null, reason: 'call_ended' } });
    expect(decideRecording(RECORDING_OFF, { type: 'call_ended' }, 4)).toEqual({ ok: true, entry: null });
  });

  it('a failure stops with its reason; the partner cannot cancel a request they were asked', () => {
    const on = run([[request(ALICE), 0], [{ type: 'answer', userId: BOB, accept: true }, 1]]);
    expect(decideRecording(status(on), { type: 'stop', userId: BOB, failed: 'disk_full' }, 2)).toMatchObject({ ok: true, entry: { kind: 'stopped', reason: 'failed', detail: 'disk_full' } });
    const pending = run([[request(ALICE), 0]]);
    expect(decideRecording(status(pending), { type: 'stop', userId: BOB }, 1)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(decideRecording(RECORDING_OFF, { type: 'stop', userId: BOB }, 1)).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
  });
});
