// The storage boundary. Handlers and the call service only ever see this async
// interface, so SQLite (embedded default) and PostgreSQL (several nodes) are
// interchangeable. Times are epoch milliseconds from the server's clock.
import type { CallStatus, CallType, EndReason, User } from '../../src-shared/protocol';

export interface UserRecord extends User {
  passwordHash: string;
  partnerId: string | null;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  userId: string;
  familyId: string;
  expiresAt: number;
  revokedAt: number | null;
}

export interface CallRecord {
  id: string;
  callerId: string;
  calleeId: string;
  type: CallType;
  status: CallStatus;
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationSec: number;
  endReason: EndReason | null;
  /** The caller's device that placed the call, and the callee's device that answered. */
  callerDevice: string;
  calleeDevice: string | null;
  /** While ringing: when the ring becomes a missed call (epoch ms), whichever node sees it first. */
  ringDeadline: number | null;
  /** While connected and a party's device is gone: when the call ends as connection_lost. */
  graceDeadline: number | null;
}

export interface CallCursor {
  createdAt: number;
  id: string;
}

export type RotateResult = { kind: 'rotated'; userId: string } | { kind: 'reused'; userId: string } | { kind: 'invalid' };

export type AcceptInviteResult =
  | { kind: 'paired'; inviterId: string }
  | { kind: 'not_found' }
  | { kind: 'gone' }
  | { kind: 'own_invite' }
  | { kind: 'already_paired' };

export type CallUpdate = Partial<
  Pick<CallRecord, 'status' | 'answeredAt' | 'endedAt' | 'durationSec' | 'endReason' | 'calleeDevice' | 'graceDeadline'>
>;

/** An extra condition of updateCallIf on the grace deadline: still unset, or set and due by a time. */
export type GraceGuard = { graceUnset: true } | { graceDueBy: number };

export class UsernameTakenError extends Error {
  constructor(username: string) {
    super(`username "${username}" is taken`);
  }
}

export class CallInProgressError extends Error {
  constructor(readonly existingCallId: string) {
    super('this couple already has a call in progress');
  }
}

export interface Store {
  createUser(user: { id: string; username: string; displayName: string; passwordHash: string; createdAt: number }): Promise<UserRecord>;
  findUserByUsername(username: string): Promise<UserRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;

  saveRefreshToken(record: Omit<RefreshTokenRecord, 'revokedAt'>): Promise<void>;
  /** Atomically revoke `oldHash` and store `next` in its family. A revoked token presented again revokes the family. */
  rotateRefreshToken(oldHash: string, next: Omit<RefreshTokenRecord, 'revokedAt' | 'userId' | 'familyId'>, now: number): Promise<RotateResult>;
  revokeRefreshToken(tokenHash: string, now: number): Promise<void>;

  createInvite(invite: { code: string; inviterId: string; createdAt: number; expiresAt: number }): Promise<void>;
  /** Atomically: check the code, mark it used and pair both users. */
  acceptInvite(code: string, accepterId: string, now: number): Promise<AcceptInviteResult>;
  /** Unpairs `userId` and their partner; returns the former partner's id. */
  unpair(userId: string): Promise<string | null>;

  /** Inserts a call; throws CallInProgressError when the couple already has one ringing or connected. */
  createCall(call: CallRecord): Promise<CallRecord>;
  getCall(id: string): Promise<CallRecord | undefined>;
  findActiveCall(userId: string): Promise<CallRecord | undefined>;
  /** Applies `patch` only while the call is still in `expected` status (and meets `guard`); returns the updated call or undefined. */
  updateCallIf(id: string, expected: CallStatus, patch: CallUpdate, guard?: GraceGuard): Promise<CallRecord | undefined>;
  /** Newest first, strictly older than `before`; keyset-paged. */
  listCalls(userId: string, limit: number, before: CallCursor | undefined): Promise<CallRecord[]>;
  listMissed(userId: string, since: number): Promise<CallRecord[]>;
  listActiveCalls(): Promise<CallRecord[]>;

  close(): Promise<void>;
}
