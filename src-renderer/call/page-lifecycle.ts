// What happens to a call when its page goes away. A reload mid-call is not a
// hang-up: the call (id, role, what this side sent) is kept in sessionStorage,
// which survives a reload of this tab and nothing else, and the reloaded page
// re-joins it while the server still holds it (its grace period for a device
// that dropped). A ring is declined and an outgoing ring canceled on the way out.
import { isBusy, type CallRole, type CallState } from '../../src-shared/call-machine';
import type { CallType } from '../../src-shared/protocol';

const ACTIVE_CALL_KEY = 'heartline.activeCall';

/** The storage slice this needs; sessionStorage in the page. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface RememberedCall {
  callId: string;
  callType: CallType;
  role: CallRole;
  media: CallType;
}

const pageSessionStorage = (): KeyValueStorage | null => {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled
  }
};

const isRememberedCall = (value: unknown): value is RememberedCall => {
  const v = value as Partial<RememberedCall> | null;
  const callType = (t: unknown): boolean => t === 'voice' || t === 'video';
  return (
    typeof v === 'object' && v !== null && typeof v.callId === 'string' && callType(v.callType) && callType(v.media) && (v.role === 'caller' || v.role === 'callee')
  );
};

export class ActiveCallMemory {
  constructor(private readonly storage: () => KeyValueStorage | null = pageSessionStorage) {}

  /** Keeps the call a reload should return to (connecting or active states); null forgets it. */
  remember(state: CallState | null): void {
    try {
      const storage = this.storage();
      if (state && (state.kind === 'connecting' || state.kind === 'active')) {
        const call: RememberedCall = { callId: state.callId, callType: state.callType, role: state.role, media: state.media };
        storage?.setItem(ACTIVE_CALL_KEY, JSON.stringify(call));
      } else storage?.removeItem(ACTIVE_CALL_KEY);
    } catch {
      // storage full or disabled: a reload then simply loses the call
    }
  }

  recall(): RememberedCall | null {
    try {
      const raw = this.storage()?.getItem(ACTIVE_CALL_KEY);
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      return isRememberedCall(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
}

export interface LeaveMessage {
  event: 'call:decline' | 'call:hangup';
  callId: string;
}

/**
 * What a page leaving in this state tells the server: a ring is declined, our own
 * ring canceled. Nothing for a connecting or active call: it is re-joined after a
 * reload, and ends by the server's grace period if the page never comes back.
 */
export function leaveMessage(state: CallState): LeaveMessage | null {
  if (!isBusy(state)) return null;
  if (state.kind === 'incoming') return { event: 'call:decline', callId: state.callId };
  if (state.kind === 'outgoing' && state.callId) return { event: 'call:hangup', callId: state.callId };
  return null;
}

/** Calls `run` when the page is being unloaded (reload, close, navigation). */
export function onPageHide(target: Pick<Window, 'addEventListener' | 'removeEventListener'>, run: () => void): () => void {
  const listener = (): void => run();
  target.addEventListener('pagehide', listener);
  return () => target.removeEventListener('pagehide', listener);
}
