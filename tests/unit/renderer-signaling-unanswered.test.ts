import { describe, expect, it } from 'vitest';
import { unanswered } from '../../src-renderer/signaling/signaling-client';

describe('a request with no answer, told apart from a server error', () => {
  it('only the client\'s own "no answer" (timeout or dropped socket) counts: a stale socket is renewed for it, never for a server error', () => {
    expect(unanswered({ ok: false, error: { code: 'INTERNAL', message: 'no answer from the server' } })).toBe(true);
    expect(unanswered({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong' } })).toBe(false);
    expect(unanswered({ ok: false, error: { code: 'INVALID_STATE', message: 'no answer from the server' } })).toBe(false);
    expect(unanswered({ ok: true })).toBe(false);
  });
});
