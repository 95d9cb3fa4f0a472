import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type session from 'express-session';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { buildOpenApiDocument } from '@ray-console/shared';
import type { Config } from './config.js';
import { AppError } from './lib/app-error.js';
import { apiNotFound, errorBody, errorMiddleware } from './lib/error-middleware.js';
import { ClusterCredentials } from './session/cluster-credentials.js';
import { csrfProtection } from './session/csrf.js';
import { sessionMiddleware } from './session/session-middleware.js';
import { TokenSeal } from './session/token-seal.js';
import { ClusterAccess } from './features/clusters/cluster-access.js';
import { ClusterRegistry, ConfiguredClusters, type ClusterSource } from './features/clusters/cluster-registry.js';
import { clustersRouter } from './features/clusters/clusters.router.js';
import { healthRouter } from './features/health/health.router.js';
import { resourcesRouter } from './features/resources/resources.router.js';
import { sessionRouter } from './features/session/session.router.js';
import { VERSION } from './version.js';

export interface AppDeps {
  config: Readonly<Config>;
  /** Secrets that sign cookies and seal tokens (the first is current). */
  secrets: readonly string[];
  store: session.Store;
  logger: Logger;
  /** More places to find clusters (Kubernetes discovery) beside the configured ones. */
  clusterSources?: readonly ClusterSource[];
}

/** Builds the Express app without listening, so tests can create it with real or fake dependencies. */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('json replacer', undefined);

  const registry = new ClusterRegistry(
    [new ConfiguredClusters(config.clusters), ...(deps.clusterSources ?? [])],
    { timeoutMs: config.rayRequestTimeoutMs, userAgent: `ray-console/${VERSION}` },
  );
  const credentials = new ClusterCredentials(new TokenSeal(deps.secrets));
  const access = new ClusterAccess(registry, credentials);

  app.use(
    pinoHttp({
      logger,
      // Only what is needed to follow a request; no bodies, no cookies, no query strings.
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/api/healthz' },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'frame-ancestors': ["'none'"],
          'form-action': ["'self'"],
          'upgrade-insecure-requests': null,
        },
      },
      strictTransportSecurity: config.secureCookies,
    }),
  );

  const api = express.Router();
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use(healthRouter());
  api.get('/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument(VERSION));
  });
  api.use(...sessionMiddleware({
    store: deps.store,
    secrets: deps.secrets,
    idleMs: config.sessionIdleMs,
    absoluteMs: config.sessionAbsoluteMs,
    secureCookies: config.secureCookies,
  }));
  api.use(express.json({ limit: '1mb', strict: true }));
  api.use(csrfProtection(config.allowedOrigins));
  api.use(sessionRouter(credentials));
  api.use(clustersRouter({ registry, credentials, access, loginRateLimit: loginRateLimit(config.loginRateLimitPerMinute) }));
  api.use(resourcesRouter(access));
  api.use(apiNotFound);
  app.use('/api', api);

  serveWebApp(app, config.webDist);
  app.use(errorMiddleware);
  return app;
}

/** Sign-in attempts per client address and minute; past the limit, 429 with `Retry-After`. */
function loginRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res, _next, options) => {
      const err = new AppError(
        'rate_limited',
        `Too many sign-in attempts from this address; wait ${Math.ceil(options.windowMs / 1000)} seconds and try again.`,
      );
      res.status(429).json(errorBody(err));
    },
  });
}

/** The built single-page app, from the same origin as the API; unknown paths get index.html (deep links). */
function serveWebApp(app: Express, webDist: string | undefined): void {
  if (!webDist || !existsSync(path.join(webDist, 'index.html'))) return;
  app.use(express.static(webDist, { index: false, maxAge: '1h', immutable: false }));
  app.get(/^\/(?!api\/).*/, (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(path.join(webDist, 'index.html'));
  });
}
