// The plan channels of the call window's bridge ('plans' group of the IPC table,
// whose schemas have checked the arguments before these run).
import type { IpcHandlers } from '../ipc/register-ipc.std';
import type { PlanReminders } from './plan-reminders.std';

export function planIpcHandlers(reminders: PlanReminders, onPartnerName: (name: string | null) => void): IpcHandlers<'plans'> {
  return {
    'plans:sync': ({ plans, partnerName }) => {
      onPartnerName(partnerName);
      reminders.sync(plans);
    },
    'plans:reminded': (event) => {
      reminders.fromServer(event);
    },
  };
}
