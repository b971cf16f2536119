// The call window's bridge: exactly HeartlineApi, nothing else (no ipcRenderer, no
// event objects, no Node). Sandboxed, so it is bundled as one CommonJS file.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ACTION_CHANNEL, type AppAction, type HeartlineApi } from '../src-shared/ipc';
import { invoke } from './invoke';

export const api = {
  platform: 'electron',
  app: {
    ready: () => invoke('app:ready'),
  },
  settings: {
    get: () => invoke('settings:get'),
    update: (patch) => invoke('settings:update', patch),
  },
  session: {
    load: () => invoke('session:load'),
    save: (session) => invoke('session:save', session),
    accessToken: () => invoke('session:access-token'),
    logout: () => invoke('session:logout'),
    clear: () => invoke('session:clear'),
  },
  calls: {
    setPresence: (presence) => invoke('calls:set-presence', presence),
  },
  history: {
    cached: (limit) => invoke('history:cached', limit),
    merge: (calls, limit) => invoke('history:merge', calls, limit),
    missed: (limit) => invoke('history:missed', limit),
    markMissedSeen: () => invoke('history:mark-missed-seen'),
    clear: () => invoke('history:clear'),
  },
  plans: {
    sync: (payload) => invoke('plans:sync', payload),
    reminded: (event) => invoke('plans:reminded', event),
    dismissed: (event) => invoke('plans:dismissed', event),
  },
  recordings: {
    open: (meta) => invoke('recording:open', meta),
    append: (id, chunk) => invoke('recording:append', id, chunk),
    finish: (id, durationMs) => invoke('recording:finish', id, durationMs),
    abort: (id) => invoke('recording:abort', id),
    requested: (request) => invoke('recording:requested', request),
    list: () => invoke('recordings:list'),
    exportFile: (id) => invoke('recordings:export', id),
    remove: (id) => invoke('recordings:delete', id),
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
