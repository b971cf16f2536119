// When to ring, and when a missed call is announced. Pure: the ring window, the
// notification and the ringtone are driven from these decisions by RingController.
import type { Call, CallPresence, CallType } from '../../src-shared/ipc';

export interface RingRequest {
  callId: string;
  callType: CallType;
  partnerName: string;
  expiresAt: string;
}

export type RingDecision =
  /** Start the ring window, the notification and the ringtone. */
  | { kind: 'ring'; call: RingRequest }
  /** Do not disturb: nothing is shown or played; the call is still logged (and counted once missed). */
  | { kind: 'suppress'; callId: string; reason: 'do-not-disturb' }
  /** The ring is already over (a device that woke late): nothing happens. */
  | { kind: 'ignore'; callId: string; reason: 'expired' }
  | { kind: 'stop'; callId: string; reason: 'answered' | 'ended' | 'superseded' }
  | { kind: 'none' };

/**
 * From the presence the renderer reports. `ringingCallId` is the call main is ringing
 * for right now (null when silent).
 */
export function decideRing(
  ringingCallId: string | null,
  presence: CallPresence,
  context: { doNotDisturb: boolean; now: number },
): RingDecision {
  if (presence.kind === 'incoming') {
    if (presence.callId === ringingCallId) return { kind: 'none' };
    if (ringingCallId !== null) {
      // A different call while one rings: cannot happen with one call per couple, but
      // the old one must not ring on. The caller re-decides for the new call after the stop.
      return { kind: 'stop', callId: ringingCallId, reason: 'superseded' };
    }
    const expiresAt = Date.parse(presence.expiresAt);
    if (!Number.isFinite(expiresAt) || expiresAt <= context.now) return { kind: 'ignore', callId: presence.callId, reason: 'expired' };
    if (context.doNotDisturb) return { kind: 'suppress', callId: presence.callId, reason: 'do-not-disturb' };
    const { callId, callType, partnerName } = presence;
    return { kind: 'ring', call: { callId, callType, partnerName, expiresAt: presence.expiresAt } };
  }
  if (ringingCallId === null) return { kind: 'none' };
  const answered = presence.kind === 'in-call' && presence.callId === ringingCallId;
  return { kind: 'stop', callId: ringingCallId, reason: answered ? 'answered' : 'ended' };
}

export interface MissedNotice {
  count: number;
  /** The caller's name when exactly one call was missed and it is known. */
  partnerName: string | null;
  latest: Call;
}

/** Missed calls older than this are history, not news: no notification for them. */
export const MISSED_NOTICE_WINDOW_MS = 15 * 60 * 1000;

/**
 * Which newly missed calls deserve a notification: calls to me (not the ones I
 * placed and that went unanswered), recent ones only, and none while do not disturb is on.
 */
export function decideMissedNotice(
  newlyMissed: readonly Call[],
  context: { selfId: string | null; doNotDisturb: boolean; now: number; partnerName: string | null },
): MissedNotice | null {
  if (context.doNotDisturb || context.selfId === null) return null;
  const mine = newlyMissed
    .filter((call) => call.calleeId === context.selfId && call.status === 'missed')
    .filter((call) => context.now - Date.parse(call.createdAt) <= MISSED_NOTICE_WINDOW_MS)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  const latest = mine[0];
  if (!latest) return null;
  return { count: mine.length, partnerName: context.partnerName, latest };
}
