// Language choice and formatting. Dates, times and durations go through Intl in
// the chosen language; the words come from messages.ts.
import type { EndReason, ErrorCode } from '../../src-shared/protocol';
import { LANGUAGES, type Language } from '../../src-shared/ipc';
import type { RecordingFailure } from '../../src-shared/recording';
import { catalogs, type MessageKey } from './messages';

export type { MessageKey } from './messages';

/** The first of the user's preferred languages that we speak; English otherwise. */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    const match = LANGUAGES.find((lang) => lang === base);
    if (match) return match;
  }
  return 'en';
}

export const isLanguage = (value: unknown): value is Language => LANGUAGES.some((lang) => lang === value);

function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export interface Translator {
  language: Language;
  /** BCP 47 tag for Intl. */
  locale: string;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  error(code: ErrorCode, values?: Record<string, string | number>): string;
  endReason(reason: EndReason | 'failed' | 'expired'): string;
  recordingFailure(failure: RecordingFailure): string;
  dateTime(iso: string | number): string;
  time(iso: string | number): string;
  /** "1 min 5 s" style, for history. */
  duration(seconds: number): string;
  /** "01:05" / "1:02:03", for the running call timer. */
  clock(seconds: number): string;
}

export function createTranslator(language: Language): Translator {
  const catalog = catalogs[language];
  const locale = language === 'tr' ? 'tr-TR' : 'en-US';
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const unit = (u: 'hour' | 'minute' | 'second') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' });
  const hours = unit('hour');
  const minutes = unit('minute');
  const secs = unit('second');
  const list = new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' });
  const two = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  return {
    language,
    locale,
    t: (key, values) => fill(catalog.messages[key], values),
    error: (code, values) => fill(catalog.errors[code], { detail: '', name: '', ...values }),
    endReason: (reason) => catalog.endReasons[reason],
    recordingFailure: (failure) => catalog.recordingFailures[failure],
    dateTime: (value) => dateTimeFormat.format(new Date(value)),
    time: (value) => timeFormat.format(new Date(value)),
    duration: (seconds) => {
      const s = Math.max(0, Math.round(seconds));
      const parts: string[] = [];
      if (s >= 3600) parts.push(hours.format(Math.floor(s / 3600)));
      if (s >= 60) parts.push(minutes.format(Math.floor((s % 3600) / 60)));
      if (s % 60 || s < 60) parts.push(secs.format(s % 60));
      return list.format(parts);
    },
    clock: (seconds) => {
      const s = Math.max(0, Math.floor(seconds));
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      const rest = `${two.format(m)}:${two.format(s % 60)}`;
      return h ? `${h}:${rest}` : rest;
    },
  };
}
