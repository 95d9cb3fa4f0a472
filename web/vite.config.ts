import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { compileMessageOrThrow } from '@lingui/message-utils/compileMessage';

// Libraries every page needs, each in a chunk of its own: they change less often than the app, so a
// browser keeps them cached across releases, and the pages' chunks share them instead of copying them.
const vendorGroups = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
  { name: 'router', test: /node_modules[\\/]react-router[\\/]/ },
  { name: 'query', test: /node_modules[\\/]@tanstack[\\/](query-core|react-query)[\\/]/ },
  { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
];

/** zod's JSON Schema generator, which its classic schemas import whether or not it is called. */
const generatorModule = /[\\/]zod[\\/]v4[\\/]core[\\/](to-json-schema|json-schema-processors)\.js$/;

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

// In development the BFF runs on its own port and Vite proxies /api to it, so the browser still sees
// one origin (the session cookie is SameSite=Strict and host-only).
export default defineConfig({
  plugins: [react(), zodWithoutJsonSchema(), compiledCatalogs()],
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
    rolldownOptions: { output: { codeSplitting: { groups: vendorGroups } } },
  },
});
