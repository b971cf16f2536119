// Electron's Notification as the plan reminder presenter uses it. The "Call now"
// button (options.actions) shows on macOS (signed app, alert style) and Windows;
// a press on it is the 'action' event. Linux notifications have no buttons.
import { Notification } from 'electron';
import type { PlanNotifications } from './plan-reminder-presenter.std';

export const electronPlanNotifications: PlanNotifications = {
  isSupported: () => Notification.isSupported(),
  create: (options) => {
    const notification = new Notification(options);
    return {
      on: (event, listener) => void notification.on(event as 'click', listener),
      show: () => notification.show(),
      close: () => notification.close(),
    };
  },
};
