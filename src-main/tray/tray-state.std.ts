// What the tray shows, decided from the call presence, the missed count and do not
// disturb. Pure: the Electron Tray is driven from this by SystemTrayService.
import type { CallPresence, Language } from '../../src-shared/ipc';
import { stringsFor } from '../i18n/strings.std';
import { recordingStrings } from '../recording/recording-strings.std';
import type { TrayPlan } from '../plans/plan-tray.std';

export const TRAY_ICONS = ['idle', 'ringing', 'ringing-alt', 'in-call', 'missed', 'dnd'] as const;
export type TrayIconName = (typeof TRAY_ICONS)[number];

export type TrayMenuId = 'open' | 'voice-call' | 'video-call' | 'dnd' | 'settings' | 'quit' | 'recording' | PlanTrayMenuId;
/** The planned-call items (plans/plan-tray.std.ts): the next call (informative), "Call now", dismiss the reminder. */
export type PlanTrayMenuId = 'plan-next' | 'plan-call' | 'plan-dismiss';
export type TrayMenuItem =
  | { type: 'item'; id: TrayMenuId; label: string; enabled: boolean }
  | { type: 'checkbox'; id: TrayMenuId; label: string; enabled: boolean; checked: boolean }
  | { type: 'separator' };

export interface TrayInput {
  presence: CallPresence;
  missedCount: number;
  /** A call recording is being written on this computer. */
  recording?: boolean;
  doNotDisturb: boolean;
  language: Language;
  /** Planned calls from main's plan cache; absent: none shown. */
  plan?: TrayPlan | null;
}

export interface TrayState {
  icon: TrayIconName;
  /** Ringing alternates between 'ringing' and 'ringing-alt'. */
  animate: boolean;
  tooltip: string;
  /** The missed-calls badge (app badge / tray title); 0 hides it. */
  badgeCount: number;
  menu: TrayMenuItem[];
  /** A plan reminder is due (shown in the tooltip and menu); null: none. */
  planReminder: TrayPlan['reminder'];
}

export function computeTrayState(input: TrayInput): TrayState {
  const t = stringsFor(input.language);
  const missed = Math.max(0, Math.floor(input.missedCount));
  const { presence } = input;
  const busy = presence.kind !== 'idle';

  let icon: TrayIconName;
  let tooltip: string;
  let animate = false;
  switch (presence.kind) {
    case 'incoming':
      // Do not disturb: the call is not announced (it is still logged and counted as missed).
      if (input.doNotDisturb) {
        icon = missed > 0 ? 'missed' : 'dnd';
        tooltip = missed > 0 ? t.trayMissed(missed) : t.trayDnd;
      } else {
        icon = 'ringing';
        animate = true;
        tooltip = t.trayRinging(presence.partnerName, presence.callType);
      }
      break;
    case 'outgoing':
      icon = 'in-call';
      tooltip = t.trayOutgoing(presence.partnerName);
      break;
    case 'in-call':
      icon = 'in-call';
      tooltip = t.trayInCall(presence.partnerName);
      break;
    case 'idle':
      if (missed > 0) {
        icon = 'missed';
        tooltip = t.trayMissed(missed);
      } else if (input.doNotDisturb) {
        icon = 'dnd';
        tooltip = t.trayDnd;
      } else {
        icon = 'idle';
        tooltip = t.trayIdle;
      }
      break;
    default:
      return assertNever(presence);
  }

  // Recording shows in the tooltip and as the menu's first line, whatever the icon says.
  const recording = input.recording === true && presence.kind === 'in-call';
  if (recording) tooltip = recordingStrings(input.language).trayRecording(presence.partnerName);
  const menu: TrayMenuItem[] = [
    ...(recording ? [{ type: 'item', id: 'recording', label: recordingStrings(input.language).menuRecording, enabled: false } as const, { type: 'separator' } as const] : []),
    { type: 'item', id: 'open', label: t.menuOpen, enabled: true },
    { type: 'separator' },
    ...planMenu(input.plan, busy),
    { type: 'item', id: 'voice-call', label: t.menuVoiceCall, enabled: !busy },
    { type: 'item', id: 'video-call', label: t.menuVideoCall, enabled: !busy },
    { type: 'separator' },
    { type: 'checkbox', id: 'dnd', label: t.menuDnd, enabled: true, checked: input.doNotDisturb },
    { type: 'item', id: 'settings', label: t.menuSettings, enabled: true },
    { type: 'separator' },
    { type: 'item', id: 'quit', label: t.menuQuit, enabled: true },
  ];
  const plan = input.plan?.line ? input.plan : null;
  // A call going on says more than the plan; otherwise the plan's line follows the state.
  if (plan?.line && !busy) tooltip = tooltip === t.trayIdle ? plan.line : `${tooltip}\n${plan.line}`;
  return { icon, animate, tooltip, badgeCount: missed, menu, planReminder: busy ? null : (plan?.reminder ?? null) };
}

/** The plan's menu items, above the call items; none while a call is going on (it was cleared by starting). */
function planMenu(plan: TrayPlan | null | undefined, busy: boolean): TrayMenuItem[] {
  if (!plan?.line || busy) return [];
  const items: TrayMenuItem[] = [{ type: 'item', id: 'plan-next', label: plan.line, enabled: false }];
  if (plan.callNowLabel) items.push({ type: 'item', id: 'plan-call', label: plan.callNowLabel, enabled: true });
  if (plan.reminder) items.push({ type: 'item', id: 'plan-dismiss', label: plan.dismissLabel, enabled: true });
  return [...items, { type: 'separator' }];
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
