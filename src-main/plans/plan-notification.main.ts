// The native notification of a plan reminder. At the time itself, clicking it
// calls the partner ("Call now"); the lead reminder's click opens the app.
import { Notification } from 'electron';
import type { PlanReminderText } from './plan-strings.std';

export function showPlanNotification(text: PlanReminderText, icon: string, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: text.title, body: text.body, icon });
  notification.on('click', onClick);
  notification.show();
}
