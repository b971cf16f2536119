import { describe, expect, it } from 'vitest';
import type { CallPresence } from '../../src-shared/ipc';
import { RingController, type RingWindowLike } from '../../src-main/calls/ring-controller.std';
import { decideMissedNotice, decideRing, MISSED_NOTICE_WINDOW_MS, type RingRequest } from '../../src-main/calls/ring-policy.std';
import { makeCall } from './main-fixtures';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const inFuture = new Date(NOW + 45_000).toISOString();
const incoming = (callId = 'c1', expiresAt = inFuture): CallPresence => ({ kind: 'incoming', callId, callType: 'video', partnerName: 'Ayşe', expiresAt });

describe('decideRing', () => {
  it('rings for a new incoming call', () => {
    expect(decideRing(null, incoming(), { doNotDisturb: false, now: NOW })).toEqual({
      kind: 'ring',
      call: { callId: 'c1', callType: 'video', partnerName: 'Ayşe', expiresAt: inFuture },
    });
  });

  it('does not ring twice for the same call', () => {
    expect(decideRing('c1', incoming(), { doNotDisturb: false, now: NOW })).toEqual({ kind: 'none' });
  });

  it('suppresses the ring under do not disturb', () => {
    expect(decideRing(null, incoming(), { doNotDisturb: true, now: NOW })).toEqual({ kind: 'suppress', callId: 'c1', reason: 'do-not-disturb' });
  });

  it('ignores a call whose ring is already over (or has a broken expiry)', () => {
    const past = new Date(NOW - 1).toISOString();
    expect(decideRing(null, incoming('c1', past), { doNotDisturb: false, now: NOW })).toMatchObject({ kind: 'ignore', reason: 'expired' });
    expect(decideRing(null, incoming('c1', 'not a date'), { doNotDisturb: false, now: NOW })).toMatchObject({ kind: 'ignore' });
  });

  it('stops when the call is answered (here or elsewhere) or ends', () => {
    const ctx = { doNotDisturb: false, now: NOW };
    expect(decideRing('c1', { kind: 'in-call', callId: 'c1', callType: 'video', partnerName: 'Ayşe' }, ctx)).toEqual({ kind: 'stop', callId: 'c1', reason: 'answered' });
    expect(decideRing('c1', { kind: 'idle' }, ctx)).toEqual({ kind: 'stop', callId: 'c1', reason: 'ended' });
    expect(decideRing('c1', incoming('c2'), ctx)).toEqual({ kind: 'stop', callId: 'c1', reason: 'superseded' });
    expect(decideRing(null, { kind: 'idle' }, ctx)).toEqual({ kind: 'none' });
  });
});

describe('decideMissedNotice', () => {
  const ctx = { selfId: 'me', doNotDisturb: false, now: NOW, partnerName: 'Ayşe' };
  const recent = (offsetMs: number, overrides = {}) => makeCall({ status: 'missed', createdAt: new Date(NOW - offsetMs).toISOString(), ...overrides });

  it('announces recent calls to me that I missed, newest first', () => {
    const older = recent(60_000);
    const newer = recent(1_000);
    expect(decideMissedNotice([older, newer], ctx)).toEqual({ count: 2, partnerName: 'Ayşe', latest: newer });
  });

  it('skips calls I placed, old calls, and everything under do not disturb or when signed out', () => {
    expect(decideMissedNotice([recent(1_000, { callerId: 'me', calleeId: 'partner' })], ctx)).toBeNull();
    expect(decideMissedNotice([recent(MISSED_NOTICE_WINDOW_MS + 1)], ctx)).toBeNull();
    expect(decideMissedNotice([recent(1_000)], { ...ctx, doNotDisturb: true })).toBeNull();
    expect(decideMissedNotice([recent(1_000)], { ...ctx, selfId: null })).toBeNull();
    expect(decideMissedNotice([], ctx)).toBeNull();
  });
});

