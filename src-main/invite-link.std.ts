// heartline:// invite links: `heartline://invite/ABCD-EFGH` (or `?code=ABCD-EFGH`).
// Only the code is taken from a link, and only if it looks like one: a link is
// untrusted input from any web page or chat message.
const INVITE_CODE = /^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$/;

export function inviteCodeFromLink(link: string): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== 'heartline:') return null;
  // `heartline://invite/CODE` parses with host "invite" and path "/CODE".
  const isInvite = url.hostname === 'invite' || url.pathname.replace(/^\/+/, '').startsWith('invite');
  if (!isInvite) return null;
  const fromPath = url.pathname.replace(/^\/+/, '').replace(/^invite\/?/, '');
  const code = (url.searchParams.get('code') ?? decodeURIComponent(fromPath)).trim().toUpperCase();
  return INVITE_CODE.test(code) ? code : null;
}

/** The invite code in a launch's command line (Windows and Linux pass the link as an argument). */
export function inviteCodeFromArgv(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (!arg.startsWith('heartline:')) continue;
    const code = inviteCodeFromLink(arg);
    if (code) return code;
  }
  return null;
}
