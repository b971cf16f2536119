// The words main shows about recordings (tray, notification, save dialog), in both languages.
import type { Language } from '../../src-shared/ipc';

export interface RecordingStrings {
  trayRecording: (partner: string) => string;
  menuRecording: string;
  requestTitle: string;
  requestBody: (partner: string) => string;
  exportTitle: string;
}

const STRINGS: Record<Language, RecordingStrings> = {
  en: {
    trayRecording: (partner) => `Recording the call with ${partner}`,
    menuRecording: '● Recording',
    requestTitle: 'Recording request',
    requestBody: (partner) => `${partner} asks to record this call. Open Heartline to allow or decline.`,
    exportTitle: 'Export recording',
  },
  tr: {
    trayRecording: (partner) => `${partner} ile görüşme kaydediliyor`,
    menuRecording: '● Kaydediliyor',
    requestTitle: 'Kayıt isteği',
    requestBody: (partner) => `${partner} bu görüşmeyi kaydetmek istiyor. İzin vermek ya da reddetmek için Heartline'ı aç.`,
    exportTitle: 'Kaydı dışa aktar',
  },
};

export const recordingStrings = (language: Language): RecordingStrings => STRINGS[language];
