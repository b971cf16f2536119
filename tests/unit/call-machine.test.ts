import { describe, expect, it } from 'vitest';
import { callIdOf, callReducer, initialCallState, isBusy, type CallEvent, type CallState } from '../../src-shared/call-machine';
import type { User } from '../../src-shared/protocol';

const bob: User = { id: 'u-bob', username: 'bob', displayName: 'Bob' };
const run = (events: CallEvent[], from: CallState = initialCallState): CallState => events.reduce(callReducer, from);
const incoming = (callId = 'c1', at = 10): CallEvent => ({
  type: 'incoming',
  callId,
  callType: 'video',
  from: bob,
  expiresAt: '2030-01-01T00:00:00.000Z',
  at,
});

describe('call machine: caller', () => {
  it('goes idle -> outgoing -> connecting -> active -> ended on hang-up, counting active seconds', () => {
    let s = run([{ type: 'dial', callType: 'video', at: 0 }]);
    expect(s).toMatchObject({ kind: 'outgoing', callId: null, callType: 'video' });
    expect(isBusy(s)).toBe(true);
    s = run([{ type: 'dial-acked', callId: 'c1' }, { type: 'accepted', callId: 'c1', at: 1000 }], s);
    expect(s).toMatchObject({ kind: 'connecting', role: 'caller', media: 'video' });
    s = callReducer(s, { type: 'peer-connected', callId: 'c1', at: 2000 });
    expect(s).toMatchObject({ kind: 'active', connectedAt: 2000 });
    s = callReducer(s, { type: 'hangup', at: 7400 });
    expect(s).toMatchObject({ kind: 'ended', reason: 'hangup', activeSec: 5, callId: 'c1' });
    expect(isBusy(s)).toBe(false);
    expect(callReducer(s, { type: 'reset' })).toEqual({ kind: 'idle' });
  });

  it('cancel while ringing ends as canceled (missed for the partner)', () => {
    const s = run([{ type: 'dial', callType: 'voice', at: 0 }, { type: 'dial-acked', callId: 'c1' }, { type: 'hangup', at: 5 }]);
    expect(s).toMatchObject({ kind: 'ended', reason: 'canceled', status: 'missed', activeSec: 0 });
  });

  it('shows the server reason when the partner declines or the ring times out', () => {
    const dialing = run([{ type: 'dial', callType: 'voice', at: 0 }, { type: 'dial-acked', callId: 'c1' }]);
    expect(callReducer(dialing, { type: 'remote-ended', callId: 'c1', status: 'declined', reason: 'declined', at: 3 })).toMatchObject({
      kind: 'ended',
      reason: 'declined',
      status: 'declined',
    });
    expect(callReducer(dialing, { type: 'remote-ended', callId: 'c1', status: 'missed', reason: 'timeout', at: 3 })).toMatchObject({
      reason: 'timeout',
    });
    // Another call's end does not touch this one.
    expect(callReducer(dialing, { type: 'remote-ended', callId: 'other', status: 'missed', reason: 'timeout', at: 3 })).toBe(dialing);
  });

  it('a failed start (partner offline, not paired) ends with the error code', () => {
    const s = run([{ type: 'dial', callType: 'video', at: 0 }, { type: 'dial-failed', code: 'PARTNER_OFFLINE', callId: 'c9', at: 1 }]);
    expect(s).toMatchObject({ kind: 'ended', reason: 'failed', errorCode: 'PARTNER_OFFLINE', callId: 'c9' });
    const n = run([{ type: 'dial', callType: 'video', at: 0 }, { type: 'dial-failed', code: 'NOT_PAIRED', at: 1 }]);
    expect(n).toMatchObject({ kind: 'ended', errorCode: 'NOT_PAIRED', callId: null });
  });
});

describe('call machine: callee', () => {
  it('rings, answers with voice only, connects', () => {
    let s = run([incoming()]);
    expect(s).toMatchObject({ kind: 'incoming', autoAnswer: false, callId: 'c1' });
    s = callReducer(s, { type: 'answer', callId: 'c1', media: 'voice', at: 20 });
    expect(s).toMatchObject({ kind: 'connecting', role: 'callee', callType: 'video', media: 'voice' });
    s = callReducer(s, { type: 'peer-connected', callId: 'c1', at: 30 });
    expect(s.kind).toBe('active');
  });

  it('declining is a local hang-up while ringing', () => {
    expect(run([incoming(), { type: 'hangup', at: 11 }])).toMatchObject({ kind: 'ended', reason: 'declined' });
  });

  it('stops ringing when answered elsewhere or when the ring expires', () => {
    expect(run([incoming(), { type: 'remote-ended', callId: 'c1', status: 'connected', reason: 'answered_elsewhere', at: 12 }])).toMatchObject({
      kind: 'ended',
      reason: 'answered_elsewhere',
    });
    expect(run([incoming(), { type: 'ring-expired', callId: 'c1', at: 12 }])).toMatchObject({ kind: 'ended', reason: 'expired' });
  });

  it('an accept the server refuses ends the attempt', () => {
    const s = run([incoming(), { type: 'answer', callId: 'c1', media: 'video', at: 1 }, { type: 'accept-failed', callId: 'c1', code: 'INVALID_STATE', at: 2 }]);
    expect(s).toMatchObject({ kind: 'ended', reason: 'failed', errorCode: 'INVALID_STATE' });
  });
});

