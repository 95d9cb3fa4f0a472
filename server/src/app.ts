import path from 'node:path';
import express, { type Express, type Request, type RequestHandler } from 'express';
import type session from 'express-session';
import helmet from 'helmet';
import { rateLimit, type AugmentedRequest, type Store as RateLimitStore } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { buildOpenApiDocument } from '@ray-console/shared';
import type { Config } from './config.js';
import { RoleGate } from './access/role-gate.js';
import { RolePolicy } from './access/role-policy.js';
import { AppError } from './lib/app-error.js';
import { Drain } from './lib/drain.js';
import { refuseDeepJson } from './lib/json-depth.js';
import { apiNotFound, errorBody, errorMiddleware } from './lib/error-middleware.js';
import { ClusterCredentials } from './session/cluster-credentials.js';
import { CsrfTokens } from './session/csrf.js';
import { ManagedTokens } from './session/managed-tokens.js';
import { sessionMiddleware } from './session/session-middleware.js';
import { TokenSeal } from './session/token-seal.js';
import { ClusterAccess } from './features/clusters/cluster-access.js';
import { ClusterRegistry, ConfiguredClusters, type ClusterSource } from './features/clusters/cluster-registry.js';
import { clustersRouter } from './features/clusters/clusters.router.js';
import { AuditLog } from './features/audit/audit-log.js';
import { auditRouter } from './features/audit/audit.router.js';
import { SqliteAuditStore, type AuditStore } from './features/audit/audit-store.js';
import { healthRouter } from './features/health/health.router.js';
import { discoveryRouter } from './features/kubernetes/discovery.router.js';
import { kubeIdentityRouter } from './features/kuberay/kube-identity.router.js';
import { rayClusterProgressRouter } from './features/kuberay/raycluster-progress.router.js';
import { rayClustersCreateRouter } from './features/kuberay/rayclusters-create.router.js';
import { kubeIdentityRequired } from './kubernetes/person-kube-of.js';
import type { PersonKubeOf } from './kubernetes/person-kube.js';
import { KubeTokens } from './session/kube-tokens.js';
import { rayServicesRouter } from './features/kuberay/rayservices.router.js';
import { secretSignInRouter } from './features/kuberay/secret-sign-in.router.js';
import type { DiscoveryStatusSource } from './features/kubernetes/kubernetes-discovery.js';
import { resourcesRouter } from './features/resources/resources.router.js';
import { jobsRouter } from './features/jobs/jobs.router.js';
import { debuggingRouter } from './features/debugging/debugging.router.js';
import { JobListCache } from './features/jobs/job-list-cache.js';
import { JobsService } from './features/jobs/jobs.service.js';
import { UploadSlots } from './features/jobs/upload-slots.js';
import { LiveTails } from './features/jobs/job-log-stream.js';
import { sessionRouter } from './features/session/session.router.js';
import { signInRouter } from './features/session/sign-in.router.js';
import { OidcIdentity } from './identity/oidc-identity.js';
import { requirePersonForApi, requirePersonForPages } from './session/require-person.js';
import { VERSION } from './version.js';
import { serveWebApp } from './web-app.js';

export interface AppDeps {
  config: Readonly<Config>;
  /** Secrets that sign cookies and seal tokens (the first is current). */
  secrets: readonly string[];
  store: session.Store;
  /**
   * Where audit events are kept, queryable per cluster (beside the sessions; see createSessionStore).
   * Without it (route tests), the trail is kept in `audit.db` in the data folder.
   */
  audit?: AuditStore;
  /** False while the session store cannot be reached; requests then get a 503 at once. */
  storeReady?: () => boolean;
  /** Shared counters for the sign-in rate limit (Redis), so the limit holds across replicas. */
  loginAttempts?: RateLimitStore;
  /** Tracks live streams so a SIGTERM can end them and readiness can say "draining". */
  drain?: Drain;
  logger: Logger;
  /** More places to find clusters (Kubernetes discovery) beside the configured ones. */
  clusterSources?: readonly ClusterSource[];
  /** The state of Kubernetes discovery for `GET /api/discovery` (absent: discovery is disabled). */
  discovery?: DiscoveryStatusSource;
  /** The live log tails of this process (default: new ones with the configured limits); tests read its counts. */
  liveTails?: LiveTails;
  /**
   * The tokens of clusters configured with `tokenFile:`, watched for changes. Default: read and watched
   * here, with watches that do not keep the process alive; index.ts and the test harness pass their own
   * to close them.
   */
  managedTokens?: ManagedTokens;
  /**
   * The door to the OpenID Provider when single sign-on is on (config.oidc). Default: one built from the
   * configuration, its discovery started at once; tests pass one built with options of their own.
   */
  identity?: OidcIdentity;
  /**
   * Kubernetes as the signed-in person (issue 12; kubernetes/person-kube-of.ts builds it from
   * config.kubeIdentity). Absent: KUBERNETES_ACT_AS is off, and Kubernetes actions answer
   * `kube_identity_required` saying how to enable them.
   */
  personKubeOf?: PersonKubeOf | undefined;
}