describe('RingController (with fakes)', () => {
  function setup() {
    const events: string[] = [];
    const timers = new Map<number, { fn: () => void; ms: number }>();
    let nextTimer = 1;
    const ringWindow: RingWindowLike = {
      show: (call: RingRequest) => events.push(`window:show:${call.callId}`),
      close: () => events.push('window:close'),
    };
    const controller = new RingController({
      ringWindow,
      notifyIncoming: (call) => {
        events.push(`notify:${call.callId}`);
        return { close: () => events.push(`notify:close:${call.callId}`) };
      },
      now: () => NOW,
      setTimeout: (fn, ms) => {
        timers.set(nextTimer, { fn, ms });
        return nextTimer++;
      },
      clearTimeout: (handle) => timers.delete(handle as number),
      onExpired: (callId) => events.push(`expired:${callId}`),
      log: (message) => events.push(`log:${message}`),
    });
    return { controller, events, timers };
  }

  it('shows the ring window and the notification, then stops all of it when answered elsewhere', () => {
    const { controller, events, timers } = setup();
    controller.setPresence(incoming(), false);
    expect(events).toEqual(['window:show:c1', 'notify:c1']);
    expect([...timers.values()][0]?.ms).toBe(45_000);
    controller.setPresence({ kind: 'idle' }, false);
    expect(events.slice(2)).toEqual(['notify:close:c1', 'window:close', 'log:call c1: ringing stopped (ended)']);
    expect(timers.size).toBe(0);
    expect(controller.ringingCallId).toBeNull();
  });

  it('stops by itself when the ring time is over, even if the renderer never says so', () => {
    const { controller, events, timers } = setup();
    controller.setPresence(incoming(), false);
    [...timers.values()][0]!.fn();
    expect(events).toContain('window:close');
    expect(events.at(-1)).toBe('expired:c1');
    expect(controller.ringingCallId).toBeNull();
  });

  it('owns ring expiry under do not disturb too: the silenced call still expires, once', () => {
    const { controller, events, timers } = setup();
    controller.setPresence(incoming(), true);
    expect(events.some((event) => event.startsWith('window:'))).toBe(false);
    expect([...timers.values()].map((timer) => timer.ms)).toEqual([45_000]);
    controller.setPresence(incoming(), true); // the same call reported again: no second timer
    expect(timers.size).toBe(1);
    [...timers.values()][0]!.fn();
    expect(events.filter((event) => event.startsWith('expired:'))).toEqual(['expired:c1']);
  });

  it('forgets the expiry of a call that stopped ringing (answered, ended) before its time', () => {
    const { controller, events, timers } = setup();
    controller.setPresence(incoming(), false);
    controller.setPresence({ kind: 'in-call', callId: 'c1', callType: 'video', partnerName: 'Ayşe' }, false);
    expect(timers.size).toBe(0);
    expect(events.some((event) => event.startsWith('expired:'))).toBe(false);
  });

  it('does not ring under do not disturb, and silences a ring when it is switched on', () => {
    const { controller, events } = setup();
    controller.setPresence(incoming(), true);
    expect(events).toEqual(['log:call c1: not ringing (do not disturb); it is still logged']);
    controller.setPresence({ kind: 'idle' }, true);
    controller.setPresence(incoming('c2'), false);
    controller.setDoNotDisturb(true);
    expect(events.slice(-3)).toEqual(['notify:close:c2', 'window:close', 'log:call c2: ringing stopped (do-not-disturb)']);
  });

  it('replaces a ringing call by a new one', () => {
    const { controller, events } = setup();
    controller.setPresence(incoming('c1'), false);
    controller.setPresence(incoming('c2'), false);
    expect(events.filter((event) => !event.startsWith('log:'))).toEqual(['window:show:c1', 'notify:c1', 'notify:close:c1', 'window:close', 'window:show:c2', 'notify:c2']);
    expect(controller.ringingCallId).toBe('c2');
  });
});
