// Shared builders for the desktop-app unit tests (not a test file itself).
import type { Call } from '../../src-shared/protocol';

let sequence = 0;

export function makeCall(overrides: Partial<Call> = {}): Call {
  sequence += 1;
  return {
    id: `call-${sequence}`,
    callerId: 'partner',
    calleeId: 'me',
    type: 'voice',
    status: 'ended',
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, sequence)).toISOString(),
    answeredAt: null,
    endedAt: null,
    durationSec: 0,
    endReason: null,
    ...overrides,
  };
}
