// What a plan reminder does on the desktop once it is due, and what settles it.
// Showing it: the tray marks it, a native notification says it. At the time the
// notification is "Call now": clicking it (or its "Call now" button) opens the
// window and starts the call linked to that occurrence, so the partner's devices
// ring. The button exists where Electron has notification buttons (macOS and
// Windows); on Linux there are none and the click is the action. Settling it (a
// click, the tray's "Dismiss", a call started, the page's notice dismissed)
// clears the tray and takes the notification away. Electron's Notification and
// the call window are injected: tests drive this with faithful fakes.
import type { CallWindowLike } from '../desktop-app.std';
import { NotificationKeeper, type NotificationLike } from '../notifications/notification-keeper.std';
import type { Language } from '../../src-shared/ipc';
import type { PlanReminderText } from './plan-strings.std';
import { planCallAction, type PlanTrayTracker, type TrayPlan } from './plan-tray.std';
import type { ReminderToShow } from './plan-reminders.std';

/** The options of Electron's Notification this uses. */
export interface PlanNotificationOptions {
  title: string;
  body: string;
  icon: string;
  actions?: { type: 'button'; text: string }[];
}

/** The part of Electron's Notification this uses: 'action' is a press on one of its buttons. */
export interface PlanNotificationLike extends NotificationLike {
  on(event: 'click' | 'close' | 'failed' | 'action', listener: () => void): void;
}

export interface PlanNotifications {
  isSupported(): boolean;
  create(options: PlanNotificationOptions): PlanNotificationLike;
}

/** Platforms whose native notifications show action buttons (Electron's NotificationAction 'button'). */
const BUTTON_PLATFORMS: readonly string[] = ['darwin', 'win32'];

/** The notification for a reminder: the one at the time gets a "Call now" button where buttons exist. */
export function planNotificationOptions(reminder: Pick<ReminderToShow, 'kind'>, text: PlanReminderText, icon: string, platform: string): PlanNotificationOptions {
  const options = { title: text.title, body: text.body, icon };
  return reminder.kind === 'now' && BUTTON_PLATFORMS.includes(platform) ? { ...options, actions: [{ type: 'button', text: text.callNow }] } : options;
}

type ReminderKey = Pick<ReminderToShow, 'planId' | 'occurrenceAt' | 'kind'>;
const sameReminder = (a: ReminderKey, b: ReminderKey): boolean => a.planId === b.planId && a.occurrenceAt === b.occurrenceAt && a.kind === b.kind;

export interface PlanReminderPresenterDeps {
  notifications: PlanNotifications;
  tray: Pick<PlanTrayTracker, 'reminded' | 'clear' | 'dismiss' | 'view' | 'reminder'>;
  window: Pick<CallWindowLike, 'show' | 'sendAction'>;
  /** The notification's words, in the app's language as it is now. */
  text(reminder: ReminderToShow): PlanReminderText;
  icon: string;
  platform: string;
  keeper?: NotificationKeeper;
}

/** DesktopApp uses it as its planTray: clearing the tray's reminder also takes the notification away. */
export class PlanReminderPresenter {
  private readonly keeper: NotificationKeeper;
  /** The notification of the reminder the tray shows, until it is settled. */
  private shown: { reminder: ReminderToShow; close(): void } | null = null;

  constructor(private readonly deps: PlanReminderPresenterDeps) {
    this.keeper = deps.keeper ?? new NotificationKeeper();
  }

  /** A reminder is due on this device (main's timer or the server's event, once). */
  show(reminder: ReminderToShow): void {
    // A newer reminder (the one at the time after the lead) replaces the older one everywhere.
    this.closeNotification();
    this.deps.tray.reminded(reminder);
    if (!this.deps.notifications.isSupported()) return;
    const notification = this.deps.notifications.create(planNotificationOptions(reminder, this.deps.text(reminder), this.deps.icon, this.deps.platform));
    let acted = false;
    // Windows may report a button press as a click too: the call starts once.
    const act = (): void => {
      if (acted) return;
      acted = true;
      this.act(reminder);
    };
    const handle = this.keeper.show(notification, act);
    notification.on('action', () => {
      act();
      handle.close();
    });
    this.shown = { reminder, close: () => handle.close() };
  }

  /** The tray's "Dismiss", or a call started: the reminder is settled. */
  clear(): void {
    this.closeNotification();
    this.deps.tray.clear();
  }

  /** The page's notice for that reminder was dismissed: settled here too (a newer one stays). */
  dismissed(key: ReminderKey): void {
    if (this.shown && sameReminder(this.shown.reminder, key)) this.closeNotification();
    this.deps.tray.dismiss(key);
  }

  get reminder(): ReminderToShow | null {
    return this.deps.tray.reminder;
  }

  view(language: Language): TrayPlan {
    return this.deps.tray.view(language);
  }

  /**
   * The notification was clicked (or its button pressed): open the app; at the time, call.
   * The system may keep a notification long after the occurrence passed: clicking that
   * one only opens the app, so an old reminder never rings the partner.
   */
  private act(reminder: ReminderToShow): void {
    if (this.shown?.reminder === reminder) this.shown = null;
    const current = this.deps.tray.reminder;
    const stillDue = current !== null && sameReminder(current, reminder);
    this.deps.tray.clear();
    this.deps.window.show();
    if (reminder.kind === 'now' && stillDue) this.deps.window.sendAction(planCallAction(reminder));
  }

  private closeNotification(): void {
    const shown = this.shown;
    this.shown = null;
    shown?.close();
  }
}
