import { useSyncExternalStore } from 'react';
import type { CallController, CallView } from '../call/call-controller';

/** The call window's view of the call; the controller does the work. */
export function useCall(controller: CallController): CallView {
  return useSyncExternalStore(controller.subscribe, controller.getView);
}
