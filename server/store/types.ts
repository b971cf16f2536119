// The storage boundary. Handlers and the call service only ever see this async
// interface, so SQLite (embedded default) and PostgreSQL (several nodes) are
// interchangeable. Times are epoch milliseconds from the server's clock.
import type { CallStatus, CallType, EndReason, User } from '../../src-shared/protocol';
import type { EndOutboxStore } from '../calls/end-outbox-store';
import type { PlanStore } from '../plans/plan-store';

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
  /** When the answering pair first reported media flowing; null: it never did (yet). */
  mediaAt: number | null;
  /** While ringing: when the ring becomes a missed call (epoch ms), whichever node sees it first. */
  ringDeadline: number | null;
  /** While connected and a party's device is gone: when the call ends as connection_lost. */
  graceDeadline: number | null;
}

export interface CallCursor {
  createdAt: number;
  id: string;
}

export type RotateResult = { kind: 'rotated'; userId: string; familyId: string } | { kind: 'reused'; userId: string; familyId: string } | { kind: 'invalid' };

/** A sign-in (a refresh-token family): what logout and reuse detection end. */
export interface SessionRef {
  userId: string;
  familyId: string;
}

export type AcceptInviteResult =
  | { kind: 'paired'; inviterId: string }
  | { kind: 'not_found' }
  | { kind: 'gone' }
  | { kind: 'own_invite' }
  | { kind: 'already_paired' };

export type CallUpdate = Partial<
  Pick<CallRecord, 'status' | 'answeredAt' | 'endedAt' | 'durationSec' | 'endReason' | 'calleeDevice' | 'mediaAt' | 'graceDeadline'>
>;

/** An extra condition of updateCallIf on the grace deadline: still unset, or set and due by a time. */
export type GraceGuard = { graceUnset: true } | { graceDueBy: number };

export interface CallUpdateOptions {
  /** Only while the call's two parties are still partners. */
  whilePaired?: boolean;
  /** Only while the grace deadline meets this guard. */
  grace?: GraceGuard;
  /** With an end: also queue it in the outbox of ends (due for re-sending at `dueAt`), in the same atomic write. */
  endNotice?: { dueAt: number };
}

export class UsernameTakenError extends Error {
  constructor(username: string) {
    super(`username "${username}" is taken`);
  }
}

/** createCall for two users who are not (or no longer) partners. */
export class NotPairedError extends Error {
  constructor() {
    super('the caller and callee are not partners');
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
  /** Ends the sign-in `tokenHash` belongs to; returns it, or undefined for an unknown token. */
  revokeRefreshToken(tokenHash: string, now: number): Promise<SessionRef | undefined>;
  /** Whether the sign-in still has a refresh token that is neither revoked nor expired. */
  isSessionLive(familyId: string, now: number): Promise<boolean>;

  /** Stores a code and revokes the inviter's other open codes (one live code per user). */
  createInvite(invite: { code: string; inviterId: string; createdAt: number; expiresAt: number }): Promise<void>;
  /** Atomically: check the code, mark it used, pair both users and revoke both users' other open codes. */
  acceptInvite(code: string, accepterId: string, now: number): Promise<AcceptInviteResult>;
  /** Unpairs `userId` and their partner; returns the former partner's id. */
  unpair(userId: string): Promise<string | null>;

  /**
   * Inserts a call while caller and callee are partners (else NotPairedError, so a
   * start racing an unpair writes nothing); CallInProgressError when the couple
   * already has one ringing or connected.
   */
  createCall(call: CallRecord): Promise<CallRecord>;
  getCall(id: string): Promise<CallRecord | undefined>;
  findActiveCall(userId: string): Promise<CallRecord | undefined>;
  /**
   * Applies `patch` only while the call is still in `expected` status (and, with
   * `whilePaired`, while its two parties are still partners; with `grace`, while its
   * grace deadline meets that guard); returns the updated call or undefined.
   */
  updateCallIf(id: string, expected: CallStatus, patch: CallUpdate, options?: CallUpdateOptions): Promise<CallRecord | undefined>;
  /** When the couple's most recent calls since `since` were created, newest first, at most `limit`. */
  recentCallTimes(coupleKey: string, since: number, limit: number): Promise<number[]>;
  /** Newest first, strictly older than `before`; keyset-paged. */
  listCalls(userId: string, limit: number, before: CallCursor | undefined): Promise<CallRecord[]>;
  listMissed(userId: string, since: number): Promise<CallRecord[]>;
  listActiveCalls(): Promise<CallRecord[]>;

  /** Planned calls and their reminders (server/plans). */
  readonly plans: PlanStore;
  /** Ends not yet confirmed told to the devices (server/calls/end-outbox-store.ts). */
  readonly endOutbox: EndOutboxStore;

  close(): Promise<void>;
}
