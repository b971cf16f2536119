import { describe, expect, it } from 'vitest';
import { createTranslator, detectLanguage } from '../../src-renderer/i18n';
import { catalogs } from '../../src-renderer/i18n/messages';

describe('renderer i18n', () => {
  it('picks Turkish for tr-* and English otherwise', () => {
    expect(detectLanguage(['tr-TR', 'en-US'])).toBe('tr');
    expect(detectLanguage(['de-DE', 'TR'])).toBe('tr');
    expect(detectLanguage(['fr-FR'])).toBe('en');
    expect(detectLanguage([])).toBe('en');
  });

  it('has every English message in Turkish, none empty', () => {
    for (const [key, value] of Object.entries(catalogs.tr.messages)) expect(value, key).not.toBe('');
    expect(Object.keys(catalogs.tr.messages).sort()).toEqual(Object.keys(catalogs.en.messages).sort());
  });

  it('fills placeholders and formats durations through Intl', () => {
    const tr = createTranslator('tr');
    const en = createTranslator('en');
    expect(tr.t('calling', { name: 'Ayşe' })).toBe('Ayşe aranıyor…');
    expect(en.t('calling', { name: 'Bob' })).toBe('Calling Bob…');
    expect(en.clock(65)).toBe('01:05');
    expect(en.clock(3723)).toBe('1:02:03');
    expect(en.duration(65)).toMatch(/1 min.*5 sec/);
    expect(tr.duration(65)).toMatch(/1 dk.*5 sn/);
    expect(en.duration(0)).toMatch(/0 sec/);
    expect(en.error('PARTNER_OFFLINE', { name: 'Bob' })).toBe('Bob is offline. They will see your missed call.');
  });
});
