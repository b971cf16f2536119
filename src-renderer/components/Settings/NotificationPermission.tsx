import { useState } from 'react';
import { useI18n } from '../../hooks/useI18n';

type State = NotificationPermission | 'unsupported';

const current = (): State => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

/** The browser's notification permission: a button while undecided, and a plain word on what happened. */
export function NotificationPermission(): React.JSX.Element {
  const t = useI18n();
  const [state, setState] = useState<State>(current);
  const [asked, setAsked] = useState(false);
  const ask = (): void => {
    void Notification.requestPermission()
      .catch(() => current())
      .then((result) => {
        setAsked(true);
        setState(result);
      });
  };
  return (
    <div className="notification-permission" data-testid="notifications" data-state={state}>
      {state === 'default' && !asked && (
        <button className="btn ghost" type="button" data-testid="notifications-allow" onClick={ask}>
          {t.t('notifications')}
        </button>
      )}
      <p className={state !== 'granted' && (state !== 'default' || asked) ? 'notice warn' : 'muted small'} role="status" data-testid="notifications-status">
        {state === 'granted'
          ? t.t('notificationsOn')
          : state === 'denied'
            ? t.t('notificationsBlocked')
            : state === 'unsupported'
              ? t.t('notificationsUnsupported')
              : asked
                ? t.t('notificationsDismissed')
                : t.t('notificationsWhy')}
      </p>
    </div>
  );
}
