// The words of main's plan reminders (the notification and its "Call now"
// button), in both languages.
import type { Language } from '../../src-shared/ipc';
import type { ReminderToShow } from './plan-reminders.std';

export interface PlanReminderText {
  title: string;
  body: string;
  /** The label of the notification's button at the time (macOS, Windows). */
  callNow: string;
}

const partnerOr = (name: string | null, language: Language): string => name ?? (language === 'tr' ? 'eşin' : 'your partner');

export function planReminderText(reminder: ReminderToShow, partnerName: string | null, language: Language): PlanReminderText {
  const name = partnerOr(partnerName, language);
  const note = reminder.note ? ` · ${reminder.note}` : '';
  if (language === 'tr') {
    const callNow = 'Şimdi ara';
    return reminder.kind === 'lead'
      ? { title: 'Heartline', body: `${name} ile planlanmış arama ${reminder.remindMinutes} dk sonra${note}`, callNow }
      : { title: 'Heartline', body: `${name} ile planlanmış arama zamanı. Aramak için tıkla.${note}`, callNow };
  }
  const callNow = 'Call now';
  return reminder.kind === 'lead'
    ? { title: 'Heartline', body: `Planned call with ${name} in ${reminder.remindMinutes} min${note}`, callNow }
    : { title: 'Heartline', body: `Time for your planned call with ${name}. Click to call now.${note}`, callNow };
}
