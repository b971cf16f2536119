import { useEffect, useRef } from 'react';
import type { CallController, CallView } from '../call/call-controller';
import { shortcutFor } from '../platform/shortcuts';

/** Alt+M mute, Alt+V camera, Alt+H hang up (or decline), Alt+A answer with voice. */
export function useCallShortcuts(controller: CallController, view: CallView): void {
  const current = useRef(view);
  current.current = view;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const action = shortcutFor(event);
      if (!action) return;
      const kind = current.current.call.kind;
      const inCall = kind === 'connecting' || kind === 'active';
      if (action === 'answer' && kind === 'incoming') void controller.answer('voice');
      else if (action === 'hangup' && (inCall || kind === 'incoming' || kind === 'outgoing')) controller.hangup();
      else if (action === 'mute' && inCall) void controller.toggleMic();
      else if (action === 'camera' && inCall) void controller.toggleCamera();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}
