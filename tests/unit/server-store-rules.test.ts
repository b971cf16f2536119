// The sign-in and invite decisions both SQL stores carry out.
import { describe, expect, it } from 'vitest';
import { callRowValues, CALL_COLUMNS, toCall, type CallRow } from '../../server/store/rows';
import { checkInvite, judgeRotation, pairingOutcome } from '../../server/store/store-rules';
import type { CallRecord } from '../../server/store/types';

const token = { userId: 'u', familyId: 'f', expiresAt: 1000, revokedAt: null };
const invite = { inviterId: 'inviter', expiresAt: 1000, usedAt: null };

describe('refresh-token rotation', () => {
  it('rotates a live token within its family', () => {
    expect(judgeRotation(token, 999)).toEqual({ kind: 'rotated', userId: 'u', familyId: 'f' });
  });

  it('refuses an unknown token, and one at or past its expiry', () => {
    expect(judgeRotation(undefined, 0)).toEqual({ kind: 'invalid' });
    expect(judgeRotation(token, 1000)).toEqual({ kind: 'invalid' });
  });

  it('reports a rotated-away token coming back as reuse of its family', () => {
    expect(judgeRotation({ ...token, revokedAt: 500 }, 600)).toEqual({ kind: 'reused', userId: 'u', familyId: 'f' });
  });

  it('treats an expired revoked token as merely invalid (nothing left to end)', () => {
    expect(judgeRotation({ ...token, revokedAt: 500 }, 2000)).toEqual({ kind: 'invalid' });
  });
});

describe('invite codes', () => {
  it('lets another user go on with an open code', () => {
    expect(checkInvite(invite, 'accepter', 999)).toEqual({ kind: 'open', inviterId: 'inviter' });
  });

  it('names why a code cannot be used: unknown, one\'s own, used, expired', () => {
    expect(checkInvite(undefined, 'accepter', 0)).toEqual({ kind: 'not_found' });
    expect(checkInvite(invite, 'inviter', 0)).toEqual({ kind: 'own_invite' });
    expect(checkInvite({ ...invite, usedAt: 10 }, 'accepter', 20)).toEqual({ kind: 'gone' });
    expect(checkInvite(invite, 'accepter', 1000)).toEqual({ kind: 'gone' });
  });

  it('pairs only when neither user has a partner yet', () => {
    expect(pairingOutcome('inviter', [null, null])).toEqual({ kind: 'paired', inviterId: 'inviter' });
    expect(pairingOutcome('inviter', [null, 'someone'])).toEqual({ kind: 'already_paired' });
  });
});

describe('call rows', () => {
  it('writes a call as the values of its columns and reads it back unchanged', () => {
    const call: CallRecord = {
      id: 'c', callerId: 'b', calleeId: 'a', type: 'video', status: 'ended', createdAt: 1, answeredAt: 2, endedAt: 3, durationSec: 4,
      endReason: 'hangup', callerDevice: 'd1', calleeDevice: 'd2', mediaAt: 5, ringDeadline: 6, graceDeadline: 7,
    };
    const row = Object.fromEntries(CALL_COLUMNS.map((column, i) => [column, callRowValues(call)[i]])) as unknown as CallRow & { couple_key: string };
    expect(row.couple_key).toBe('a:b');
    expect(toCall(row)).toEqual(call);
  });
});