describe('call machine: both press call at once', () => {
  it('incoming before our CALL_IN_PROGRESS ack: our press becomes answering', () => {
    let s = run([{ type: 'dial', callType: 'video', at: 0 }, incoming('theirs')]);
    expect(s).toMatchObject({ kind: 'incoming', callId: 'theirs', autoAnswer: true, autoAnswerWith: 'video' });
    // The late failure of our own start changes nothing.
    s = callReducer(s, { type: 'dial-failed', code: 'CALL_IN_PROGRESS', callId: 'theirs', at: 2 });
    expect(s).toMatchObject({ kind: 'incoming', autoAnswer: true });
  });

  it('CALL_IN_PROGRESS ack before the incoming event: waits for that call, then answers', () => {
    let s = run([{ type: 'dial', callType: 'voice', at: 0 }, { type: 'dial-failed', code: 'CALL_IN_PROGRESS', callId: 'theirs', at: 1 }]);
    expect(s).toMatchObject({ kind: 'outgoing', collidedCallId: 'theirs' });
    // A different call id is not the one we collided with.
    expect(callReducer(s, incoming('other'))).toBe(s);
    s = callReducer(s, incoming('theirs'));
    expect(s).toMatchObject({ kind: 'incoming', autoAnswer: true, autoAnswerWith: 'voice' });
    // The partner hanging up meanwhile ends the collided wait too.
    const waiting = run([{ type: 'dial', callType: 'voice', at: 0 }, { type: 'dial-failed', code: 'CALL_IN_PROGRESS', callId: 'theirs', at: 1 }]);
    expect(callReducer(waiting, { type: 'remote-ended', callId: 'theirs', status: 'missed', reason: 'canceled', at: 2 })).toMatchObject({
      kind: 'ended',
      callId: 'theirs',
    });
  });
});

describe('call machine: illegal transitions are ignored', () => {
  const cases: Array<[string, CallState, CallEvent]> = [
    ['accept while idle', initialCallState, { type: 'accepted', callId: 'c1', at: 0 }],
    ['peer-connected while idle', initialCallState, { type: 'peer-connected', callId: 'c1', at: 0 }],
    ['hangup while idle', initialCallState, { type: 'hangup', at: 0 }],
    ['dial while ringing', run([incoming()]), { type: 'dial', callType: 'voice', at: 1 }],
    ['answer another call', run([incoming()]), { type: 'answer', callId: 'x', media: 'video', at: 1 }],
    ['incoming during an active call', run([incoming(), { type: 'answer', callId: 'c1', media: 'video', at: 1 }, { type: 'peer-connected', callId: 'c1', at: 2 }]), incoming('c2')],
    ['second ack', run([{ type: 'dial', callType: 'voice', at: 0 }, { type: 'dial-acked', callId: 'c1' }]), { type: 'dial-acked', callId: 'c2' }],
    ['reset while active', run([incoming(), { type: 'answer', callId: 'c1', media: 'video', at: 1 }]), { type: 'reset' }],
    ['connection-failed for another call', run([incoming(), { type: 'answer', callId: 'c1', media: 'video', at: 1 }]), { type: 'connection-failed', callId: 'c2', at: 2 }],
  ];
  it.each(cases)('%s', (_name, state, event) => {
    expect(callReducer(state, event)).toBe(state);
  });

  it('a connection that never came up ends as failed ("couldn\'t connect"); one that was up and is lost, as connection_lost', () => {
    const s = run([incoming(), { type: 'answer', callId: 'c1', media: 'video', at: 1 }, { type: 'connection-failed', callId: 'c1', at: 2 }]);
    expect(s).toMatchObject({ kind: 'ended', reason: 'failed', errorCode: null, activeSec: 0 });
    expect(callIdOf(s)).toBe('c1');
    const lost = run([incoming(), { type: 'answer', callId: 'c1', media: 'video', at: 1 }, { type: 'peer-connected', callId: 'c1', at: 2 }, { type: 'connection-failed', callId: 'c1', at: 5000 }]);
    expect(lost).toMatchObject({ kind: 'ended', reason: 'connection_lost', activeSec: 5 });
  });

  it('a reloaded window re-joins its call as connecting, with its role and media, only when it has no other call', () => {
    const rejoin = { type: 'rejoin', callId: 'c1', callType: 'video', role: 'callee', media: 'voice', at: 3 } as const;
    expect(callReducer({ kind: 'idle' }, rejoin)).toEqual({ kind: 'connecting', callId: 'c1', callType: 'video', role: 'callee', media: 'voice', since: 3 });
    const ringing = run([incoming()]);
    expect(callReducer(ringing, rejoin)).toBe(ringing);
  });

  it('a new call may start from the ended screen', () => {
    const s = run([{ type: 'dial', callType: 'voice', at: 0 }, { type: 'hangup', at: 1 }, { type: 'dial', callType: 'video', at: 2 }]);
    expect(s).toMatchObject({ kind: 'outgoing', callType: 'video' });
  });
});
