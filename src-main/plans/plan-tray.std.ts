// What the tray shows of planned calls, from main's plan cache (so also offline and
// with the window closed): the next planned call, and a reminder that has been
// shown and not yet acted on. That reminder is cleared when a call starts, when
// it is dismissed (its notification clicked, the tray's "Dismiss", the page's
// notice dismissed) or once it is no longer fresh. Pure: index.ts feeds it, DesktopApp asks it for the tray.
import type { AppAction, Language } from '../../src-shared/ipc';
import { isReminderFresh, upcomingOccurrences, wallClockOf, type Plan } from '../../src-shared/plans';
import type { CallType } from '../../src-shared/protocol';
import type { ReminderToShow } from './plan-reminders.std';

/** The plan part of the tray's input (its own field: TrayInput.plan). */
export interface TrayPlan {
  /** A line for the tooltip and the menu ("Planned call with Ayşe · Sun 21:00"), or null without plans. */
  line: string | null;
  /** A reminder is due: 'now' offers "Call now" in the menu; 'lead' only says so. */
  reminder: ReminderToShow['kind'] | null;
  /** The menu's "Call now" label while the reminder at the time is due. */
  callNowLabel: string | null;
  dismissLabel: string;
}

/** The call the reminder at the time starts: linked by the server to that occurrence. */
export function planCallAction(reminder: Pick<ReminderToShow, 'planId' | 'occurrenceAt' | 'callType'>): AppAction {
  return { kind: 'start-call', callType: reminder.callType, plan: { planId: reminder.planId, occurrence: new Date(reminder.occurrenceAt).toISOString() } };
}

/** The soonest occurrence of the cached plans at or after `now` (a plan that cannot be expanded is left out). */
export function nextPlannedCall(plans: readonly Plan[], now: number): { at: number; callType: CallType } | null {
  let next: { at: number; callType: CallType } | null = null;
  for (const plan of plans) {
    try {
      const timing = { startLocal: wallClockOf(Date.parse(plan.startsAt), plan.timeZone), timeZone: plan.timeZone, rule: plan.rule, skipped: plan.skipped.map(Date.parse) };
      const at = upcomingOccurrences(timing, now, 1)[0];
      if (at !== undefined && (!next || at < next.at)) next = { at, callType: plan.type };
    } catch {
      // A plan this build cannot read stays out of the tray; the reminders log it.
    }
  }
  return next;
}

const WORDS = {
  en: {
    partner: 'your partner',
    next: (name: string, when: string) => `Planned call with ${name} · ${when}`,
    lead: (name: string, when: string) => `Planned call with ${name} soon · ${when}`,
    now: (name: string) => `Time for your planned call with ${name}`,
    callNow: (name: string) => `Call ${name} now`,
    dismiss: 'Dismiss reminder',
  },
  tr: {
    partner: 'eşin',
    next: (name: string, when: string) => `${name} ile planlanmış arama · ${when}`,
    lead: (name: string, when: string) => `${name} ile planlanmış arama yaklaşıyor · ${when}`,
    now: (name: string) => `${name} ile planlanmış arama zamanı`,
    callNow: (name: string) => `${name} kişisini şimdi ara`,
    dismiss: 'Hatırlatmayı kapat',
  },
} as const;

export class PlanTrayTracker {
  private due: ReminderToShow | null = null;

  constructor(
    private readonly deps: {
      plans(): Plan[];
      now(): number;
      /** The tray needs redrawing (a reminder came or went). */
      changed(): void;
      /** The partner's name as the plans were last synced (null: not known). */
      partnerName(): string | null;
      /** This machine's zone for the times shown (injected so tests do not depend on the host). */
      timeZone?: string;
    },
  ) {}

  /** A reminder was shown on this device. */
  reminded(reminder: ReminderToShow): void {
    this.due = reminder;
    this.deps.changed();
  }

  /** A call started, or the reminder was dismissed: the tray stops showing it. */
  clear(): void {
    if (!this.due) return;
    this.due = null;
    this.deps.changed();
  }

  /**
   * That reminder was settled elsewhere (the page's notice dismissed): the tray
   * stops showing it, but not a newer one (the one at the time, come meanwhile).
   */
  dismiss(key: Pick<ReminderToShow, 'planId' | 'occurrenceAt' | 'kind'>): void {
    const due = this.due;
    if (due && due.planId === key.planId && due.occurrenceAt === key.occurrenceAt && due.kind === key.kind) this.clear();
  }

  /** The due reminder, if it is still fresh. */
  get reminder(): ReminderToShow | null {
    if (this.due && !isReminderFresh(this.due, this.deps.now())) this.due = null;
    return this.due;
  }

  view(language: Language): TrayPlan {
    const words = WORDS[language];
    const name = this.deps.partnerName() ?? words.partner;
    const now = this.deps.now();
    const due = this.reminder;
    const when = (at: number): string =>
      new Intl.DateTimeFormat(language === 'tr' ? 'tr-TR' : 'en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone: this.deps.timeZone }).format(at);
    if (due?.kind === 'now') return { line: words.now(name), reminder: 'now', callNowLabel: words.callNow(name), dismissLabel: words.dismiss };
    if (due) return { line: words.lead(name, when(due.occurrenceAt)), reminder: 'lead', callNowLabel: null, dismissLabel: words.dismiss };
    const next = nextPlannedCall(this.deps.plans(), now);
    return { line: next ? words.next(name, when(next.at)) : null, reminder: null, callNowLabel: null, dismissLabel: words.dismiss };
  }
}
