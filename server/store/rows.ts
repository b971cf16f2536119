// Rows as both SQL stores read them (same column names in SQLite and PostgreSQL).
import type { StoredInvite, StoredRefreshToken } from './store-rules';
import type { CallRecord, CallUpdate, GraceGuard, UserRecord } from './types';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  partner_id: string | null;
}

export interface CallRow {
  id: string;
  caller_id: string;
  callee_id: string;
  type: CallRecord['type'];
  status: CallRecord['status'];
  created_at: number;
  answered_at: number | null;
  ended_at: number | null;
  duration_sec: number;
  end_reason: CallRecord['endReason'];
  caller_device: string;
  callee_device: string | null;
  media_at: number | null;
  ring_deadline: number | null;
  grace_deadline: number | null;
}

export const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  passwordHash: row.password_hash,
  partnerId: row.partner_id,
});

export const toCall = (row: CallRow): CallRecord => ({
  id: row.id,
  callerId: row.caller_id,
  calleeId: row.callee_id,
  type: row.type,
  status: row.status,
  createdAt: row.created_at,
  answeredAt: row.answered_at,
  endedAt: row.ended_at,
  durationSec: row.duration_sec,
  endReason: row.end_reason,
  callerDevice: row.caller_device,
  calleeDevice: row.callee_device,
  mediaAt: row.media_at,
  ringDeadline: row.ring_deadline,
  graceDeadline: row.grace_deadline,
});

/** The columns of `calls` in the order callRowValues gives them, for an INSERT. */
export const CALL_COLUMNS = [
  'id', 'caller_id', 'callee_id', 'couple_key', 'type', 'status', 'created_at', 'answered_at', 'ended_at',
  'duration_sec', 'end_reason', 'caller_device', 'callee_device', 'media_at', 'ring_deadline', 'grace_deadline',
] as const;

/** A call as the values of CALL_COLUMNS (the reverse of toCall, plus the derived couple key). */
export const callRowValues = (call: CallRecord): unknown[] => [
  call.id, call.callerId, call.calleeId, coupleKey(call.callerId, call.calleeId), call.type, call.status, call.createdAt, call.answeredAt,
  call.endedAt, call.durationSec, call.endReason, call.callerDevice, call.calleeDevice, call.mediaAt, call.ringDeadline, call.graceDeadline,
];

export interface RefreshTokenRow {
  user_id: string;
  family_id: string;
  expires_at: number;
  revoked_at: number | null;
}

export const toRefreshToken = (row: RefreshTokenRow): StoredRefreshToken => ({
  userId: row.user_id,
  familyId: row.family_id,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

export interface InviteRow {
  inviter_id: string;
  expires_at: number;
  used_at: number | null;
}

export const toInvite = (row: InviteRow): StoredInvite => ({ inviterId: row.inviter_id, expiresAt: row.expires_at, usedAt: row.used_at });

export function coupleKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

export const UPDATE_COLUMNS: Record<keyof CallUpdate, string> = {
  status: 'status',
  answeredAt: 'answered_at',
  endedAt: 'ended_at',
  durationSec: 'duration_sec',
  endReason: 'end_reason',
  calleeDevice: 'callee_device',
  mediaAt: 'media_at',
  graceDeadline: 'grace_deadline',
};

/** The SQL of a GraceGuard; `placeholder` is where the store binds `graceDueBy`. */
export function graceGuardSql(guard: GraceGuard | undefined, placeholder: string): string {
  if (!guard) return '';
  return 'graceUnset' in guard ? ' AND grace_deadline IS NULL' : ` AND grace_deadline IS NOT NULL AND grace_deadline <= ${placeholder}`;
}

export const graceDueBy = (guard: GraceGuard | undefined): number | null => (guard && 'graceDueBy' in guard ? guard.graceDueBy : null);

/** SQL condition on a `calls` row: its two parties are still partners. */
export const STILL_PARTNERS = 'EXISTS (SELECT 1 FROM users WHERE users.id = calls.caller_id AND users.partner_id = calls.callee_id)';
