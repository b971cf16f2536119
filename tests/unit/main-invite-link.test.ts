import { describe, expect, it } from 'vitest';
import { inviteCodeFromArgv, inviteCodeFromLink } from '../../src-main/invite-link.std';

describe('heartline:// invite links', () => {
  it.each([
    ['heartline://invite/ABCD-EFGH', 'ABCD-EFGH'],
    ['heartline://invite/abcdefgh', 'ABCDEFGH'],
    ['heartline://invite?code=WXYZ-2345', 'WXYZ-2345'],
    ['heartline://invite/ABCD-EFGH/', null],
    ['heartline:invite/ABCD-EFGH', 'ABCD-EFGH'],
  ])('%s gives %s', (link, code) => {
    expect(inviteCodeFromLink(link)).toBe(code);
  });

  it.each(['https://invite/ABCD-EFGH', 'heartline://settings/ABCD-EFGH', 'heartline://invite/<script>', 'heartline://invite/ABCD-EFGH-IJKL', 'not a url', ''])(
    'refuses %s',
    (link) => {
      expect(inviteCodeFromLink(link)).toBeNull();
    },
  );

  it.each([
    'heartline://invite/%',
    'heartline://invite/%E0%A4%A',
    'heartline://invite/ABCD%2',
    'heartline://invite?code=%',
    `heartline://invite/${'A'.repeat(5000)}`,
    'heartline://%',
  ])('returns nothing, never throws, for the malformed link %s', (link) => {
    expect(() => inviteCodeFromLink(link)).not.toThrow();
    expect(inviteCodeFromLink(link)).toBeNull();
  });

  it('returns nothing for values that are not strings', () => {
    for (const value of [undefined, null, 42, {}, ['heartline://invite/ABCD-EFGH']]) expect(inviteCodeFromLink(value)).toBeNull();
    expect(inviteCodeFromArgv(['/app', 'heartline://invite/%', 'heartline://invite/QRST-2345'])).toBe('QRST-2345');
    expect(inviteCodeFromArgv(['/app', 'heartline://invite/%'])).toBeNull();
  });

  it('finds the link among launch arguments', () => {
    expect(inviteCodeFromArgv(['/opt/Heartline/heartline', '--no-sandbox', 'heartline://invite/QRST-2345'])).toBe('QRST-2345');
    expect(inviteCodeFromArgv(['/opt/Heartline/heartline', '.'])).toBeNull();
  });
});
