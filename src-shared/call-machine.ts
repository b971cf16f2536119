// The client's call state: one pure reducer over a discriminated union. The React
// layer, the signaling client and the peer wrapper only feed it events; an event
// that does not fit the current state is ignored (and reported through `onIgnored`
// by the caller if it wants to log it), never half-applied.
import type { CallStatus, CallType, EndReason, ErrorCode, User } from './protocol';

export type CallRole = 'caller' | 'callee';

/** Why the window shows "call ended": the server's reasons plus what only the client can know. */
export type LocalEndReason = EndReason | 'failed' | 'expired';

export type CallState =
  | { kind: 'idle' }
  | {
      kind: 'outgoing';
      /** null until the server acknowledged `call:start`. */
      callId: string | null;
      callType: CallType;
      /** Set when our `call:start` collided with the partner's call (CALL_IN_PROGRESS): we answer it when it arrives. */
      collidedCallId: string | null;
      since: number;
    }
  | {
      kind: 'incoming';
      callId: string;
      callType: CallType;
      from: User;
      expiresAt: string;
      /** True when we had pressed call ourselves at the same moment: the client answers at once. */
      autoAnswer: boolean;
      /** What we want to send if we answer automatically (what the user pressed). */
      autoAnswerWith: CallType | null;
    }
  | {
      kind: 'connecting';
      callId: string;
      callType: CallType;
      role: CallRole;
      /** What this side sends: a video call answered "voice only" sends no video. */
      media: CallType;
      since: number;
    }
  | { kind: 'active'; callId: string; callType: CallType; role: CallRole; media: CallType; since: number; connectedAt: number }
  | {
      kind: 'ended';
      callId: string | null;
      callType: CallType;
      reason: LocalEndReason;
      /** The server's final status when it told us (missed, declined, ended). */
      status: CallStatus | null;
      /** Set when the reason is 'failed': what went wrong. */
      errorCode: ErrorCode | null;
      /** Seconds the call was active on this side (0 when never connected). */
      activeSec: number;
      at: number;
    };

export type CallEvent =
  | { type: 'dial'; callType: CallType; at: number }
  | { type: 'dial-acked'; callId: string }
  | { type: 'dial-failed'; code: ErrorCode; callId?: string; at: number }
  | { type: 'incoming'; callId: string; callType: CallType; from: User; expiresAt: string; at: number }
  | { type: 'answer'; callId: string; media: CallType; at: number }
  | { type: 'accept-failed'; callId: string; code: ErrorCode; at: number }
  | { type: 'accepted'; callId: string; at: number }
  | { type: 'peer-connected'; callId: string; at: number }
  | { type: 'remote-ended'; callId: string; status: CallStatus; reason: EndReason; at: number }
  | { type: 'hangup'; at: number }
  | { type: 'connection-failed'; callId: string; at: number }
  | { type: 'ring-expired'; callId: string; at: number }
  /** This window reloaded mid-call and takes its call up again (the server kept it for the grace period). */
  | { type: 'rejoin'; callId: string; callType: CallType; role: CallRole; media: CallType; at: number }
  | { type: 'reset' };

export const initialCallState: CallState = { kind: 'idle' };

/** The call id the state is about, if any. */
export function callIdOf(state: CallState): string | null {
  switch (state.kind) {
    case 'idle':
      return null;
    case 'outgoing':
    case 'incoming':
    case 'connecting':
    case 'active':
    case 'ended':
      return state.callId;
    default:
      return assertNever(state);
  }
}

/** True while a call occupies the window (the user cannot start another one). */
export function isBusy(state: CallState): boolean {
  return state.kind === 'outgoing' || state.kind === 'incoming' || state.kind === 'connecting' || state.kind === 'active';
}

function ended(
  from: Exclude<CallState, { kind: 'idle' }>,
  reason: LocalEndReason,
  at: number,
  extra: { status?: CallStatus | null; errorCode?: ErrorCode | null; callId?: string | null } = {},
): CallState {
  const callId = extra.callId !== undefined ? extra.callId : callIdOf(from);
  return {
    kind: 'ended',
    callId,
    callType: from.callType,
    reason,
    status: extra.status ?? null,
    errorCode: extra.errorCode ?? null,
    activeSec: from.kind === 'active' ? Math.max(0, Math.round((at - from.connectedAt) / 1000)) : 0,
    at,
  };
}

