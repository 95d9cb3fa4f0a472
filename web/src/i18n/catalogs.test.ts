import { describe, expect, it } from 'vitest';
import { compileMessageOrThrow } from '@lingui/message-utils/compileMessage';
import { flatKeys, usedKeys } from './catalog-keys';
import { languages } from './languages';

// Every catalog file, and the source of every module of the app (tests and this folder's scanner aside).
const files = import.meta.glob<unknown>('./locales/*/*.json', { eager: true, import: 'default' });
const sources = import.meta.glob<string>(
  ['../**/*.{ts,tsx}', '!../**/*.test.{ts,tsx}', '!../**/*.d.ts', '!./catalog-keys.ts'],
  { eager: true, query: '?raw', import: 'default' },
);

/** language → namespace → key → message */
const catalogs = new Map<string, Map<string, Map<string, string>>>();
for (const [path, catalog] of Object.entries(files)) {
  const [, language, namespace] = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path)!;
  if (!catalogs.has(language!)) catalogs.set(language!, new Map());
  catalogs.get(language!)!.set(namespace!, flatKeys(catalog));
}
const namespaces = [...new Set([...catalogs.values()].flatMap((c) => [...c.keys()]))].sort();
const messagesOf = (language: string, namespace: string) => catalogs.get(language)?.get(namespace) ?? new Map();

/** The arguments of a compiled ICU message, and the categories of each plural in it. */
function shape(message: string): { args: string[]; plurals: Set<string>[] } {
  const args = new Set<string>();
  const plurals: Set<string>[] = [];
  // A compiled message is a string, or a list of parts: literal strings and tokens
  // [argument, type?, branches?], each branch again a list of parts.
  const parts = (list: unknown) => {
    if (Array.isArray(list)) for (const part of list) if (Array.isArray(part)) token(part);
  };
  const token = ([name, type, branches]: unknown[]) => {
    if (typeof name === 'string') args.add(name);
    if (!branches || typeof branches !== 'object') return;
    if (type === 'plural' || type === 'selectordinal')
      plurals.push(new Set(Object.keys(branches).filter((k) => !k.startsWith('='))));
    Object.values(branches).forEach(parts);
  };
  parts(compileMessageOrThrow(message));
  return { args: [...args].sort(), plurals };
}

describe('the catalogs', () => {
  it('have every namespace in every language', () => {
    expect(namespaces).toContain('common');
    for (const language of languages)
      expect([...(catalogs.get(language)?.keys() ?? [])].sort(), language).toEqual(namespaces);
  });

  it('have the same keys in every language', () => {
    const problems: string[] = [];
    for (const namespace of namespaces) {
      const all = new Set(languages.flatMap((language) => [...messagesOf(language, namespace).keys()]));
      for (const key of all)
        for (const language of languages)
          if (!messagesOf(language, namespace).has(key)) problems.push(`${language}/${namespace}: missing ${key}`);
    }
    expect(problems).toEqual([]);
  });

  it('hold messages that compile, with the same placeholders, and every plural form each language needs', () => {
    const problems: string[] = [];
    for (const namespace of namespaces)
      for (const [key, english] of messagesOf('en', namespace)) {
        const reference = shape(english).args.join(',');
        for (const language of languages) {
          const message = messagesOf(language, namespace).get(key);
          if (message === undefined) continue;
          let parsed: ReturnType<typeof shape>;
          try {
            parsed = shape(message);
          } catch (err) {
            problems.push(`${language}/${namespace}:${key} is not valid ICU: ${String(err)}`);
            continue;
          }
          if (parsed.args.join(',') !== reference)
            problems.push(`${language}/${namespace}:${key} has {${parsed.args.join(',')}}, en has {${reference}}`);
          const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
          for (const categories of parsed.plurals)
            for (const category of needed)
              if (!categories.has(category))
                problems.push(`${language}/${namespace}:${key} lacks plural "${category}"`);
        }
      }
    expect(problems).toEqual([]);
  });

  it('hold every key the code uses', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const [path, source] of Object.entries(sources)) {
      const byKey = new Map<string, string[]>();
      for (const { namespace, key } of usedKeys(source)) byKey.set(key, [...(byKey.get(key) ?? []), namespace]);
      for (const [key, candidates] of byKey) {
        checked += 1;
        if (!candidates.some((namespace) => messagesOf('en', namespace).has(key)))
          missing.push(`${path}: ${candidates.join('|')}:${key}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });
});

describe('the key scanner', () => {
  it('finds literal keys in the namespace a file names', () => {
    const source = `const { t } = useT('jobs'); t('list.title'); t('bulk.stop', { count });
      <Rich ns="clusters" k="prompt.disabled" components={{}} />`;
    expect(usedKeys(source)).toEqual([
      { namespace: 'jobs', key: 'list.title' },
      { namespace: 'jobs', key: 'bulk.stop' },
      { namespace: 'clusters', key: 'prompt.disabled' },
    ]);
    expect(usedKeys(`t('shell.brand')`)).toEqual([{ namespace: 'common', key: 'shell.brand' }]);
  });
});
