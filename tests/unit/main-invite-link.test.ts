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

  it('finds the link among launch arguments', () => {
    expect(inviteCodeFromArgv(['/opt/Heartline/heartline', '--no-sandbox', 'heartline://invite/QRST-2345'])).toBe('QRST-2345');
    expect(inviteCodeFromArgv(['/opt/Heartline/heartline', '.'])).toBeNull();
  });
});
