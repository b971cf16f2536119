// The ring window's bridge (window.heartlineRing): the call to show, answer, decline.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { RING_SHOW_CHANNEL } from '../src-shared/ipc';
import { invoke } from './invoke';

export interface RingShowPayload {
  callId: string;
  callType: 'voice' | 'video';
  partnerName: string;
  expiresAt: string;
  language: string;
  labels: { title: string; answer: string; answerAudioOnly: string; decline: string };
}

export const ringApi = {
  onShow(listener: (payload: RingShowPayload) => void): void {
    ipcRenderer.on(RING_SHOW_CHANNEL, (_event: IpcRendererEvent, payload: RingShowPayload) => listener(payload));
  },
  answer: (callId: string, audioOnly: boolean): Promise<void> => invoke('ring:answer', { callId, audioOnly }),
  decline: (callId: string): Promise<void> => invoke('ring:decline', { callId }),
};

contextBridge.exposeInMainWorld('heartlineRing', ringApi);
