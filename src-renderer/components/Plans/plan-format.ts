// How a planned call's time reads on screen: in this device's zone, and in the
// partner's when their wall clock shows something else ("Sunday 21:00 for you
// · 20:00 for Bob"). Pure (zones come in as arguments), so it is unit-tested.
import { DateTime } from 'luxon';
import { instantOf } from '../../../src-shared/plans';

/** The zone this device runs in, as the browser or OS reports it. */
export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export interface OccurrenceText {
  /** Day and time where this device is: "Sunday, 5 Jan, 21:00". */
  mine: string;
  /** The time where the partner is, only when it differs; with its weekday when that differs too. */
  partner: string | null;
}

export function describeOccurrence(at: number, options: { myZone: string; partnerZone: string | null; locale: string }): OccurrenceText {
  const mineAt = DateTime.fromMillis(at, { zone: options.myZone }).setLocale(options.locale);
  const mine = mineAt.toLocaleString({ weekday: 'long', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (!options.partnerZone) return { mine, partner: null };
  const theirsAt = DateTime.fromMillis(at, { zone: options.partnerZone }).setLocale(options.locale);
  if (theirsAt.toFormat('yyyy-MM-dd HH:mm') === mineAt.toFormat('yyyy-MM-dd HH:mm')) return { mine, partner: null };
  const sameDay = theirsAt.toISODate() === mineAt.toISODate();
  const partner = theirsAt.toLocaleString(sameDay ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return { mine, partner };
}

/** The instant a date and time typed on this device (in `zone`) name, as the API wants it. */
export function startsAtFrom(date: string, time: string, zone: string): string {
  return new Date(instantOf(`${date}T${time}`, zone)).toISOString();
}

/** The date and time inputs' values for an instant, in `zone`. */
export function inputsFor(at: number, zone: string): { date: string; time: string } {
  const local = DateTime.fromMillis(at, { zone });
  return { date: local.toFormat('yyyy-MM-dd'), time: local.toFormat('HH:mm') };
}
