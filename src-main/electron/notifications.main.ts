// Native notifications for an incoming call (alongside the ring window: notifications
// alone are unreliable on Linux) and for missed calls. Clicking one opens the app.
// Each is kept referenced until clicked or closed (NotificationKeeper).
import { Notification } from 'electron';
import type { NotificationHandle } from '../calls/ring-controller.std';
import type { MissedNotice, RingRequest } from '../calls/ring-policy.std';
import type { MainStrings } from '../i18n/strings.std';
import { NotificationKeeper } from '../notifications/notification-keeper.std';

const keeper = new NotificationKeeper();

/** For the E2E probe: notifications shown and not yet clicked or closed. */
export const keptNotificationCount = (): number => keeper.size;

export function notifyIncoming(call: RingRequest, strings: MainStrings, icon: string, onClick: () => void): NotificationHandle | null {
  if (!Notification.isSupported()) return null;
  // silent: the ring window plays the ringtone; two sounds would clash.
  const notification = new Notification({ title: strings.incomingTitle(call.callType), body: strings.incomingBody(call.partnerName), silent: true, urgency: 'critical', icon });
  return keeper.show(notification, onClick);
}

export function notifyMissed(notice: MissedNotice, strings: MainStrings, icon: string, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: strings.missedTitle(notice.count), body: strings.missedBody(notice.partnerName, notice.count), icon });
  keeper.show(notification, onClick);
}
