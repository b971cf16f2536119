// What happens to a call when its page goes away: the call's id is kept in
// sessionStorage (it survives a reload of this tab, nothing else), and the page
// says goodbye to the server on its way out.
import { callIdOf, isBusy, type CallState } from '../../src-shared/call-machine';

const ACTIVE_CALL_KEY = 'heartline.activeCall';

/** The storage slice this needs; sessionStorage in the page. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const pageSessionStorage = (): KeyValueStorage | null => {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled
  }
};

export class ActiveCallMemory {
  constructor(private readonly storage: () => KeyValueStorage | null = pageSessionStorage) {}

  remember(callId: string | null): void {
    try {
      const storage = this.storage();
      if (callId) storage?.setItem(ACTIVE_CALL_KEY, callId);
      else storage?.removeItem(ACTIVE_CALL_KEY);
    } catch {
      // storage full or disabled: a reload then simply loses the call
    }
  }

  recall(): string | null {
    try {
      return this.storage()?.getItem(ACTIVE_CALL_KEY) ?? null;
    } catch {
      return null;
    }
  }
}

export interface LeaveMessage {
  event: 'call:decline' | 'call:hangup';
  callId: string;
  /** Keep the id, so the reloaded page can finish what this one could not. */
  remember: boolean;
}

/** What a page leaving in this state tells the server (null: nothing). */
export function leaveMessage(state: CallState): LeaveMessage | null {
  const callId = callIdOf(state);
  if (!callId || !isBusy(state)) return null;
  return {
    event: state.kind === 'incoming' ? 'call:decline' : 'call:hangup',
    callId,
    remember: state.kind === 'connecting' || state.kind === 'active',
  };
}

/** Calls `run` when the page is being unloaded (reload, close, navigation). */
export function onPageHide(target: Pick<Window, 'addEventListener' | 'removeEventListener'>, run: () => void): () => void {
  const listener = (): void => run();
  target.addEventListener('pagehide', listener);
  return () => target.removeEventListener('pagehide', listener);
}
