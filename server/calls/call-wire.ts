// Stored records to wire shapes: ISO times, no device ids, no password hashes.
import type { Call, User } from '../../src-shared/protocol';
import type { CallRecord, UserRecord } from '../store/types';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toWireCall(call: CallRecord): Call {
  return {
    id: call.id,
    callerId: call.callerId,
    calleeId: call.calleeId,
    type: call.type,
    status: call.status,
    createdAt: new Date(call.createdAt).toISOString(),
    answeredAt: iso(call.answeredAt),
    endedAt: iso(call.endedAt),
    durationSec: call.durationSec,
    endReason: call.endReason,
  };
}

/** The wire record with the history's "recorded" mark (set only when a recording was agreed). */
export function toMarkedWireCall(call: CallRecord, recorded: ReadonlySet<string>): Call {
  return recorded.has(call.id) ? { ...toWireCall(call), recorded: true } : toWireCall(call);
}

export function toWireUser(user: UserRecord): User {
  return { id: user.id, username: user.username, displayName: user.displayName };
}
