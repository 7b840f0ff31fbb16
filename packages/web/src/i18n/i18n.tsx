// Language context: default from navigator.language, switchable in the header, persisted.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { en, zh } from './dict.js';
import type { MessageKey } from './dict.js';

export type Lang = 'en' | 'zh';
const KEY = 'nevhub.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export type Translate = (key: MessageKey) => string;

interface I18n {
  lang: Lang;
  t: Translate;
  setLang: (l: Lang) => void;
  /** Locale for number/date formatting. */
  locale: string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(KEY, l);
    setLangState(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const dict = lang === 'zh' ? zh : en;
    // Unknown keys (e.g. a vehicle type the API added later) show as themselves.
    const t: Translate = (k) => (dict as Record<string, string | undefined>)[k] ?? k;
    return { lang, setLang, t, locale: lang === 'zh' ? 'zh-CN' : 'en-GB' };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
