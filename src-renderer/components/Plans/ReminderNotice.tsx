// A plan's reminder: an in-page notice, and a browser notification when the page
// is in the background. At the time itself it offers "Call now", which starts
// the call as usual. A page's `new Notification` cannot have buttons (actions
// need a service worker's showNotification), so there clicking the notification
// is "Call now", and its text says so. Do-not-disturb silences reminders as it
// silences rings.
import { useEffect } from 'react';
import type { PlanReminderEvent, Plan } from '../../../src-shared/plans';
import type { CallType, PlanCallRef, User } from '../../../src-shared/protocol';
import { useI18n } from '../../hooks/useI18n';
import { notify } from '../../platform/bridge';
import './plans.css';

interface Props {
  reminder: PlanReminderEvent;
  plan: Plan | undefined;
  partner: User;
  doNotDisturb: boolean;
  /** Starts the call, naming the occurrence it is made for. */
  onCall: (type: CallType, plan: PlanCallRef) => void;
  onDismiss: () => void;
}

export function ReminderNotice({ reminder, plan, partner, doNotDisturb, onCall, onDismiss }: Props): React.JSX.Element | null {
  const t = useI18n();
  const type = plan?.type ?? 'video';
  const text =
    reminder.kind === 'lead'
      ? t.t('reminderLead', { name: partner.displayName, minutes: plan?.remindMinutes ?? 0 })
      : t.t('reminderNow', { name: partner.displayName });
  const note = plan?.note ?? '';
  const ref: PlanCallRef = { planId: reminder.planId, occurrence: reminder.occurrence };

  useEffect(() => {
    if (doNotDisturb) return;
    const callNow =
      reminder.kind === 'now'
        ? () => {
            onDismiss();
            onCall(type, ref);
          }
        : undefined;
    const body = reminder.kind === 'now' ? t.t('reminderNowClick', { name: partner.displayName }) : text;
    // One notification per reminder: not again when the words re-render. Once the notice goes
    // (dismissed, called, a call started), its notification goes too: an old one never calls.
    return notify(t.t('appName'), note ? `${body} · ${note}` : body, `plan-${reminder.planId}-${reminder.occurrence}-${reminder.kind}`, callNow);
  }, [reminder, doNotDisturb]);

  if (doNotDisturb) return null;
  return (
    <div className="reminder-notice" role="alert" data-testid="plan-reminder" data-kind={reminder.kind}>
      <span className="reminder-text">
        <strong>{text}</strong>
        {note && <span className="muted"> · {note}</span>}
      </span>
      {reminder.kind === 'now' && (
        <button
          className="btn accept"
          type="button"
          data-testid="plan-call-now"
          onClick={() => {
            onDismiss();
            onCall(type, ref);
          }}
        >
          {t.t('callNow')}
        </button>
      )}
      <button className="btn ghost" type="button" data-testid="plan-reminder-dismiss" onClick={onDismiss}>
        {t.t('dismiss')}
      </button>
    </div>
  );
}
