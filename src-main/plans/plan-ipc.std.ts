// The plan channels of the call window's bridge ('plans' group of the IPC table,
// whose schemas have checked the arguments before these run).
import type { IpcHandlers } from '../ipc/register-ipc.std';
import type { ReminderKind } from '../../src-shared/plans';
import type { PlanReminders } from './plan-reminders.std';

/**
 * `onSynced`: the cache now holds the server's plans (the tray redraws its next call).
 * `onDismissed`: the page's notice of that reminder was dismissed.
 */
export function planIpcHandlers(
  reminders: PlanReminders,
  onPartnerName: (name: string | null) => void,
  onSynced: () => void = () => undefined,
  onDismissed: (key: { planId: string; occurrenceAt: number; kind: ReminderKind }) => void = () => undefined,
): IpcHandlers<'plans'> {
  return {
    'plans:sync': ({ plans, partnerName }) => {
      onPartnerName(partnerName);
      reminders.sync(plans);
      onSynced();
    },
    'plans:reminded': (event) => {
      reminders.fromServer(event);
    },
    'plans:dismissed': ({ planId, occurrence, kind }) => {
      onDismissed({ planId, occurrenceAt: Date.parse(occurrence), kind });
    },
  };
}
