// vue-i18n set-up: Chinese (zh-CN) first, English second; the choice is kept in localStorage and
// sent to the server as Accept-Language (so its messages come back in the same language).
import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import en from './en';
import { setApiLanguage } from '@/api/client';

export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'tongxin.lang';

function savedLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'en' || v === 'zh-CN') return v;
  } catch {
    /* storage may be off (private mode) */
  }
  return 'zh-CN';
}

// Each product part keeps its texts in features/<name>/i18n.ts under a top-level key of its own;
// they are added to the two catalogues before vue-i18n sees them.
const featureTexts = import.meta.glob<{ default: Record<Lang, Record<string, unknown>> }>(
  '../features/*/i18n.ts',
  { eager: true },
);
for (const mod of Object.values(featureTexts)) {
  Object.assign(zhCN, mod.default['zh-CN']);
  Object.assign(en, mod.default.en);
}

export const i18n = createI18n({
  legacy: false,
  locale: savedLang(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

/** Switches the language of the UI and of the server's messages, and remembers it. */
export function setLang(lang: Lang): void {
  i18n.global.locale.value = lang;
  setApiLanguage(lang);
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembered, still switched */
  }
}

setLang(savedLang());