/** Builds the Express app without listening, so tests can create it with real or fake dependencies. */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('json replacer', undefined);
  // API answers are no-store, so a browser never revalidates them: no body hash per answer. (Static files
  // keep their own ETags.)
  app.set('etag', false);

  const registry = new ClusterRegistry([new ConfiguredClusters(config.clusters), ...(deps.clusterSources ?? [])], {
    timeoutMs: config.rayRequestTimeoutMs,
    userAgent: `ray-console/${VERSION}`,
  });
  const credentials = new ClusterCredentials(new TokenSeal(deps.secrets));
  const csrf = new CsrfTokens(deps.secrets, config.secureCookies);
  const auditStore =
    deps.audit ?? new SqliteAuditStore(path.join(config.dataDir, 'audit.db'), config.auditMaxEventsPerCluster);
  const audit = new AuditLog(auditStore, logger, deps.secrets[0]!);
  const managedTokens = deps.managedTokens ?? new ManagedTokens(config.clusters, logger);
  // Per-cluster roles (the config file's `access`, OIDC only): one gate in front of every cluster route.
  const gate = new RoleGate(registry, config.access ? new RolePolicy(config.access) : undefined, audit);
  const access = new ClusterAccess(registry, credentials, audit, managedTokens, gate);
  const drain = deps.drain ?? new Drain();
  const tails = deps.liveTails ?? new LiveTails(config.liveTails);
  const storeReady = deps.storeReady ?? (() => true);
  const identity = config.oidc ? (deps.identity ?? startedIdentity(config.oidc, logger)) : undefined;
  // Issue 12's routers take this: the person's Kubernetes for a request, or a clear 401 saying how to get one.
  const personKube: PersonKubeOf =
    deps.personKubeOf ?? (() => Promise.reject(kubeIdentityRequired(config.kubeIdentity?.mode ?? 'off')));
  const kubeTokens = new KubeTokens(new TokenSeal(deps.secrets));

  app.use(drain.track);
  // Only origin-form targets (`GET /api/...`). An absolute-form target (`GET http://other-host/...`) is
  // what a proxy receives; this console is not one, and must not look like it might forward anywhere.
  app.use((req, res, next) => {
    if (req.url.startsWith('/')) return next();
    res
      .status(400)
      .json(
        errorBody(new AppError('bad_request', 'This server is not a proxy; send requests for its own paths only.')),
      );
  });
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
  api.use(
    healthRouter({
      storeReady,
      draining: () => drain.isDraining,
      warnings: () => managedTokens.problems(),
      ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
      gauges: () => ({
        ray_console_event_streams_open: {
          value: drain.streams,
          help: 'Live log tails (Server-Sent Events) open to browsers.',
        },
        ray_console_ray_log_sockets_open: {
          value: tails.openUpstreamSockets,
          help: "WebSockets open to Ray heads' log tails; 0 once every browser has gone.",
        },
      }),
    }),
  );
  api.get('/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument(VERSION));
  });
  const sessions = sessionMiddleware({
    store: deps.store,
    secrets: deps.secrets,
    idleMs: config.sessionIdleMs,
    absoluteMs: config.sessionAbsoluteMs,
    secureCookies: config.secureCookies,
    storeReady,
  });
  api.use(...sessions);
  api.use(refuseDeclaredOversize(JSON_BODY_LIMIT));
  api.use(express.json({ limit: JSON_BODY_LIMIT, strict: true }));
  api.use(refuseDeepJson(32));
  api.use(csrf.protection(config.allowedOrigins));
  // Single sign-on: everything below (the session too) needs a signed-in person; health, metrics and the
  // OpenAPI document above stay as they are.
  if (identity) api.use(requirePersonForApi);
  api.use(sessionRouter(credentials, csrf, audit, identity, deps.personKubeOf ? config.kubeIdentity?.mode : undefined));
  const signInRateLimit = loginRateLimit(config.loginRateLimitPerMinute, deps.loginAttempts, (req) => {
    // Only attempts at a cluster this console knows are kept in a trail; others are just refused.
    const clusterId = String(req.params.clusterId ?? '');
    if (!registry.list().some((c) => c.id === clusterId)) return Promise.resolve();
    return audit.record(req, { clusterId, action: 'sign-in', outcome: 'failure', reason: 'rate_limited' });
  });
  api.use(clustersRouter({ registry, credentials, csrf, access, audit, gate, loginRateLimit: signInRateLimit }));
  // "Sign in as me": the token read from the cluster's Secret as the person; one limit with the pasted sign-in.
  api.use(
    secretSignInRouter({
      registry,
      credentials,
      csrf,
      access,
      audit,
      gate,
      loginRateLimit: signInRateLimit,
      personKube,
    }),
  );
  api.use(
    rayServicesRouter({
      personKube,
      // Only where the person sees a cluster: with per-cluster roles, others' namespaces are not named.
      discoveredNamespaces: (req) =>
        [
          ...new Set(
            registry
              .list()
              .flatMap((c) => (c.kubernetes && gate.roleOn(req, c) !== undefined ? [c.kubernetes.namespace] : [])),
          ),
        ].sort(),
    }),
  );
  api.use(resourcesRouter(access, gate));
  api.use(
    jobsRouter({
      access,
      gate,
      audit,
      service: new JobsService(new JobListCache(config.jobListCacheMs, config.jobListCacheMs === 0 ? 0 : 30_000)),
      packages: { tmpDir: config.uploads.dir, maxBytes: config.uploads.maxBytes },
      uploadSlots: new UploadSlots(config.uploads.maxConcurrent),
      tails,
      heartbeatMs: config.liveTails.heartbeatMs,
      sessionAbsoluteMs: config.sessionAbsoluteMs,
    }),
  );
  api.use(
    debuggingRouter({
      access,
      gate,
      heartbeatMs: config.liveTails.heartbeatMs,
      sessionAbsoluteMs: config.sessionAbsoluteMs,
    }),
  );
  api.use(
    kubeIdentityRouter({
      mode: deps.personKubeOf ? (config.kubeIdentity?.mode ?? 'off') : 'off',
      personKube,
      kubeTokens,
      audit,
      ...(config.kubeIdentity ? { identityConfig: config.kubeIdentity } : {}),
    }),
  );
  api.use(rayClustersCreateRouter({ personKubeOf: personKube, audit }));
  api.use(discoveryRouter(deps.discovery, { details: config.discoveryDetails }));
  api.use(rayClusterProgressRouter({ personKube, audit }));
  api.use(auditRouter(access, audit, gate));
  api.use(apiNotFound);
  app.use('/api', api);

  if (identity) {
    app.use('/auth', ...sessions, signInRouter({ identity, audit }));
  }
  serveWebApp(app, config.webDist, config.serveSourceMaps, identity ? [...sessions, requirePersonForPages] : []);
  app.use(errorMiddleware);
  return app;
}

