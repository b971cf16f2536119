// The plan channels of the call window's bridge: untrusted arguments checked with
// the shared schemas before main's plan reminders see them.
import { PlanReminderEventSchema, PlansSyncSchema } from '../../src-shared/plans';
import { describeIssues } from '../../src-shared/protocol';
import { InvalidPayloadError } from '../desktop-app.std';
import { PLAN_CHANNELS } from '../ipc/channels.std';
import type { IpcHandlers } from '../ipc/register-ipc.std';
import type { PlanReminders } from './plan-reminders.std';

export function planIpcHandlers(reminders: PlanReminders, onPartnerName: (name: string | null) => void): IpcHandlers {
  return {
    [PLAN_CHANNELS.sync]: (payload) => {
      const parsed = PlansSyncSchema.safeParse(payload);
      if (!parsed.success) throw new InvalidPayloadError(PLAN_CHANNELS.sync, describeIssues(parsed.error));
      onPartnerName(parsed.data.partnerName);
      reminders.sync(parsed.data.plans);
    },
    [PLAN_CHANNELS.reminded]: (event) => {
      const parsed = PlanReminderEventSchema.safeParse(event);
      if (!parsed.success) throw new InvalidPayloadError(PLAN_CHANNELS.reminded, describeIssues(parsed.error));
      reminders.fromServer(parsed.data);
    },
  };
}
