// heartline:// invite links: `heartline://invite/ABCD-EFGH` (or `?code=ABCD-EFGH`).
// Only the code is taken from a link, and only if it looks like one: a link is
// untrusted input from any web page or chat message.
const INVITE_CODE = /^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$/;

/** Total: any input gives a code or null, never an exception (a throw at launch would leave a windowless app). */
export function inviteCodeFromLink(link: unknown): string | null {
  if (typeof link !== 'string' || link.length > 2048) return null;
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
  const raw = url.searchParams.get('code') ?? decodeOrNull(fromPath);
  if (raw === null) return null;
  const code = raw.trim().toUpperCase();
  return INVITE_CODE.test(code) ? code : null;
}

/** decodeURIComponent throws URIError on a lone '%': that is just a bad link. */
function decodeOrNull(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The invite code in a launch's command line (Windows and Linux pass the link as an argument). */
export function inviteCodeFromArgv(argv: readonly unknown[]): string | null {
  for (const arg of argv) {
    if (typeof arg !== 'string' || !arg.startsWith('heartline:')) continue;
    const code = inviteCodeFromLink(arg);
    if (code) return code;
  }
  return null;
}