const JSON_BODY_LIMIT = 1024 * 1024;

function startedIdentity(oidc: NonNullable<Config['oidc']>, logger: Logger): OidcIdentity {
  const identity = new OidcIdentity(oidc, logger);
  identity.start();
  return identity;
}

/**
 * A JSON body whose declared length is over the limit is refused at once, and the connection closed.
 * body-parser would refuse it too, but only after reading (and discarding) all of it: a client that
 * announces 10 GB would hold the connection for as long as it cares to trickle bytes. Routes with
 * bodies of their own (package uploads) are not JSON and are not affected.
 */
function refuseDeclaredOversize(limit: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.get('content-length') ?? 0);
    if (!req.is('application/json') || !(declared > limit)) return next();
    res.set('Connection', 'close');
    next(new AppError('payload_too_large', `The request body is larger than ${limit / 1024 / 1024} MiB.`));
  };
}

/**
 * Sign-in attempts per client address and minute; past the limit, 429 with `Retry-After`. `onLimited`
 * runs once per address and window, at the first refusal.
 */
function loginRateLimit(
  perMinute: number,
  store: RateLimitStore | undefined,
  onLimited: (req: Request) => Promise<void>,
): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(store ? { store } : {}),
    handler: async (req, res, _next, options) => {
      // The store counts refused attempts too (one atomic counter per address and window, shared by
      // replicas on Redis), so exactly one request per address and window is the first refused one:
      // only that one goes into the trail, and a flood of refusals cannot push real events out of it.
      const info = (req as AugmentedRequest).rateLimit;
      if (info && info.used === info.limit + 1) await onLimited(req);
      const err = new AppError(
        'rate_limited',
        `Too many sign-in attempts from this address; wait ${Math.ceil(options.windowMs / 1000)} seconds and try again.`,
      );
      res.status(429).json(errorBody(err));
    },
  });
}
