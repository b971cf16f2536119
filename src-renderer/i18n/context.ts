import { createContext } from 'react';
import { createTranslator, type Translator } from './index';

export const I18nContext = createContext<Translator>(createTranslator('en'));
