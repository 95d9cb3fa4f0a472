import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { compileMessageOrThrow } from '@lingui/message-utils/compileMessage';

/** zod's JSON Schema generator, which its classic schemas import whether or not it is called. */
const generatorModule = /[\\/]zod[\\/]v4[\\/]core[\\/](to-json-schema|json-schema-processors)\.js$/;

// What every page needs, in two chunks besides the first script: React, which changes least often (a
// browser keeps it cached across releases), and `app-base`.
const vendorGroups = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
  // The router, TanStack Query, Lingui, and the app's own modules that the first page and
  // nearly every later page import (the API client, the error panel). In one chunk: the first page needs
  // all of it at once, one file compresses better than several and is one request, and once enough lazy
  // pages shared them Rolldown split the app's modules into chunks of their own, which pushed the cluster
  // list over its 120 KB budget (issue 12's pages: 7 scripts, 121.0 KB gzip; with this group: 4, 118.4 KB).
  // What these import comes along: zod's core and zod/mini, in which the first page's schemas are written
  // (shared/src/clusters.ts), but not classic zod, which only later pages' schemas use. Infinite queries
  // are left out: only the audit page uses them, and they come with its chunk.
  {
    name: 'app-base',
    test: (id: string) =>
      (/node_modules[\\/](react-router|@tanstack[\\/](query-core|react-query))[\\/]/.test(id) &&
        !/[\\/](useInfiniteQuery|infiniteQueryObserver|infiniteQueryOptions)\.js$/.test(id)) ||
      /node_modules[\\/]@lingui[\\/](core|react)[\\/]/.test(id) ||
      /[\\/]web[\\/]src[\\/](lib[\\/](api-client|api-error)|components[\\/]error-panel)\.tsx?$/.test(id),
  },
];

/** The chunks the first script imports: Rolldown's runtime and the vendor groups above. */
const firstScriptImport = new RegExp(
  `(^|/)(rolldown-runtime|${vendorGroups.map((g) => g.name).join('|')})-[\\w-]+\\.js$`,
);

/**
 * Leaves zod's JSON Schema generator (6 KB gzip) out of the browser build. Every classic schema carries
 * a `toJSONSchema()` method, so bundlers keep the generator although the web app never calls it (the
 * server publishes the OpenAPI document). Each export of those two modules becomes a function that
 * throws saying why, and the `create…Method` factories, which schemas call when they are built, return
 * one. The web app's tests and the e2e suite run against this build; a zod release that calls the
 * generator while parsing would fail them loudly rather than quietly.
 */
function zodWithoutJsonSchema(): Plugin {
  return {
    name: 'zod-without-json-schema',
    apply: 'build',
    enforce: 'pre',
    load(id) {
      const file = id.split('?')[0]!;
      if (!generatorModule.test(file)) return null;
      const source = readFileSync(file, 'utf8');
      const names = new Set<string>();
      for (const m of source.matchAll(/^export (?:const|function|class) (\w+)/gm)) names.add(m[1]!);
      for (const m of source.matchAll(/^export \{([^}]*)\}/gm))
        for (const part of m[1]!.split(',')) names.add(part.split(' as ').pop()!.trim());
      names.delete('');
      const lines = [
        `const unavailable = () => { throw new Error('zod\\'s JSON Schema generator is left out of the web build (web/vite.config.ts).'); };`,
        ...[...names].map(
          (n) => `export const ${n} = ${n.startsWith('create') ? '() => unavailable' : 'unavailable'};`,
        ),
      ];
      return lines.join('\n');
    },
  };
}

/** zod's English issue messages, which classic schemas install as the default locale. */
const zodEnglishLocale = /[\\/]zod[\\/]v4[\\/]locales[\\/]en\.js$/;

/**
 * Leaves zod's English issue messages (1.5 KB gzip) out of the browser build. The browser never shows
 * a zod message: a form words each refused field in the user's language (submit-form-model.ts) and a
 * BFF answer that does not parse is reported in words of the app's own. Without a locale, an issue
 * with no message of its own reads "Invalid input"; the schemas' own messages stay. The server, which
 * answers API clients with zod's English, is not built by Vite.
 */
function zodWithoutEnglishMessages(): Plugin {
  return {
    name: 'zod-without-english-messages',
    apply: 'build',
    enforce: 'pre',
    load(id) {
      return zodEnglishLocale.test(id.split('?')[0]!) ? 'export default function () { return {}; }' : null;
    },
  };
}

/** The message catalogs (web/src/i18n/locales/<language>/<feature>.json). */
const catalogFile = /[\\/]src[\\/]i18n[\\/]locales[\\/][^\\/]+[\\/][^\\/]+\.json$/;

/**
 * Compiles every ICU message of the catalogs at build time, as Lingui's own CLI would, so the browser
 * gets ready-made messages and Lingui's message parser stays out of the build (in development and in
 * unit tests Lingui compiles a message when it is first used). A message that is not valid ICU fails
 * the build, naming it.
 */
function compiledCatalogs(): Plugin {
  const compile = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      try {
        return compileMessageOrThrow(value);
      } catch (err) {
        throw new Error(`${path} is not valid ICU MessageFormat: ${String(err)}`, { cause: err });
      }
    }
    if (value === null || typeof value !== 'object') throw new Error(`${path} is neither a message nor a group`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compile(v, `${path}.${k}`)]));
  };
  return {
    name: 'compiled-catalogs',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0]!;
      if (!catalogFile.test(file)) return null;
      return { code: JSON.stringify(compile(JSON.parse(code), file)), map: null };
    },
  };
}

