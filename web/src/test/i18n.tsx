import type { ReactNode } from 'react';
import { setupI18n, type Messages } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { toMessages } from '../i18n/catalogs';

const catalogs = import.meta.glob<unknown>('../i18n/locales/*/*.json', { eager: true, import: 'default' });

/** Every catalog of one language, loaded at once (the app fetches them per page; a test needs no wait). */
export function testI18n(language: 'en' | 'zh-CN' = 'en') {
  const i18n = setupI18n();
  for (const [path, catalog] of Object.entries(catalogs)) {
    const [, lang, namespace] = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path)!;
    if (lang === language) i18n.load(language, toMessages(namespace!, catalog) as Messages);
  }
  i18n.activate(language);
  return i18n;
}

const english = testI18n('en');

/** The app's words in English, for components rendered on their own (`render(ui, { wrapper: InEnglish })`). */
export function InEnglish({ children }: { children: ReactNode }) {
  return <I18nProvider i18n={english}>{children}</I18nProvider>;
}
