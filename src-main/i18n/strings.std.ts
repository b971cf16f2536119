// The few words main shows itself (tray, notifications, ring and picker windows).
// Turkish comes from the original plan's UI; English is the fallback.
import type { CallType, Language } from '../../src-shared/ipc';

export interface MainStrings {
  appName: string;
  trayIdle: string;
  trayRinging: (partner: string, type: CallType) => string;
  trayOutgoing: (partner: string) => string;
  trayInCall: (partner: string) => string;
  trayMissed: (count: number) => string;
  trayDnd: string;
  menuOpen: string;
  menuVoiceCall: string;
  menuVideoCall: string;
  menuDnd: string;
  menuSettings: string;
  menuQuit: string;
  incomingTitle: (type: CallType) => string;
  incomingBody: (partner: string) => string;
  missedTitle: (count: number) => string;
  missedBody: (partner: string | null, count: number) => string;
  answer: string;
  answerAudioOnly: string;
  decline: string;
  pickerTitle: string;
  pickerCancel: string;
  pickerShare: string;
}

const en: MainStrings = {
  appName: 'Heartline',
  trayIdle: 'Heartline',
  trayRinging: (partner, type) => `${partner} is calling (${type === 'video' ? 'video' : 'voice'})`,
  trayOutgoing: (partner) => `Calling ${partner}…`,
  trayInCall: (partner) => `In a call with ${partner}`,
  trayMissed: (count) => (count === 1 ? '1 missed call' : `${count} missed calls`),
  trayDnd: 'Do not disturb is on',
  menuOpen: 'Open Heartline',
  menuVoiceCall: 'Voice call',
  menuVideoCall: 'Video call',
  menuDnd: 'Do not disturb',
  menuSettings: 'Settings',
  menuQuit: 'Quit',
  incomingTitle: (type) => (type === 'video' ? 'Incoming video call' : 'Incoming voice call'),
  incomingBody: (partner) => `${partner} is calling you`,
  missedTitle: (count) => (count === 1 ? 'Missed call' : `${count} missed calls`),
  missedBody: (partner, count) => (partner && count === 1 ? `You missed a call from ${partner}` : 'Open Heartline to call back'),
  answer: 'Answer',
  answerAudioOnly: 'Answer audio only',
  decline: 'Decline',
  pickerTitle: 'Choose what to share',
  pickerCancel: 'Cancel',
  pickerShare: 'Share',
};

const tr: MainStrings = {
  appName: 'Heartline',
  trayIdle: 'Heartline',
  trayRinging: (partner, type) => `${partner} arıyor (${type === 'video' ? 'video' : 'sesli'})`,
  trayOutgoing: (partner) => `${partner} aranıyor…`,
  trayInCall: (partner) => `${partner} ile görüşmede`,
  trayMissed: (count) => `${count} cevapsız arama`,
  trayDnd: 'Rahatsız etmeyin açık',
  menuOpen: "Heartline'ı aç",
  menuVoiceCall: 'Sesli Arama',
  menuVideoCall: 'Video Arama',
  menuDnd: 'Rahatsız etmeyin',
  menuSettings: 'Ayarlar',
  menuQuit: 'Çıkış',
  incomingTitle: (type) => (type === 'video' ? 'Gelen Video Arama' : 'Gelen Sesli Arama'),
  incomingBody: (partner) => `${partner} sizi arıyor`,
  missedTitle: (count) => (count === 1 ? 'Cevapsız arama' : `${count} cevapsız arama`),
  missedBody: (partner, count) => (partner && count === 1 ? `${partner} sizi aradı` : 'Geri aramak için Heartline’ı açın'),
  answer: 'Cevapla',
  answerAudioOnly: 'Sesli cevapla',
  decline: 'Reddet',
  pickerTitle: 'Paylaşılacak ekranı seçin',
  pickerCancel: 'İptal',
  pickerShare: 'Paylaş',
};

/** The language in effect: the setting, else the OS locale ('tr-TR' -> tr), else English. */
export function resolveLanguage(setting: Language | null, osLocale: string): Language {
  if (setting) return setting;
  return osLocale.toLowerCase().startsWith('tr') ? 'tr' : 'en';
}

export function stringsFor(language: Language): MainStrings {
  return language === 'tr' ? tr : en;
}
