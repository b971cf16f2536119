import { useState } from 'react';
import { useI18n } from '../../hooks/useI18n';

type State = NotificationPermission | 'unsupported';

const current = (): State => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

/** The browser's notification permission: a button while undecided, and a plain word on what happened. */
export function NotificationPermission(): React.JSX.Element {
  const t = useI18n();
  const [state, setState] = useState<State>(current);
  const ask = (): void => {
    void Notification.requestPermission()
      .then(setState)
      .catch(() => setState(current()));
  };
  return (
    <div className="notification-permission" data-testid="notifications" data-state={state}>
      {state === 'default' && (
        <button className="btn ghost" type="button" data-testid="notifications-allow" onClick={ask}>
          {t.t('notifications')}
        </button>
      )}
      <p className={state === 'denied' || state === 'unsupported' ? 'notice warn' : 'muted small'} role="status" data-testid="notifications-status">
        {state === 'granted'
          ? t.t('notificationsOn')
          : state === 'denied'
            ? t.t('notificationsBlocked')
            : state === 'unsupported'
              ? t.t('notificationsUnsupported')
              : t.t('notificationsWhy')}
      </p>
    </div>
  );
}
