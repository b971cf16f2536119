// The call window's bridge: exactly HeartlineApi, nothing else (no ipcRenderer, no
// event objects, no Node). Sandboxed, so it is bundled as one CommonJS file.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppAction, HeartlineApi } from '../src-shared/ipc';
import { ACTION_CHANNEL, API_CHANNELS, PLAN_CHANNELS } from '../src-main/ipc/channels.std';

const invoke = <T>(channel: string, ...args: unknown[]): Promise<T> => ipcRenderer.invoke(channel, ...args) as Promise<T>;

export const api = {
  platform: 'electron',
  settings: {
    get: () => invoke(API_CHANNELS.settingsGet),
    update: (patch) => invoke(API_CHANNELS.settingsUpdate, patch),
  },
  session: {
    load: () => invoke(API_CHANNELS.sessionLoad),
    save: (session) => invoke(API_CHANNELS.sessionSave, session),
    clear: () => invoke(API_CHANNELS.sessionClear),
  },
  calls: {
    setPresence: (presence) => invoke(API_CHANNELS.callsSetPresence, presence),
  },
  history: {
    cached: (limit) => invoke(API_CHANNELS.historyCached, limit),
    merge: (calls, limit) => invoke(API_CHANNELS.historyMerge, calls, limit),
    markMissedSeen: () => invoke(API_CHANNELS.historyMarkMissedSeen),
    clear: () => invoke(API_CHANNELS.historyClear),
  },
  plans: {
    sync: (payload) => invoke(PLAN_CHANNELS.sync, payload),
    reminded: (event) => invoke(PLAN_CHANNELS.reminded, event),
  },
  onAction(listener) {
    if (typeof listener !== 'function') throw new TypeError('onAction needs a function');
    // The page gets the action only, never the IpcRendererEvent (it carries `sender`).
    const forward = (_event: IpcRendererEvent, action: AppAction) => listener(action);
    ipcRenderer.on(ACTION_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(ACTION_CHANNEL, forward);
    };
  },
} as const satisfies HeartlineApi;

contextBridge.exposeInMainWorld('heartline', api);
