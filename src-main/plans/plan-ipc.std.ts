// The plan channels of the call window's bridge: untrusted arguments checked with
// the shared schemas before main's plan reminders see them.
import { PlanReminderEventSchema, PlansSyncSchema } from '../../src-shared/plans';
import { describeIssues } from '../../src-shared/protocol';
import { InvalidPayloadError } from '../desktop-app.std';
import { API_CHANNELS } from '../ipc/channels.std';
import type { IpcHandlers } from '../ipc/register-ipc.std';
import type { PlanReminders } from './plan-reminders.std';

export function planIpcHandlers(reminders: PlanReminders, onPartnerName: (name: string | null) => void): IpcHandlers {
  return {
    [API_CHANNELS.plansSync]: (payload) => {
      const parsed = PlansSyncSchema.safeParse(payload);
      if (!parsed.success) throw new InvalidPayloadError(API_CHANNELS.plansSync, describeIssues(parsed.error));
      onPartnerName(parsed.data.partnerName);
      reminders.sync(parsed.data.plans);
    },
    [API_CHANNELS.plansReminded]: (event) => {
      const parsed = PlanReminderEventSchema.safeParse(event);
      if (!parsed.success) throw new InvalidPayloadError(API_CHANNELS.plansReminded, describeIssues(parsed.error));
      reminders.fromServer(parsed.data);
    },
  };
}
