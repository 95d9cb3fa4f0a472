import { setupI18n, type Messages } from '@lingui/core';
import { catalogFiles as files } from './catalog-files';
import { toMessages } from './catalogs';
import { pickLanguage, type Language } from './languages';
import { loadFailureWords } from './load-failure-words';

/**
 * The app's one Lingui instance. Catalogs are JSON files per language and feature
 * (`locales/<language>/<namespace>.json`, messages in ICU MessageFormat), fetched only when a page needs
 * them: the first script carries no catalog, and a page's catalogs load beside the page's chunk
 * (app/route-pages.tsx), grouped into a few chunks per language by web/vite.config.ts. The build compiles every message (web/vite.config.ts),
 * so no message parser reaches the browser.
 */
export const i18n = setupI18n();

/** The only thing the console keeps in browser storage besides the theme: a preference, not a secret. */
const STORAGE_KEY = 'ray-console.language';

/**
 * The namespaces the shell and the first page need (the cluster list and the sign-in prompt); `shell`
 * holds every page's title and the theme switch, `tokens` what the list says of clusters the console
 * holds the token of, `identity` the signed-in person in the header, `roles` the person's role badges.
 */
const firstNamespaces = ['common', 'clusters', 'shell', 'tokens', 'identity', 'roles'];

/** Namespaces some page has asked for: a language switch fetches them all in the new language. */
const inUse = new Set<string>();
const fetched = new Map<string, Promise<void>>();

/** Fetches one catalog into the instance, once per language (again after a failure). */
function fetchCatalog(language: Language, namespace: string): Promise<void> {
  const id = `${language}/${namespace}`;
  let done = fetched.get(id);
  if (!done) {
    const load = files[`./locales/${id}.json`];
    if (!load) return Promise.reject(new Error(`There is no ${language} catalog named ${namespace}.`));
    done = load().then(
      (module) => i18n.load(language, toMessages(namespace, module.default) as Messages),
      (err: unknown) => {
        fetched.delete(id);
        throw err;
      },
    );
    fetched.set(id, done);
  }
  return done;
}

function storedLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // Storage refused (a privacy mode): the browser's languages decide.
  }
}

let language: Language = 'en';

/** The language shown now ('en' before startI18n has run, as in unit tests). */
export const currentLanguage = (): Language => language;

function activate(next: Language) {
  language = next;
  document.documentElement.lang = next;
  i18n.activate(next);
}

/**
 * Picks the language (the switcher's remembered choice, else the browser's) and fetches the shell's
 * catalogs. main.tsx draws once this has settled, so no English flashes before Chinese; the requests run
 * beside the cluster list's. The language is known from the start, so the page chunk preloaded beside
 * (route-pages.tsx) fetches its catalogs in it, not in English.
 */
export async function startI18n(): Promise<void> {
  const chosen = pickLanguage(navigator.languages ?? [navigator.language], storedLanguage());
  language = chosen;
  for (const namespace of firstNamespaces) inUse.add(namespace);
  // The panel that says a catalog could not be fetched needs words of its own.
  for (const words of Object.entries(loadFailureWords)) i18n.load(words[0], words[1]);
  try {
    await Promise.all([...inUse].map((namespace) => fetchCatalog(chosen, namespace)));
  } finally {
    activate(chosen);
  }
}

/** Fetches a page's catalogs in the current language (resolves once they are there). */
export async function loadNamespaces(namespaces: readonly string[]): Promise<void> {
  for (const namespace of namespaces) inUse.add(namespace);
  await Promise.all(namespaces.map((namespace) => fetchCatalog(language, namespace)));
}

/** Switches the language (fetching every catalog in use in it first) and remembers the choice. */
export async function switchLanguage(next: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but still switched for this visit.
  }
  await Promise.all([...inUse].map((namespace) => fetchCatalog(next, namespace)));
  activate(next);
}
