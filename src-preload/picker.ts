// The screen-share picker's bridge (window.heartlinePicker): the sources, the choice.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { PICKER_SOURCES_CHANNEL } from '../src-shared/ipc';
import { invoke } from './invoke';

export interface PickerPayload {
  sources: { id: string; name: string; thumbnail: string; kind: 'screen' | 'window' }[];
  labels: { title: string; share: string; cancel: string };
}

export const pickerApi = {
  onSources(listener: (payload: PickerPayload) => void): void {
    ipcRenderer.on(PICKER_SOURCES_CHANNEL, (_event: IpcRendererEvent, payload: PickerPayload) => listener(payload));
  },
  /** null cancels. */
  choose: (id: string | null): Promise<void> => invoke('picker:choose', id),
};

contextBridge.exposeInMainWorld('heartlinePicker', pickerApi);
