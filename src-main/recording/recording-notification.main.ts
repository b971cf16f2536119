// The native notification for a partner's recording request; clicking it opens the call window.
import { Notification } from 'electron';
import { NotificationKeeper } from '../notifications/notification-keeper.std';

const keeper = new NotificationKeeper();

export function notifyRecordingRequest(text: { title: string; body: string }, icon: string, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  keeper.show(new Notification({ ...text, urgency: 'critical', icon }), onClick);
}