/**
 * Catalogs fetched as one chunk per language: the first page's (the shell and the cluster list) and the
 * job page's (its debugging sections and log viewer), so a deep link to a job's log waits on two catalog
 * requests rather than five among the page's scripts (a browser opens six connections to one host).
 * Every other feature's catalog is a chunk of its own.
 */
const catalogGroups: Record<string, string> = {
  common: 'first',
  clusters: 'first',
  shell: 'first',
  tokens: 'first',
  identity: 'first',
  roles: 'first',
  jobs: 'job',
  debug: 'job',
  taskTiming: 'job',
  logs: 'job',
  serveReplicas: 'serve',
};
const groupOf = (namespace: string) => catalogGroups[namespace] ?? namespace;

/** A chunk of catalogs: `\0catalog-group:<language>/<group>`, which re-exports the group's files. */
const catalogGroupPrefix = '\0catalog-group:';
const localesDir = fileURLToPath(new URL('./src/i18n/locales/', import.meta.url));
const catalogFilesModule = /[\\/]src[\\/]i18n[\\/]catalog-files\.ts$/;

/**
 * One loader per chunk of catalogs in the first script, rather than one per file. In development and
 * tests, catalog-files.ts fetches each file with `import.meta.glob`; in the build it becomes the same
 * record (`./locales/<language>/<namespace>.json` → a loader of `{ default }`), each entry taking its
 * namespace from its group's module. One loader per file, each with its preload list, made 0.4 KB (gzip)
 * of the first script; one per chunk, 0.3 KB.
 */
function groupedCatalogLoaders(): Plugin {
  const languages = () => readdirSync(localesDir).sort();
  const namespaces = (language: string) =>
    readdirSync(path.join(localesDir, language))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
  return {
    name: 'grouped-catalog-loaders',
    apply: 'build',
    enforce: 'pre',
    resolveId(id) {
      return id.startsWith(catalogGroupPrefix) ? id : null;
    },
    load(id) {
      if (id.startsWith(catalogGroupPrefix)) {
        const [language = '', group] = id.slice(catalogGroupPrefix.length).split('/');
        return namespaces(language)
          .filter((ns) => groupOf(ns) === group)
          .map(
            (ns) =>
              `export { default as ${ns} } from ${JSON.stringify(path.join(localesDir, language, `${ns}.json`))};`,
          )
          .join('\n');
      }
      if (!catalogFilesModule.test(id.split('?')[0]!)) return null;
      // { 'en/first': [loader, 'clusters common …'], … }: each group's loader and the namespaces it holds.
      const groups = new Map<string, string[]>();
      for (const language of languages())
        for (const ns of namespaces(language)) {
          const key = `${language}/${groupOf(ns)}`;
          groups.set(key, [...(groups.get(key) ?? []), ns]);
        }
      const entries = [...groups].map(
        ([key, names]) =>
          `${JSON.stringify(key)}: [() => import(${JSON.stringify(catalogGroupPrefix + key)}), ${JSON.stringify(names.join(' '))}]`,
      );
      return [
        `const groups = { ${entries.join(', ')} };`,
        'export const catalogFiles = {};',
        'for (const [key, [load, names]] of Object.entries(groups))',
        '  for (const ns of names.split(" "))',
        '    catalogFiles[`./locales/${key.split("/")[0]}/${ns}.json`] = () => load().then((m) => ({ default: m[ns] }));',
      ].join('\n');
    },
  };
}
const catalogChunk = (id: string) => {
  const file = id.split('?')[0]!;
  if (file.startsWith(catalogGroupPrefix)) return `catalog-${file.slice(catalogGroupPrefix.length).replace('/', '-')}`;
  const m = /[\\/]locales[\\/]([^\\/]+)[\\/]([^\\/]+)\.json$/.exec(file);
  return m ? `catalog-${m[1]}-${groupOf(m[2]!)}` : null;
};

// In development the BFF runs on its own port and Vite proxies /api to it, so the browser still sees
// one origin (the session cookie is SameSite=Strict and host-only).
export default defineConfig({
  plugins: [react(), zodWithoutJsonSchema(), zodWithoutEnglishMessages(), compiledCatalogs(), groupedCatalogLoaders()],
  resolve: { conditions: ['source'] },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.BFF_URL ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    // Maps are built for debugging a release, but not referenced from the scripts ('hidden'): the console
    // serves them only with SERVE_SOURCE_MAPS=true (docs/operations.md).
    sourcemap: 'hidden',
    // .vite/manifest.json: which chunks each page needs; the bundle benchmark sums them per route.
    manifest: true,
    // No modulepreload polyfill in the first script: current Chromium, Firefox (115+) and Safari (17+)
    // have <link rel=modulepreload>; an older browser only loses the hint (a chunk's imports load after it).
    modulePreload: {
      polyfill: false,
      // A page's chunk is fetched with the chunks it imports, except those the first script imports: they
      // are loaded before any page's chunk is asked for, and listing them for every page made the first
      // script longer (it holds every page's list).
      resolveDependencies: (_file, deps, { hostType }) =>
        hostType === 'js' ? deps.filter((dep) => !firstScriptImport.test(dep)) : deps,
    },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            ...vendorGroups,
            { name: catalogChunk, test: (id: string) => catalogFile.test(id) || id.startsWith(catalogGroupPrefix) },
          ],
        },
      },
    },
  },
});
