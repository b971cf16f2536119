import type { Language } from '../../../src-shared/ipc';
import { useI18n } from '../../hooks/useI18n';
import { isLanguage } from '../../i18n';

export function LanguagePicker({ value, onChange }: { value: Language | null; onChange: (language: Language | null) => void }): React.JSX.Element {
  const t = useI18n();
  return (
    <label className="field inline">
      <span>{t.t('language')}</span>
      <select data-testid="settings-language" value={value ?? ''} onChange={(e) => onChange(isLanguage(e.target.value) ? e.target.value : null)}>
        <option value="">{t.t('languageSystem')}</option>
        <option value="tr">Türkçe</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
