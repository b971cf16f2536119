import { useContext } from 'react';
import { I18nContext } from '../i18n/context';
import type { Translator } from '../i18n';

export function useI18n(): Translator {
  return useContext(I18nContext);
}
