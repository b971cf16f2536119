// The call's keyboard shortcuts: one table, read by the key handler, the buttons'
// aria-keyshortcuts and the list shown in Settings. Alt+letter (by physical key, so
// it works on any layout) does not collide with the browser's own Ctrl shortcuts.
export type ShortcutAction = 'mute' | 'camera' | 'hangup' | 'answer';

export const SHORTCUTS: Record<ShortcutAction, { code: string; key: string }> = {
  mute: { code: 'KeyM', key: 'M' },
  camera: { code: 'KeyV', key: 'V' },
  hangup: { code: 'KeyH', key: 'H' },
  answer: { code: 'KeyA', key: 'A' },
};

export const SHORTCUT_ACTIONS = Object.keys(SHORTCUTS) as ShortcutAction[];

/** "Alt+M": as shown to people and in aria-keyshortcuts. */
export const shortcutLabel = (action: ShortcutAction): string => `Alt+${SHORTCUTS[action].key}`;

/** The action a key press asks for, or null. */
export function shortcutFor(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>): ShortcutAction | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  return SHORTCUT_ACTIONS.find((action) => SHORTCUTS[action].code === event.code) ?? null;
}
