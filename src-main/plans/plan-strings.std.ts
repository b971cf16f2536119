// The words of main's plan reminders (the notification), in both languages.
import type { Language } from '../../src-shared/ipc';
import type { ReminderToShow } from './plan-reminders.std';

export interface PlanReminderText {
  title: string;
  body: string;
}

const partnerOr = (name: string | null, language: Language): string => name ?? (language === 'tr' ? 'eşin' : 'your partner');

export function planReminderText(reminder: ReminderToShow, partnerName: string | null, language: Language): PlanReminderText {
  const name = partnerOr(partnerName, language);
  const note = reminder.note ? ` · ${reminder.note}` : '';
  if (language === 'tr') {
    return reminder.kind === 'lead'
      ? { title: 'Heartline', body: `${name} ile planlanmış arama ${reminder.remindMinutes} dk sonra${note}` }
      : { title: 'Heartline', body: `${name} ile planlanmış arama zamanı. Aramak için tıkla.${note}` };
  }
  return reminder.kind === 'lead'
    ? { title: 'Heartline', body: `Planned call with ${name} in ${reminder.remindMinutes} min${note}` }
    : { title: 'Heartline', body: `Time for your planned call with ${name}. Click to call now.${note}` };
}
