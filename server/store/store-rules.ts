// The decisions both SQL stores make about sign-ins and invite codes, written once.
// The stores read rows (locked, inside their transaction), ask these functions what
// to do, and run the SQL that carries it out: they keep only SQL.
import type { AcceptInviteResult, RotateResult } from './types';

/** A refresh token as the stores read it. */
export interface StoredRefreshToken {
  userId: string;
  familyId: string;
  expiresAt: number;
  revokedAt: number | null;
}

/** An invite code as the stores read it. */
export interface StoredInvite {
  inviterId: string;
  expiresAt: number;
  usedAt: number | null;
}

/** A token counts until its expiry time, not at it. */
export const isExpired = (expiresAt: number, now: number): boolean => expiresAt <= now;

/**
 * What presenting `token` for rotation does: nothing (unknown or expired), end the
 * family (a rotated-away token came back: someone holds a copy), or rotate it.
 */
export function judgeRotation(token: StoredRefreshToken | undefined, now: number): RotateResult {
  if (!token || isExpired(token.expiresAt, now)) return { kind: 'invalid' };
  const session = { userId: token.userId, familyId: token.familyId };
  return token.revokedAt !== null ? { kind: 'reused', ...session } : { kind: 'rotated', ...session };
}

/** An invite that can still be used: unused and not expired. (The stores' revoke-open-codes UPDATE selects the same rows in SQL.) */
export const isOpenInvite = (invite: StoredInvite, now: number): boolean => invite.usedAt === null && !isExpired(invite.expiresAt, now);

export type InviteCheck = Exclude<AcceptInviteResult, { kind: 'paired' | 'already_paired' }> | { kind: 'open'; inviterId: string };

/** Whether `accepterId` may use this code, judged before anyone's pairing is read ('open': go on). */
export function checkInvite(invite: StoredInvite | undefined, accepterId: string, now: number): InviteCheck {
  if (!invite) return { kind: 'not_found' };
  if (invite.inviterId === accepterId) return { kind: 'own_invite' };
  if (!isOpenInvite(invite, now)) return { kind: 'gone' };
  return { kind: 'open', inviterId: invite.inviterId };
}

/** The outcome once both users' current partners are read: pair them, unless either already has one. */
export const pairingOutcome = (inviterId: string, partnerIds: readonly (string | null)[]): AcceptInviteResult =>
  partnerIds.some((partnerId) => partnerId !== null) ? { kind: 'already_paired' } : { kind: 'paired', inviterId };
