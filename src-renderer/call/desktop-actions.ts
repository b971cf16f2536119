// What the desktop app's tray, ring window and notifications ask the call window to
// do, routed to the controller. Actions for a call this window no longer has are dropped.
import type { AppAction, CallType } from '../../src-shared/ipc';
import type { PlanCallRef } from '../../src-shared/protocol';

export interface DesktopActionHandlers {
  currentCallId(): string | null;
  start(callType: CallType, plan?: PlanCallRef): void;
  answer(callType: CallType): void;
  decline(): void;
  /** Main owns ring expiry in the desktop app. */
  ringExpired(callId: string): void;
  openSettings(): void;
}

export function routeDesktopAction(action: AppAction, handlers: DesktopActionHandlers): void {
  switch (action.kind) {
    case 'start-call':
      handlers.start(action.callType, action.plan);
      break;
    case 'answer':
      if (handlers.currentCallId() === action.callId) handlers.answer(action.callType);
      break;
    case 'decline':
      if (handlers.currentCallId() === action.callId) handlers.decline();
      break;
    case 'ring-expired':
      if (handlers.currentCallId() === action.callId) handlers.ringExpired(action.callId);
      break;
    case 'open-settings':
      handlers.openSettings();
      break;
    case 'open-invite':
      // Handled by platform/pending-invite.ts, which listens before sign-in too.
      break;
    case 'plan-reminder-dismissed':
      // Handled by hooks/usePlans.ts, which owns the page's reminder notice.
      break;
    default: {
      const unknownAction: never = action;
      console.warn('heartline: unknown action', unknownAction);
    }
  }
}
