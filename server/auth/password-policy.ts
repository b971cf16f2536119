// Passwords an attacker tries first are refused at registration: the common-password
// list maintained by zxcvbn-ts (tens of thousands of leaked favourites), and the
// username itself (or the password being little more than it).
import { dictionary } from '@zxcvbn-ts/language-common';

// Only entries a password can be (the minimum length is enforced elsewhere), lower-cased.
const COMMON = new Set(dictionary['passwords-common'].filter((word) => word.length >= 8).map((word) => word.toLowerCase()));

/** Why `password` is too easy to guess for `username`, or null when it is acceptable. */
export function weakPasswordReason(password: string, username: string): string | null {
  const lowered = password.toLowerCase();
  if (COMMON.has(lowered)) return 'password: this is one of the most common passwords; choose another';
  const user = username.toLowerCase();
  if (lowered.includes(user) && lowered.length - user.length < 4) return 'password: too close to the username; choose another';
  return null;
}
