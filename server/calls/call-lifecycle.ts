// The authoritative call lifecycle as a pure function: which status a call moves
// to when someone (or the clock) acts on it. No storage, no sockets.
import type { CallStatus, EndReason, ErrorCode } from '../../src-shared/protocol';

export type CallAction = 'accept' | 'decline' | 'hangup' | 'timeout' | 'connection_lost' | 'unpaired' | 'server_restart' | 'shutdown';
export type CallRole = 'caller' | 'callee' | 'system';

export type Transition =
  | { ok: true; status: CallStatus; reason: EndReason | null }
  | { ok: false; code: Extract<ErrorCode, 'NOT_ALLOWED' | 'INVALID_STATE'>; message: string };

export const isLive = (status: CallStatus): boolean => status === 'ringing' || status === 'connected';

const invalid = (message: string): Transition => ({ ok: false, code: 'INVALID_STATE', message });
const notAllowed = (message: string): Transition => ({ ok: false, code: 'NOT_ALLOWED', message });

/** Ends a live call for a reason nobody pressed: ringing calls become missed, connected ones ended. */
function endBySystem(status: CallStatus, reason: EndReason): Transition {
  if (status === 'ringing') return { ok: true, status: 'missed', reason };
  if (status === 'connected') return { ok: true, status: 'ended', reason };
  return invalid('the call has already ended');
}

export function transition(status: CallStatus, action: CallAction, role: CallRole): Transition {
  switch (action) {
    case 'accept':
      if (role !== 'callee') return notAllowed('only the callee can answer');
      if (status === 'connected') return invalid('the call was already answered');
      if (status !== 'ringing') return invalid('the call has already ended');
      return { ok: true, status: 'connected', reason: null };
    case 'decline':
      if (role !== 'callee') return notAllowed('only the callee can decline; the caller hangs up');
      if (status !== 'ringing') return invalid('only a ringing call can be declined');
      return { ok: true, status: 'declined', reason: 'declined' };
    case 'hangup':
      if (role === 'system') return notAllowed('hang-up comes from a party');
      if (status === 'ringing') {
        // The caller giving up is a missed call for the callee; the callee hanging up is a decline.
        return role === 'caller' ? { ok: true, status: 'missed', reason: 'canceled' } : { ok: true, status: 'declined', reason: 'declined' };
      }
      if (status === 'connected') return { ok: true, status: 'ended', reason: 'hangup' };
      return invalid('the call has already ended');
    case 'timeout':
      if (status !== 'ringing') return invalid('only a ringing call times out');
      return { ok: true, status: 'missed', reason: 'timeout' };
    case 'connection_lost':
    case 'unpaired':
    case 'server_restart':
    case 'shutdown':
      return endBySystem(status, action);
    default: {
      const unreachable: never = action;
      return invalid(`unknown action ${String(unreachable)}`);
    }
  }
}

/**
 * How an ending is logged. A call that was answered but whose media never flowed
 * did not really happen: it is logged as failed, with no duration.
 */
export function outcomeOf(
  call: { status: CallStatus; answeredAt: number | null; mediaAt: number | null },
  step: { status: CallStatus; reason: EndReason },
  endedAt: number,
): { status: CallStatus; reason: EndReason; durationSec: number } {
  if (call.status === 'connected' && call.mediaAt === null) return { status: step.status, reason: 'failed', durationSec: 0 };
  return { ...step, durationSec: durationSec(call.answeredAt, endedAt) };
}

/** Whole seconds between answer and end, from server times; 0 for calls never answered. */
export function durationSec(answeredAt: number | null, endedAt: number): number {
  return answeredAt === null ? 0 : Math.max(0, Math.round((endedAt - answeredAt) / 1000));
}