export function callReducer(state: CallState, event: CallEvent): CallState {
  switch (event.type) {
    case 'dial':
      if (state.kind !== 'idle' && state.kind !== 'ended') return state;
      return { kind: 'outgoing', callId: null, callType: event.callType, collidedCallId: null, since: event.at };

    case 'dial-acked':
      if (state.kind !== 'outgoing' || state.callId !== null || state.collidedCallId !== null) return state;
      return { ...state, callId: event.callId };

    case 'dial-failed':
      if (state.kind === 'incoming' && state.autoAnswer) return state; // the partner's call won the race: we answer it
      if (state.kind !== 'outgoing' || state.callId !== null) return state;
      if (event.code === 'CALL_IN_PROGRESS' && event.callId) return { ...state, collidedCallId: event.callId };
      return ended(state, 'failed', event.at, { errorCode: event.code, callId: event.callId ?? null });

    case 'incoming': {
      const ring = { kind: 'incoming' as const, callId: event.callId, callType: event.callType, from: event.from, expiresAt: event.expiresAt };
      if (state.kind === 'idle' || state.kind === 'ended') return { ...ring, autoAnswer: false, autoAnswerWith: null };
      // Both pressed call at once: our press becomes answering theirs.
      if (state.kind === 'outgoing' && state.callId === null && (state.collidedCallId === null || state.collidedCallId === event.callId)) {
        return { ...ring, autoAnswer: true, autoAnswerWith: state.callType };
      }
      return state;
    }

    case 'answer':
      if (state.kind !== 'incoming' || state.callId !== event.callId) return state;
      return { kind: 'connecting', callId: state.callId, callType: state.callType, role: 'callee', media: event.media, since: event.at };

    case 'accept-failed':
      if (state.kind !== 'connecting' || state.role !== 'callee' || state.callId !== event.callId) return state;
      return ended(state, 'failed', event.at, { errorCode: event.code });

    case 'accepted':
      if (state.kind !== 'outgoing' || state.callId !== event.callId) return state;
      return { kind: 'connecting', callId: state.callId, callType: state.callType, role: 'caller', media: state.callType, since: event.at };

    case 'peer-connected':
      if (state.kind !== 'connecting' || state.callId !== event.callId) return state;
      return { ...state, kind: 'active', connectedAt: event.at };

    case 'remote-ended': {
      if (state.kind === 'idle' || state.kind === 'ended') return state;
      const current = callIdOf(state);
      if (current !== event.callId && !(state.kind === 'outgoing' && state.collidedCallId === event.callId)) return state;
      return ended(state, event.reason, event.at, { status: event.status, callId: event.callId });
    }

    case 'hangup':
      switch (state.kind) {
        case 'outgoing':
          return ended(state, 'canceled', event.at, { status: 'missed' });
        case 'incoming':
          return ended(state, 'declined', event.at, { status: 'declined' });
        case 'connecting':
        case 'active':
          return ended(state, 'hangup', event.at, { status: 'ended' });
        case 'idle':
        case 'ended':
          return state;
        default:
          return assertNever(state);
      }

    case 'connection-failed':
      if ((state.kind !== 'connecting' && state.kind !== 'active') || state.callId !== event.callId) return state;
      // Never connected at all is "couldn't connect", not a lost connection.
      return ended(state, state.kind === 'connecting' ? 'failed' : 'connection_lost', event.at, { status: 'ended' });

    case 'rejoin':
      if (state.kind !== 'idle' && state.kind !== 'ended') return state;
      return { kind: 'connecting', callId: event.callId, callType: event.callType, role: event.role, media: event.media, since: event.at };

    case 'ring-expired':
      if (state.kind !== 'incoming' || state.callId !== event.callId) return state;
      return ended(state, 'expired', event.at, { status: 'missed' });

    case 'reset':
      return state.kind === 'ended' ? initialCallState : state;

    default:
      return assertNever(event);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
