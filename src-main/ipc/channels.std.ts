// Channel names of the main <-> renderer bridge ('domain:verb'), shared by main and
// the preloads. Pure constants: the sandboxed preload bundles this file.

/** Invoke channels of the call window's bridge (window.heartline). */
export const API_CHANNELS = {
  settingsGet: 'settings:get',
  settingsUpdate: 'settings:update',
  sessionLoad: 'session:load',
  sessionSave: 'session:save',
  sessionClear: 'session:clear',
  callsSetPresence: 'calls:set-presence',
  historyCached: 'history:cached',
  historyMerge: 'history:merge',
  historyMarkMissedSeen: 'history:mark-missed-seen',
  historyClear: 'history:clear',
} as const;

/** Invoke channels of the call window's bridge for planned calls (src-main/plans/plan-ipc.std.ts). */
export const PLAN_CHANNELS = {
  sync: 'plans:sync',
  reminded: 'plans:reminded',
} as const;

/** main -> call window: tray and ring-window actions (AppAction). */
export const ACTION_CHANNEL = 'app:action';

/** The ring window's own bridge (window.heartlineRing). */
export const RING_CHANNELS = {
  /** main -> ring window: who calls and how. */
  show: 'ring:show',
  /** ring window -> main. */
  answer: 'ring:answer',
  decline: 'ring:decline',
} as const;

/** The screen-share picker's bridge (window.heartlinePicker). */
export const PICKER_CHANNELS = {
  /** main -> picker: the sources with thumbnails. */
  sources: 'picker:sources',
  /** picker -> main: the chosen source id, or null for cancel. */
  choose: 'picker:choose',
} as const;

export type ApiChannel = (typeof API_CHANNELS)[keyof typeof API_CHANNELS];
