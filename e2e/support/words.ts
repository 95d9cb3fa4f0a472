import { readdirSync, readFileSync } from 'node:fs';
import { setupI18n, type Messages } from '@lingui/core';
import { toMessages } from '../../web/src/i18n/catalogs';
import { pickLanguage } from '../../web/src/i18n/languages';

/**
 * The web app's own words in the language of a test project, so page objects find controls by the
 * names a user of that language reads (`getByRole('button', { name: words('jobs', 'submit.submit') })`).
 * Messages are read from the web app's catalogs and formatted by Lingui, as the browser does.
 */
export type Words = (namespace: string, key: string, values?: Record<string, string | number>) => string;

const locales = new URL('../../web/src/i18n/locales/', import.meta.url);

/** The console's language for a browser locale, chosen as the web app chooses it. */
export const consoleLanguage = (locale: string | undefined) => pickLanguage(locale ? [locale] : []);

export function wordsFor(locale: string | undefined): Words {
  const language = consoleLanguage(locale);
  const i18n = setupI18n();
  const dir = new URL(`${language}/`, locales);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const catalog: unknown = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    i18n.load(language, toMessages(file.replace(/\.json$/, ''), catalog) as Messages);
  }
  i18n.activate(language);
  return (namespace, key, values) => {
    const id = `${namespace}:${key}`;
    if (!(id in i18n.messages)) throw new Error(`No message ${id} in the ${language} catalogs`);
    return i18n._(id, values);
  };
}

/** A pattern for a message with some values unknown: each `(.+)` value matches anything. */
export function wordsPattern(words: Words, namespace: string, key: string, values: Record<string, string>): RegExp {
  const marker = '\u0000';
  const text = words(
    namespace,
    key,
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === '(.+)' ? marker : v])),
  );
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll(marker, '.+');
  return new RegExp(`^${escaped}$`);
}
