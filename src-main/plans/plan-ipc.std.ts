// The plan channels of the call window's bridge ('plans' group of the IPC table,
// whose schemas have checked the arguments before these run).
import type { IpcHandlers } from '../ipc/register-ipc.std';
import type { PlanReminders } from './plan-reminders.std';

/** `onSynced`: the cache now holds the server's plans (the tray redraws its next call). */
export function planIpcHandlers(reminders: PlanReminders, onPartnerName: (name: string | null) => void, onSynced: () => void = () => undefined): IpcHandlers<'plans'> {
  return {
    'plans:sync': ({ plans, partnerName }) => {
      onPartnerName(partnerName);
      reminders.sync(plans);
      onSynced();
    },
    'plans:reminded': (event) => {
      reminders.fromServer(event);
    },
  };
}
