// The screen-share picker's bridge (window.heartlinePicker): the sources, the choice.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { PICKER_CHANNELS } from '../src-main/ipc/channels.std';

export interface PickerPayload {
  sources: { id: string; name: string; thumbnail: string; kind: 'screen' | 'window' }[];
  labels: { title: string; share: string; cancel: string };
}

export const pickerApi = {
  onSources(listener: (payload: PickerPayload) => void): void {
    ipcRenderer.on(PICKER_CHANNELS.sources, (_event: IpcRendererEvent, payload: PickerPayload) => listener(payload));
  },
  /** null cancels. */
  choose: (id: string | null): Promise<void> => ipcRenderer.invoke(PICKER_CHANNELS.choose, id),
};

contextBridge.exposeInMainWorld('heartlinePicker', pickerApi);
