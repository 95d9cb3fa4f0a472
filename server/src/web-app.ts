import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Express, type RequestHandler } from 'express';
import { AppError } from './lib/app-error.js';
import { errorBody } from './lib/error-middleware.js';

/** Vite names every built script and style after its content (`assets/index-<hash>.js`). */
const HASHED_ASSETS = '/assets';

/**
 * The built single-page app, from the same origin as the API; unknown paths get index.html (deep links).
 * Mounted after the API, which answers every `/api` path itself, so nothing here touches an API answer.
 *
 * - Compressed for browsers that accept it: the first page's scripts are 3 times smaller gzip'd
 *   (docs/benchmarks.md, "Initial load"). Only the web app's files: a compressor buffers what it is
 *   given, which would hold back the API's live streams.
 * - Hashed assets are cached for a year as immutable (a new release has new names); index.html is
 *   never cached, so a release reaches every browser at its next load.
 * - Source maps (`*.map`, built but not referenced from the scripts) are served only with
 *   SERVE_SOURCE_MAPS: they add nothing for a user, and hand anyone the full client source with its comments.
 */
export function serveWebApp(
  app: Express,
  webDist: string | undefined,
  serveSourceMaps: boolean,
  /** Run before a page (index.html) is served: with single sign-on, the session and the sign-in gate. */
  pageGate: readonly RequestHandler[] = [],
): void {
  if (!webDist || !existsSync(path.join(webDist, 'index.html'))) return;
  if (!serveSourceMaps) {
    app.use((req, res, next) => {
      if (!req.path.endsWith('.map')) return next();
      res.status(404).json(errorBody(new AppError('not_found', 'Source maps are not served (SERVE_SOURCE_MAPS).')));
    });
  }
  app.use(compression());
  app.use(
    HASHED_ASSETS,
    express.static(path.join(webDist, 'assets'), { index: false, maxAge: '365d', immutable: true, fallthrough: false }),
  );
  app.use(express.static(webDist, { index: false, maxAge: '1h' }));
  app.get(/^\/(?!api\/).*/, ...pageGate, (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(path.join(webDist, 'index.html'));
  });
}
