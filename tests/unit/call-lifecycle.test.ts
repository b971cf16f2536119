// The authoritative lifecycle with no server: every status, every action, every role.
import { describe, expect, it } from 'vitest';
import { CALL_STATUSES } from '../../src-shared/protocol';
import { durationSec, isLive, outcomeOf, transition } from '../../server/calls/call-lifecycle';

describe('call lifecycle', () => {
  it('the callee answers a ringing call; nobody else can', () => {
    expect(transition('ringing', 'accept', 'callee')).toEqual({ ok: true, status: 'connected', reason: null });
    expect(transition('ringing', 'accept', 'caller')).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
    expect(transition('connected', 'accept', 'callee')).toMatchObject({ ok: false, code: 'INVALID_STATE' });
  });

  it('declining is the callee\'s, and only while it rings', () => {
    expect(transition('ringing', 'decline', 'callee')).toEqual({ ok: true, status: 'declined', reason: 'declined' });
    expect(transition('ringing', 'decline', 'caller')).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
    expect(transition('connected', 'decline', 'callee')).toMatchObject({ ok: false, code: 'INVALID_STATE' });
  });

  it('hanging up: a caller giving up is a missed call, a callee hanging up a ringing call declines, a talk ends', () => {
    expect(transition('ringing', 'hangup', 'caller')).toEqual({ ok: true, status: 'missed', reason: 'canceled' });
    expect(transition('ringing', 'hangup', 'callee')).toEqual({ ok: true, status: 'declined', reason: 'declined' });
    expect(transition('connected', 'hangup', 'caller')).toEqual({ ok: true, status: 'ended', reason: 'hangup' });
    expect(transition('connected', 'hangup', 'callee')).toEqual({ ok: true, status: 'ended', reason: 'hangup' });
  });

  it('only a ringing call times out, into missed', () => {
    expect(transition('ringing', 'timeout', 'system')).toEqual({ ok: true, status: 'missed', reason: 'timeout' });
    expect(transition('connected', 'timeout', 'system')).toMatchObject({ ok: false });
  });

  it.each(['connection_lost', 'unpaired', 'server_restart', 'shutdown'] as const)('%s ends a ringing call as missed and a connected one as ended', (action) => {
    expect(transition('ringing', action, 'system')).toEqual({ ok: true, status: 'missed', reason: action });
    expect(transition('connected', action, 'system')).toEqual({ ok: true, status: 'ended', reason: action });
  });

  it('a finished call never changes again, whatever happens', () => {
    for (const status of ['ended', 'missed', 'declined'] as const) {
      for (const action of ['accept', 'decline', 'hangup', 'timeout', 'connection_lost', 'unpaired', 'server_restart', 'shutdown'] as const) {
        for (const role of ['caller', 'callee', 'system'] as const) expect(transition(status, action, role).ok, `${status} ${action} ${role}`).toBe(false);
      }
    }
  });

  it('live means ringing or connected', () => {
    expect(CALL_STATUSES.filter(isLive)).toEqual(['ringing', 'connected']);
  });

  it('duration is whole seconds from the server\'s answer to end times, 0 when never answered', () => {
    expect(durationSec(1_000, 62_400)).toBe(61);
    expect(durationSec(null, 62_400)).toBe(0);
    expect(durationSec(5_000, 4_000)).toBe(0);
  });

  it('an answered call whose media never flowed is logged as failed with no duration, whatever ended it', () => {
    const answeredNoMedia = { status: 'connected' as const, answeredAt: 1_000, mediaAt: null };
    expect(outcomeOf(answeredNoMedia, { status: 'ended', reason: 'hangup' }, 90_000)).toEqual({ status: 'ended', reason: 'failed', durationSec: 0 });
    expect(outcomeOf(answeredNoMedia, { status: 'ended', reason: 'connection_lost' }, 90_000)).toMatchObject({ reason: 'failed' });
    expect(outcomeOf({ ...answeredNoMedia, mediaAt: 2_000 }, { status: 'ended', reason: 'hangup' }, 62_400)).toEqual({ status: 'ended', reason: 'hangup', durationSec: 61 });
    // A ring that never got answered keeps its own reason.
    expect(outcomeOf({ status: 'ringing', answeredAt: null, mediaAt: null }, { status: 'missed', reason: 'timeout' }, 9_000)).toEqual({ status: 'missed', reason: 'timeout', durationSec: 0 });
  });
});
