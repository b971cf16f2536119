// An invite code that arrived from a heartline:// link (through main). It waits
// here until the pairing panel shows, which may be after the user signs up.
import { bridge } from './bridge';

let pending: string | null = null;
const listeners = new Set<(code: string) => void>();

/** Starts listening for invite links from main; call once at start-up. */
export function listenForInviteLinks(): () => void {
  const api = bridge();
  if (!api) return () => undefined;
  return api.onAction((action) => {
    if (action.kind !== 'open-invite') return;
    pending = action.code;
    for (const listener of listeners) listener(action.code);
  });
}

/** The code waiting to be used, if any; it is handed out once. */
export function takePendingInvite(): string | null {
  const code = pending;
  pending = null;
  return code;
}

/** Called with each code that arrives while the pairing panel is open. */
export function onInviteLink(listener: (code: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
