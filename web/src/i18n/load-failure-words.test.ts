import { describe, expect, it } from 'vitest';
import { toMessages } from './catalogs';
import { languages } from './languages';
import { loadFailureWords } from './load-failure-words';

const files = import.meta.glob<unknown>('./locales/*/common.json', { eager: true, import: 'default' });

describe('the words of the load-failure panel kept in the first script', () => {
  it.each(languages)('are the catalogs’ own words in %s, so the panel says the same thing either way', (language) => {
    const catalog = toMessages('common', files[`./locales/${language}/common.json`]);
    const words = loadFailureWords[language];
    expect(Object.keys(words).length).toBeGreaterThan(0);
    for (const [id, text] of Object.entries(words)) expect([id, text]).toEqual([id, catalog[id]]);
  });
});
