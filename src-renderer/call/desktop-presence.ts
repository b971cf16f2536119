// What the desktop app's main process is told about the call (tray, ring window).
import type { CallState } from '../../src-shared/call-machine';
import type { CallPresence } from '../../src-shared/ipc';

export function presenceFor(state: CallState, partnerName: string): CallPresence {
  switch (state.kind) {
    case 'idle':
    case 'ended':
      return { kind: 'idle' };
    case 'incoming':
      // Both pressed call at once: this is answered at once, so main must not ring.
      if (state.autoAnswer) return { kind: 'in-call', callId: state.callId, callType: state.callType, partnerName: state.from.displayName };
      return { kind: 'incoming', callId: state.callId, callType: state.callType, partnerName: state.from.displayName, expiresAt: state.expiresAt };
    case 'outgoing':
      return { kind: 'outgoing', callId: state.callId, callType: state.callType, partnerName };
    case 'connecting':
    case 'active':
      return { kind: 'in-call', callId: state.callId, callType: state.callType, partnerName };
    default: {
      const unreachable: never = state;
      throw new Error(`unhandled state ${JSON.stringify(unreachable)}`);
    }
  }
}
