// Rows as both SQL stores read them (same column names in SQLite and PostgreSQL).
import type { CallRecord, CallUpdate, UserRecord } from './types';

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
});

export const coupleKey = (a: string, b: string): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

export const UPDATE_COLUMNS: Record<keyof CallUpdate, string> = {
  status: 'status',
  answeredAt: 'answered_at',
  endedAt: 'ended_at',
  durationSec: 'duration_sec',
  endReason: 'end_reason',
  calleeDevice: 'callee_device',
};


/** SQL condition on a `calls` row: its two parties are still partners. */
export const STILL_PARTNERS = 'EXISTS (SELECT 1 FROM users WHERE users.id = calls.caller_id AND users.partner_id = calls.callee_id)';
