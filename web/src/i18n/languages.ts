/** The languages the console speaks; every catalog exists in each (i18n/catalogs.test.ts checks it). */
export const languages = ['en', 'zh-CN'] as const;
export type Language = (typeof languages)[number];

/** Each language named in itself, so a reader finds their own in the switcher whatever is shown now. */
export const languageNames: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

export const isLanguage = (value: unknown): value is Language => languages.includes(value as Language);

/**
 * The language for a browser's list of preferred languages (`navigator.languages`), the first that the
 * console speaks winning. Every Simplified Chinese tag (zh, zh-CN, zh-Hans, zh-SG…) is zh-CN; a
 * Traditional Chinese one (zh-TW, zh-HK, zh-Hant…) is not, so such a reader gets their next choice
 * rather than a script they did not ask for. A stored choice from the switcher comes before all of them.
 */
export function pickLanguage(preferred: readonly string[], stored?: string | null): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const [primary = '', ...rest] = tag.toLowerCase().split(/[-_]/);
    if (primary === 'en') return 'en';
    if (primary !== 'zh') continue;
    const traditional = rest.some((part) => ['hant', 'tw', 'hk', 'mo'].includes(part));
    const simplified = rest.includes('hans');
    if (simplified || !traditional) return 'zh-CN';
  }
  return 'en';
}
