// The partner asks to record while the call window is out of sight: the consent
// request would go unseen until it lapses (30 s), so main raises a notification.
import type { Language } from '../../src-shared/ipc';
import { recordingStrings } from './recording-strings.std';

export interface CallWindowSight {
  /** The window exists, is shown and not minimised. */
  visible: boolean;
  focused: boolean;
}

export function recordingRequestNotice(sight: CallWindowSight, partnerName: string, language: Language): { title: string; body: string } | null {
  if (sight.visible && sight.focused) return null;
  const t = recordingStrings(language);
  return { title: t.requestTitle, body: t.requestBody(partnerName) };
}
