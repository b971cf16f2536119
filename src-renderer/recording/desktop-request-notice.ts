// The partner asks to record while the desktop app's window is hidden: main raises a
// native notification (it knows whether the window is in sight). Once per request.
import { useEffect } from 'react';
import { bridge } from '../platform/bridge';

/** `requestKey`: the pending request's deadline (null when none is pending). */
export function useDesktopRecordingRequestNotice(requestKey: number | null, partnerName: string): void {
  useEffect(() => {
    if (requestKey === null) return;
    void bridge()
      ?.recordings.requested({ partnerName: partnerName.slice(0, 100) })
      .catch(() => undefined);
  }, [requestKey, partnerName]);
}
