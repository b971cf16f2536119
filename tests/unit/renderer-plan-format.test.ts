// How a planned call's time reads: this device's time, and the partner's only when it differs.
import { describe, expect, it } from 'vitest';
import { describeOccurrence, inputsFor, startsAtFrom } from '../../src-renderer/components/Plans/plan-format';

// Sunday 5 January 2031, 18:00 UTC: 21:00 in Istanbul, 19:00 in Berlin, 07:00 Monday in Auckland (summer there).
const at = Date.UTC(2031, 0, 5, 18, 0);

describe('describeOccurrence', () => {
  it('gives the partner\'s time when their clock shows another one', () => {
    const text = describeOccurrence(at, { myZone: 'Europe/Istanbul', partnerZone: 'Europe/Berlin', locale: 'en-US' });
    expect(text.mine).toMatch(/Sunday/);
    expect(text.mine).toContain('21:00');
    expect(text.partner).toBe('19:00');
  });

  it('names the partner\'s weekday when it is another day there', () => {
    const text = describeOccurrence(at, { myZone: 'Europe/Berlin', partnerZone: 'Pacific/Auckland', locale: 'tr-TR' });
    expect(text.mine).toMatch(/Pazar/);
    expect(text.partner).toMatch(/Pazartesi/);
    expect(text.partner).toContain('07:00');
  });

  it('says nothing more when both clocks agree, or the partner never reported a zone', () => {
    expect(describeOccurrence(at, { myZone: 'Europe/Berlin', partnerZone: 'Europe/Paris', locale: 'en-US' }).partner).toBeNull();
    expect(describeOccurrence(at, { myZone: 'Europe/Berlin', partnerZone: null, locale: 'en-US' }).partner).toBeNull();
  });
});

describe('dialog inputs', () => {
  it('a date and time typed in Istanbul become the instant they name, and back', () => {
    expect(startsAtFrom('2031-01-05', '21:00', 'Europe/Istanbul')).toBe(new Date(at).toISOString());
    expect(inputsFor(at, 'Europe/Berlin')).toEqual({ date: '2031-01-05', time: '19:00' });
  });
});
