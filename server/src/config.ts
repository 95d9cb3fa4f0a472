import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ClusterId, MAX_PACKAGE_BYTES, Role, TokenHint } from '@ray-console/shared';
import { readTokenFileSync } from './session/token-file.js';

/**
 * The only reader of `process.env`. It parses everything once, refuses to start with a list of every
 * bad key (so an operator fixes them all in one go), and hands out a frozen, typed object.
 */

const minutes = (n: number) => n * 60_000;

const ClusterConfig = z.object({
  id: ClusterId,
  displayName: z.string().min(1).optional(),
  dashboardUrl: z.url({
    protocol: /^https?$/,
    error: 'Use an http:// or https:// URL of the Ray dashboard (port 8265).',
  }),
  tokenHint: z.optional(TokenHint),
  /**
   * A file holding the cluster's token (a mounted Kubernetes Secret key, say): the console uses it for
   * every session, so nobody pastes or sees the token. Relative paths start at the configuration file.
   */
  tokenFile: z.string().min(1, 'Name the file that holds the token, or leave tokenFile out.').optional(),
  /** With a tokenFile: whether people may still sign in with a token of their own (default true). */
  tokenPrompt: z.boolean({ error: 'Use true or false.' }).optional(),
});
export type ClusterConfig = z.infer<typeof ClusterConfig> & { displayName: string };

/** `<namespace>/<name>` of a RayCluster: a DNS label, a slash, a DNS subdomain. */
const NamespacedName = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$/,
    'Use <namespace>/<name> of a RayCluster, for example team-a/ray-cluster-with-auth.',
  );

const KubernetesFileConfig = z
  .object({
    /**
     * Dashboard URLs of discovered clusters that cannot be reached the usual way (an unusual network).
     * They are in the console's own configuration, not in an annotation on the RayCluster, because
     * whoever may annotate a RayCluster could otherwise send every user's token to a server of theirs.
     */
    dashboardUrls: z
      .record(
        NamespacedName,
        z.url({ protocol: /^https?$/, error: 'Use an http:// or https:// URL of the Ray dashboard (port 8265).' }),
      )
      .default({}),
  })
  .strict();

/**
 * One grant: a role for the people it names. People are named by their `sub` (subject) claim, never by
 * email or preferred username: a subject is stable and never given to someone else, while some providers
 * let a user change their email or reuse a departed colleague's address or username.
 */
const Grant = z
  .strictObject(
    {
      role: z.enum(Role.options, { error: 'Use viewer, operator or admin.' }),
      users: z
        .array(z.string().min(1, 'Use the subject (the "sub" claim) of the person.'), {
          error: 'Use a list of subjects (the "sub" claim of each person).',
        })
        .default([]),
      groups: z
        .array(z.string().min(1, 'Use a group name as the groups claim carries it.'), {
          error: 'Use a list of group names, as the groups claim carries them.',
        })
        .default([]),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `Unknown key ${issue.keys.join(', ')}: a grant takes role, users and groups. Name people by their subject ("sub" claim), never by email or username, which some providers let change hands.`
          : undefined,
    },
  )
  .refine((g) => g.users.length > 0 || g.groups.length > 0, {
    error: 'Name at least one user (by subject) or group this role is granted to.',
  });
export type Grant = z.infer<typeof Grant>;

const Grants = z.array(Grant, {
  error: 'Use a list of grants, for example [{ role: operator, groups: [team-a] }].',
});

const NamespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'Use a Kubernetes namespace name (a DNS label).');

/**
 * Who may do what (OIDC sign-in only): grants per configured cluster, and for clusters found through
 * Kubernetes discovery one list for all of them plus one per namespace. A person's role on a cluster is
 * the highest of every grant that names them or one of their groups; with none, they do not see it.
 */
const AccessFileConfig = z
  .object({
    clusters: z
      .record(ClusterId, Grants, {
        error: (issue) => (issue.code === 'invalid_key' ? 'Use the id of a configured cluster as the key.' : undefined),
      })
      .default({}),
    discovered: z
      .object({
        all: Grants.default([]),
        namespaces: z
          .record(NamespaceName, Grants, {
            error: (issue) =>
              issue.code === 'invalid_key' ? 'Use a Kubernetes namespace name (a DNS label) as the key.' : undefined,
          })
          .default({}),
      })
      .strict()
      .default({ all: [], namespaces: {} }),
  })
  .strict();
export type AccessConfig = z.infer<typeof AccessFileConfig>;

const ConfigFile = z
  .object({
    clusters: z.array(ClusterConfig).default([]),
    kubernetes: KubernetesFileConfig.optional(),
    access: AccessFileConfig.optional(),
  })
  .strict();
type ConfigFile = z.infer<typeof ConfigFile>;

/** Ids of discovered clusters start with this; configured clusters may not use it. */
export const KUBERNETES_ID_PREFIX = 'k8s~';

/** A whole number in [min, max], with a message that says so (zod's default speaks of NaN). */
const wholeNumber = (min: number, max: number, fallback: number) => {
  const message = `Use a whole number from ${min} to ${max}.`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
};

/** A number above 0 and at most max (fractions allowed). */
const positiveUpTo = (max: number, fallback: number) => {
  const message = `Use a number above 0 and at most ${max}.`;
  return z.coerce.number({ error: message }).positive(message).max(max, message).default(fallback);
};

const Env = z.object({
  PORT: wholeNumber(0, 65535, 8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  RAY_DASHBOARD_URL: z.url({ protocol: /^https?$/, error: 'Use http://host:8265 (the Ray dashboard URL).' }).optional(),
  RAY_CONSOLE_CONFIG: z.string().min(1).optional(),
  /** Set by `npm start` when it started a local head for the demo. */
  RAY_CONSOLE_DEMO_TOKEN_COMMAND: z.string().min(1).optional(),
  SESSION_SECRET: z.string().optional(),
  /** Default: `sqlite:<DATA_DIR>/sessions.db`. */
  SESSION_STORE: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  SESSION_IDLE_MINUTES: positiveUpTo(24 * 60, 30),
  SESSION_ABSOLUTE_HOURS: positiveUpTo(24 * 30, 12),
  TRUST_PROXY: z
    .string()
    .regex(/^(false|\d+)$/, 'Use false, or the number of proxies in front of the console (for example 1).')
    .default('false'),
  /** Extra origins allowed to make state-changing requests (a proxy that rewrites Host, for instance). */
  ALLOWED_ORIGINS: z.string().default(''),
  LOGIN_RATE_LIMIT_PER_MINUTE: wholeNumber(1, 100_000, 10),
  RAY_REQUEST_TIMEOUT_MS: wholeNumber(100, 600_000, 10_000),
  /** How long a job list read from Ray is served as it is (0 reads Ray on every request). */
  JOB_LIST_CACHE_MS: wholeNumber(0, 60_000, 2_000),
  /** How long a session-store or audit-store command may take before the request gets a 503. */
  STORE_TIMEOUT_MS: wholeNumber(100, 60_000, 2000),
  /** Audit events kept queryable per cluster (the log output keeps every one). */
  AUDIT_MAX_EVENTS_PER_CLUSTER: wholeNumber(100, 10_000_000, 10_000),
  /** On SIGTERM: how long requests in flight may take to finish before their connections are closed. */
  DRAIN_TIMEOUT_MS: wholeNumber(0, 600_000, 10_000),
  // ---- live log tails (see docs/operations.md, "Live log tails") ----
  /** Live tails one browser session may have open at once, on this replica. */
  LIVE_TAILS_PER_SESSION: wholeNumber(1, 1000, 8),
  /** Live tails this replica relays at once, all sessions together. */
  LIVE_TAILS_PER_PROCESS: wholeNumber(1, 100_000, 200),
  /**
   * Sockets this replica opens to one Ray head's log tail (followers of one job share one). Ray's dashboard
   * has about 100 connections for all job calls, so this stays well below it.
   */
  LIVE_TAILS_PER_HEAD: wholeNumber(1, 90, 16),
  /** The latest lines of a followed log kept in memory, for late joiners and resuming browsers. */
  LOG_TAIL_WINDOW_LINES: wholeNumber(100, 10_000_000, 10_000),
  /** The same window's size in bytes (the lines' UTF-8 bytes, plus 16 per line: see LogWindow). */
  LOG_TAIL_WINDOW_BYTES: wholeNumber(64 * 1024, 8 * 1024 * 1024 * 1024, 4 * 1024 * 1024),
  /** How often an idle live tail sends a keep-alive, and re-checks that its session may still read it. */
  LIVE_TAIL_HEARTBEAT_MS: wholeNumber(100, 300_000, 15_000),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'Use one of fatal, error, warn, info, debug, trace, silent.',
    })
    .default('info'),
  WEB_DIST: z.string().optional(),
  /** The address users open, when it differs from what the console sees (behind a proxy). https makes cookies Secure. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'Use the URL users open, for example https://ray-console.example.com.' })
    .optional(),
  // ---- Uploads and what an anonymous visitor may see (docs/operations.md, "Deployment") ----
  /** Where package uploads are spooled: its own volume, so an upload cannot fill the sessions' one. */
  UPLOAD_DIR: z.string().min(1).optional(),
  /** Package uploads received at once; each may take twice the package limit on disk (a folder and its zip). */
  UPLOAD_CONCURRENCY: wholeNumber(1, 64, 2),
  /** Bearer token Prometheus sends to read /api/metrics; without it the metrics are off. */
  METRICS_TOKEN: z
    .string()
    .min(32, 'Use a random string of at least 32 characters (openssl rand -hex 32), or leave it unset.')
    .optional(),
  /** Who sees the details of a discovery failure (the API server's address and answer). */
  DISCOVERY_DETAILS: z
    .enum(['signed-in', 'everyone'], { error: 'Use signed-in (the default) or everyone.' })
    .default('signed-in'),
  /** Serve the web app's source maps (*.map) to anyone; off by default. */
  SERVE_SOURCE_MAPS: z.enum(['true', 'false'], { error: 'Use true or false.' }).default('false'),
  // ---- Single sign-on with OpenID Connect (off unless OIDC_ISSUER_URL is set; docs/operations.md) ----
  /** The provider's issuer URL; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  OIDC_ISSUER_URL: z
    .url({
      protocol: /^https?$/,
      error: "Use the identity provider's issuer URL, for example https://keycloak.example.com/realms/acme.",
    })
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(255).optional(),
  /** Absent: a public client (PKCE only). PKCE is used either way. */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The ID token claim holding the person's groups (a list of strings). */
  OIDC_GROUPS_CLAIM: z
    .string()
    .regex(/^[\w:./-]{1,255}$/, 'Use the name of a claim, for example groups.')
    .optional(),
  /** Space-separated scopes to ask for; `openid` is required. */
  OIDC_SCOPES: z.string().optional(),
  // ---- Kubernetes discovery (off unless switched on) ----
  KUBERNETES_DISCOVERY: z.enum(['true', 'false'], { error: 'Use true or false.' }).default('false'),
  /** Comma-separated namespaces to search; empty means all (which needs a ClusterRole). */
  KUBERNETES_NAMESPACES: z
    .string()
    .regex(
      /^\s*([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\s*(,\s*|$))*$/,
      'Use a comma-separated list of namespace names (lower-case letters, digits and "-"), or leave it empty for all.',
    )
    .default(''),
  KUBERNETES_CONNECT: z
    .enum(['auto', 'service', 'proxy'], {
      error: 'Use auto (the default), service (the head Service, from inside the cluster) or proxy (the API server).',
    })
    .default('auto'),
  KUBERNETES_REFRESH_SECONDS: z.coerce.number().min(1).max(3600).default(10),
  KUBERNETES_CONTEXT: z.string().min(1).optional(),
  /** Read here, not by the Kubernetes client, so every setting of the console passes through this file. */
  KUBECONFIG: z.string().optional(),
  /** Set by Kubernetes in every Pod: the console then uses its service account. */
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  KUBERNETES_SERVICE_PORT: z.string().optional(),
  // ---- Kubernetes as the person (issue 12): whose identity writes RayClusters and reads token Secrets ----
  KUBERNETES_ACT_AS: z
    .enum(['auto', 'kubeconfig', 'impersonate', 'token', 'off'], {
      error:
        'Use auto (the default), kubeconfig (your own kubeconfig, on your machine), impersonate (the signed-in person, in a cluster with OIDC sign-in), token (each person pastes a Kubernetes token) or off.',
    })
    .default('auto'),
  /** Impersonation: which part of the OIDC person becomes `Impersonate-User` (what the API server's own OIDC flags would name). */
  KUBERNETES_IMPERSONATE_USER_CLAIM: z
    .enum(['sub', 'email', 'name'], { error: 'Use sub (the default), email or name.' })
    .default('sub'),
  /** Prefixes the API server adds to OIDC users and groups (its --oidc-username-prefix / --oidc-groups-prefix). */
  KUBERNETES_IMPERSONATE_USER_PREFIX: z.string().max(253).default(''),
  KUBERNETES_IMPERSONATE_GROUPS_PREFIX: z.string().max(253).default(''),
});

/** Where the Kubernetes credentials come from. */
export type KubernetesSource =
  | { kind: 'in-cluster'; host: string; port: string }
  | { kind: 'kubeconfig'; files: readonly string[]; context: string | undefined };

/**
 * Kubernetes as the signed-in person (issue 12), see server/src/kubernetes/person-kube.ts:
 * - `kubeconfig`: the kubeconfig's user (the console runs on the person's own machine);
 * - `impersonate`: the console's own identity (its ServiceAccount, or a kubeconfig) sends
 *   `Impersonate-User`/`Impersonate-Group` for the OIDC person;
 * - `token`: each person pastes a Kubernetes token, sealed in their session.
 */
export interface KubeIdentityConfig {
  mode: 'kubeconfig' | 'impersonate' | 'token';
  /** The API server and the credentials of the console (kubeconfig, impersonate) or its address and CA only (token). */
  source: KubernetesSource;
  impersonation: {
    /** The person's field sent as `Impersonate-User`: their `sub`, email or display name. */
    userClaim: 'sub' | 'email' | 'name';
    userPrefix: string;
    groupsPrefix: string;
  };
  timeoutMs: number;
}

export interface KubernetesConfig {
  source: KubernetesSource;
  /** Empty: every namespace. */
  namespaces: readonly string[];
  /** `service`: `<service>.<namespace>.svc:<port>`; `proxy`: the API server's service proxy. */
  connect: 'service' | 'proxy';
  refreshMs: number;
  /** Per-cluster dashboard URLs, keyed `<namespace>/<name>`. */
  dashboardUrls: Readonly<Record<string, string>>;
}

export interface Config {
  port: number;
  host: string;
  clusters: readonly ClusterConfig[];
  /** A local head started by `npm start`: the secret may be generated and kept in the data folder. */
  demo: boolean;
  sessionSecrets: readonly string[] | undefined;
  sessionStore: { kind: 'sqlite'; file: string } | { kind: 'redis'; url: string };
  dataDir: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  trustProxy: number | false;
  allowedOrigins: readonly string[];
  loginRateLimitPerMinute: number;
  rayRequestTimeoutMs: number;
  jobListCacheMs: number;
  storeTimeoutMs: number;
  auditMaxEventsPerCluster: number;
  drainTimeoutMs: number;
  liveTails: LiveTailLimits;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  webDist: string | undefined;
  /** Served over HTTPS (PUBLIC_URL is https): Secure cookies with the `__Host-` name, HSTS. */
  secureCookies: boolean;
  /** Kubernetes discovery; undefined when it is switched off. */
  kubernetes: KubernetesConfig | undefined;
  /** Whose Kubernetes identity writes (issue 12); undefined when KUBERNETES_ACT_AS=off or nothing to act with. */
  kubeIdentity: KubeIdentityConfig | undefined;
  /** Package uploads: where they are spooled, how many at once, and the largest package. */
  uploads: { dir: string; maxConcurrent: number; maxBytes: number };
  /** The bearer token of `/api/metrics`; undefined: metrics are not served. */
  metricsToken: string | undefined;
  discoveryDetails: 'signed-in' | 'everyone';
  serveSourceMaps: boolean;
  /**
   * Roles per cluster (the config file's `access`), for people signed in with OIDC; undefined when the
   * file has none, and then every signed-in person may use every cluster with the token they hold.
   */
  access: AccessConfig | undefined;
  /** Single sign-on with OpenID Connect; undefined: the anonymous token-prompt mode. */
  oidc: OidcConfig | undefined;
  /** Settings that work but are probably not what the operator meant; logged at start. */
  warnings: readonly string[];
}

/** OIDC_* and PUBLIC_URL, checked together (all or nothing). */
export interface OidcConfig {
  issuerUrl: string;
  clientId: string;
  /** Undefined: a public client (PKCE only). */
  clientSecret: string | undefined;
  groupsClaim: string;
  scopes: string;
  /** `<PUBLIC_URL origin>/auth/callback`: register it at the provider. */
  redirectUri: string;
  /** `<PUBLIC_URL origin>/auth/signed-out`: register it at the provider as a post-logout redirect URI. */
  postLogoutRedirectUri: string;
}

/** Limits on live log tails (LIVE_TAILS_*, LOG_TAIL_WINDOW_*, LIVE_TAIL_HEARTBEAT_MS). */
export interface LiveTailLimits {
  perSession: number;
  perProcess: number;
  perHead: number;
  windowLines: number;
  windowBytes: number;
  heartbeatMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ray Console cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function issuesOf(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`);
}

type ParsedConfigFile = Omit<ConfigFile, 'clusters'> & { clusters: ClusterConfig[] };

function readConfigFile(file: string, problems: string[]): ParsedConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`RAY_CONSOLE_CONFIG: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
    return undefined;
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    problems.push(`RAY_CONSOLE_CONFIG: ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const parsed = ConfigFile.safeParse(raw ?? {});
  if (!parsed.success) {
    problems.push(...issuesOf(`${file}`, parsed.error));
    return undefined;
  }
  const folder = path.dirname(path.resolve(file));
  return {
    ...parsed.data,
    clusters: parsed.data.clusters.map((c) => ({
      ...c,
      displayName: c.displayName ?? c.id,
      ...(c.tokenFile ? { tokenFile: path.resolve(folder, c.tokenFile) } : {}),
    })),
  };
}

/**
 * Clusters with a token file: the file must hold a usable token now, or the console does not start (a
 * console that cannot reach its managed clusters is not ready to serve them). Its content is read only
 * to check it; ManagedTokens reads it again and keeps it. No message quotes the content.
 */
function checkTokenFiles(clusters: readonly ClusterConfig[], problems: string[]): void {
  for (const c of clusters) {
    if (c.tokenPrompt === false && !c.tokenFile) {
      problems.push(
        `clusters: "${c.id}" has tokenPrompt: false but no tokenFile, so nobody could use it; add tokenFile or remove tokenPrompt.`,
      );
    }
    if (!c.tokenFile) continue;
    const read = readTokenFileSync(c.tokenFile);
    if (read.problem !== undefined) problems.push(`clusters: "${c.id}".tokenFile: ${read.problem}`);
  }
}

function parseStore(value: string, problems: string[]): Config['sessionStore'] {
  if (value.startsWith('redis://') || value.startsWith('rediss://')) {
    // Checked here so a typo stops the start with this message, not a connection error later.
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url?.hostname || (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,2}$/.test(url.pathname))) {
      problems.push('SESSION_STORE: use redis://[:password@]host:6379[/db] (or rediss:// for TLS).');
    }
    return { kind: 'redis', url: value };
  }
  if (value.startsWith('sqlite:')) {
    if (value.length === 'sqlite:'.length)
      problems.push('SESSION_STORE: name the file, for example sqlite:./data/sessions.db.');
    return { kind: 'sqlite', file: path.resolve(value.slice('sqlite:'.length)) };
  }
  problems.push(
    'SESSION_STORE: use sqlite:<file> (the default is sqlite:<DATA_DIR>/sessions.db) or redis://host:6379.',
  );
  return { kind: 'sqlite', file: '' };
}

/** The comma-separated SESSION_SECRET list (the first is current); outside the demo one is required. */
function sessionSecretsOf(value: string | undefined, demo: boolean, problems: string[]): string[] | undefined {
  const secrets = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!demo && (!secrets || secrets.length === 0)) {
    problems.push('SESSION_SECRET: set it to a random string of at least 32 characters (openssl rand -hex 32).');
  }
  for (const s of secrets ?? []) {
    if (s.length < 32) problems.push('SESSION_SECRET: every secret must be at least 32 characters long.');
  }
  return secrets;
}

/** Reads the configuration from an environment (normally `process.env`). Throws {@link ConfigError}. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const problems: string[] = [];
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    // The checks below that need no parsed value run too, so the error lists every bad key at once.
    problems.push(...issuesOf('', parsed.error));
    if (env.RAY_CONSOLE_CONFIG) readConfigFile(env.RAY_CONSOLE_CONFIG, problems);
    sessionSecretsOf(env.SESSION_SECRET, Boolean(env.RAY_CONSOLE_DEMO_TOKEN_COMMAND), problems);
    if (typeof env.SESSION_STORE === 'string') parseStore(env.SESSION_STORE, problems);
    throw new ConfigError(problems);
  }
  const e = parsed.data;

  const clusters: ClusterConfig[] = [];
  if (e.RAY_DASHBOARD_URL) {
    clusters.push({
      id: 'default',
      displayName: e.RAY_CONSOLE_DEMO_TOKEN_COMMAND ? 'Local Ray head' : 'Default cluster',
      dashboardUrl: e.RAY_DASHBOARD_URL,
      ...(e.RAY_CONSOLE_DEMO_TOKEN_COMMAND
        ? {
            tokenHint: {
              kind: 'local' as const,
              text: 'This head was started by `npm start` on this machine. Print its token with:',
              command: e.RAY_CONSOLE_DEMO_TOKEN_COMMAND,
            },
          }
        : {}),
    });
  }
  const file = e.RAY_CONSOLE_CONFIG ? readConfigFile(e.RAY_CONSOLE_CONFIG, problems) : undefined;
  if (file) clusters.push(...file.clusters);
  const seen = new Set<string>();
  for (const c of clusters) {
    if (seen.has(c.id)) problems.push(`clusters: the id "${c.id}" is used twice; give each cluster its own id.`);
    if (c.id.startsWith(KUBERNETES_ID_PREFIX)) {
      problems.push(
        `clusters: the id "${c.id}" starts with "${KUBERNETES_ID_PREFIX}", which is kept for discovered clusters.`,
      );
    }
    seen.add(c.id);
  }
  checkTokenFiles(clusters, problems);
  const kubernetes = kubernetesConfigOf(e, file, problems);
  const oidc = oidcConfigOf(e, problems);
  const access = accessConfigOf(e, file, clusters, problems);
  const kubeIdentity = kubeIdentityConfigOf(e, kubernetes?.source, oidc !== undefined, problems);
  const unreachable = access ? clusters.filter((c) => !access.clusters[c.id]?.length).map((c) => c.id) : [];

  const demo = Boolean(e.RAY_CONSOLE_DEMO_TOKEN_COMMAND);
  const secrets = sessionSecretsOf(e.SESSION_SECRET, demo, problems);

  const sessionStore = parseStore(e.SESSION_STORE ?? `sqlite:${path.join(e.DATA_DIR, 'sessions.db')}`, problems);
  if (e.UPLOAD_DIR && isInside(path.resolve(e.UPLOAD_DIR), path.resolve(e.DATA_DIR))) {
    problems.push(
      'UPLOAD_DIR: keep it out of DATA_DIR, on a volume of its own: an upload that fills the disk must not stop the sessions and the audit trail from being written.',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    clusters: Object.freeze(clusters),
    demo,
    sessionSecrets: secrets && secrets.length > 0 ? Object.freeze(secrets) : undefined,
    sessionStore,
    dataDir: path.resolve(e.DATA_DIR),
    sessionIdleMs: minutes(e.SESSION_IDLE_MINUTES),
    sessionAbsoluteMs: minutes(e.SESSION_ABSOLUTE_HOURS * 60),
    trustProxy: e.TRUST_PROXY === 'false' ? false : Number(e.TRUST_PROXY),
    allowedOrigins: Object.freeze([
      ...e.ALLOWED_ORIGINS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      ...(e.PUBLIC_URL ? [new URL(e.PUBLIC_URL).origin] : []),
    ]),
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    rayRequestTimeoutMs: e.RAY_REQUEST_TIMEOUT_MS,
    jobListCacheMs: e.JOB_LIST_CACHE_MS,
    storeTimeoutMs: e.STORE_TIMEOUT_MS,
    auditMaxEventsPerCluster: e.AUDIT_MAX_EVENTS_PER_CLUSTER,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    liveTails: Object.freeze({
      perSession: e.LIVE_TAILS_PER_SESSION,
      perProcess: e.LIVE_TAILS_PER_PROCESS,
      perHead: e.LIVE_TAILS_PER_HEAD,
      windowLines: e.LOG_TAIL_WINDOW_LINES,
      windowBytes: e.LOG_TAIL_WINDOW_BYTES,
      heartbeatMs: e.LIVE_TAIL_HEARTBEAT_MS,
    }),
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST ? path.resolve(e.WEB_DIST) : undefined,
    secureCookies: e.PUBLIC_URL?.startsWith('https:') ?? false,
    kubernetes,
    kubeIdentity,
    uploads: Object.freeze({
      dir: path.resolve(e.UPLOAD_DIR ?? os.tmpdir()),
      maxConcurrent: e.UPLOAD_CONCURRENCY,
      maxBytes: MAX_PACKAGE_BYTES,
    }),
    metricsToken: e.METRICS_TOKEN,
    discoveryDetails: e.DISCOVERY_DETAILS,
    serveSourceMaps: e.SERVE_SOURCE_MAPS === 'true',
    oidc,
    access,
    warnings: Object.freeze([
      ...warningsOf(e, clusters, oidc !== undefined),
      ...(unreachable.length > 0
        ? [
            `access: nobody has a role on ${unreachable.join(', ')}, so no signed-in person sees ${unreachable.length > 1 ? 'them' : 'it'}; grant a role under access.clusters.<id> if that is not meant.`,
          ]
        : []),
    ]),
  });
}

/**
 * The `access` section: roles only mean something for people who signed in, so it needs OIDC; and a
 * grant for a cluster id the console does not know is almost surely a typo that would hide a cluster.
 */
function accessConfigOf(
  e: z.infer<typeof Env>,
  file: ParsedConfigFile | undefined,
  clusters: readonly ClusterConfig[],
  problems: string[],
): AccessConfig | undefined {
  const access = file?.access;
  if (!access) return undefined;
  if (!e.OIDC_ISSUER_URL || !e.OIDC_CLIENT_ID) {
    problems.push(
      'access: roles are granted to people who sign in with OpenID Connect; set OIDC_ISSUER_URL and OIDC_CLIENT_ID (see docs/operations.md), or remove the access section.',
    );
  }
  const known = clusters.map((c) => c.id);
  for (const id of Object.keys(access.clusters)) {
    if (id.startsWith(KUBERNETES_ID_PREFIX)) {
      problems.push(
        `access.clusters.${id}: discovered clusters take their roles from access.discovered (all, or namespaces.<namespace>); move these grants there.`,
      );
    } else if (!known.includes(id)) {
      problems.push(
        `access.clusters.${id}: there is no configured cluster "${id}"; use one of ${known.length > 0 ? known.join(', ') : '(none configured)'}.`,
      );
    }
  }
  return access;
}

const isInside = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Settings the console starts with but that probably leave a gap; index.ts logs each at start. */
function warningsOf(e: z.infer<typeof Env>, clusters: readonly ClusterConfig[], oidcOn: boolean): string[] {
  const warnings: string[] = [];
  const managed = clusters.filter((c) => c.tokenFile).map((c) => c.id);
  // OIDC sign-in is what puts a person between a visitor and a managed cluster.
  if (managed.length > 0 && !oidcOn) {
    warnings.push(
      `The clusters ${managed.map((id) => `"${id}"`).join(', ')} use a token file, and OIDC sign-in is off: ` +
        'everyone who can reach this console can use them (submit, stop and delete jobs) without a token. ' +
        'That suits a personal console or one already behind a sign-in proxy; otherwise set OIDC_ISSUER_URL ' +
        '(docs/operations.md, "Managed tokens").',
    );
  }
  if (e.TRUST_PROXY !== 'false' && !e.PUBLIC_URL?.startsWith('https:')) {
    warnings.push(
      'TRUST_PROXY is set but PUBLIC_URL is not an https:// URL: behind a TLS ingress the session cookie is sent ' +
        'without Secure and without the __Host- prefix, and there is no HSTS. Set PUBLIC_URL to the https:// ' +
        'address users open (deploy/overlays/ingress does).',
    );
  }
  return warnings;
}

const isLoopbackHost = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

/**
 * Sign-in with OpenID Connect: on when OIDC_ISSUER_URL is set. All or nothing: a half-set configuration
 * (a client id without an issuer, a secret without a client id) is a start-up error rather than a
 * console that quietly stays open to anyone.
 */
function oidcConfigOf(e: z.infer<typeof Env>, problems: string[]): OidcConfig | undefined {
  const set = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_GROUPS_CLAIM', 'OIDC_SCOPES'] as const).filter(
    (key) => e[key] !== undefined,
  );
  if (!e.OIDC_ISSUER_URL) {
    if (set.length > 0) {
      problems.push(
        `${set.join(', ')}: single sign-on needs OIDC_ISSUER_URL and OIDC_CLIENT_ID too; set them, or unset ${set.join(' and ')} for the anonymous mode.`,
      );
    }
    return undefined;
  }
  const before = problems.length;
  const issuer = new URL(e.OIDC_ISSUER_URL);
  // Tokens and the client secret travel to the provider: plain http only to this machine (tests, a
  // provider on the same host), as openid-client itself requires.
  if (issuer.protocol === 'http:' && !isLoopbackHost(issuer.hostname)) {
    problems.push(
      'OIDC_ISSUER_URL: use an https:// URL (plain http is accepted only for a provider on 127.0.0.1 or localhost).',
    );
  }
  if (!e.OIDC_CLIENT_ID) {
    problems.push('OIDC_CLIENT_ID: set it to the client id registered for the console at the identity provider.');
  }
  if (!e.PUBLIC_URL) {
    problems.push(
      'PUBLIC_URL: single sign-on needs the address users open (for example https://ray-console.example.com): the provider sends them back to <PUBLIC_URL>/auth/callback.',
    );
  }
  const scopes = (e.OIDC_SCOPES ?? 'openid profile email').split(/\s+/).filter(Boolean);
  if (!scopes.includes('openid')) {
    problems.push('OIDC_SCOPES: include openid (for example "openid profile email groups").');
  }
  if (scopes.some((s) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s))) {
    problems.push('OIDC_SCOPES: use scope names separated by spaces, without quotes or backslashes.');
  }
  if (problems.length > before || !e.OIDC_CLIENT_ID || !e.PUBLIC_URL) return undefined;
  const origin = new URL(e.PUBLIC_URL).origin;
  return Object.freeze({
    issuerUrl: e.OIDC_ISSUER_URL,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    groupsClaim: e.OIDC_GROUPS_CLAIM ?? 'groups',
    scopes: scopes.join(' '),
    redirectUri: new URL('/auth/callback', origin).href,
    postLogoutRedirectUri: new URL('/auth/signed-out', origin).href,
  });
}

/**
 * Kubernetes discovery settings. In a Pod (KUBERNETES_SERVICE_HOST is set) the console uses its service
 * account and reaches heads at their Services; elsewhere it uses KUBECONFIG or ~/.kube/config and goes
 * through the API server's service proxy, because Service names do not resolve outside the cluster.
 */
function kubernetesConfigOf(
  e: z.infer<typeof Env>,
  file: ParsedConfigFile | undefined,
  problems: string[],
): KubernetesConfig | undefined {
  if (e.KUBERNETES_DISCOVERY !== 'true') return undefined;
  const inPod = Boolean(e.KUBERNETES_SERVICE_HOST);
  const source = kubernetesSourceOf(e, problems, 'KUBERNETES_DISCOVERY');
  const namespaces = [
    ...new Set(
      e.KUBERNETES_NAMESPACES.split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
  return {
    source,
    namespaces: Object.freeze(namespaces),
    connect: e.KUBERNETES_CONNECT === 'auto' ? (inPod ? 'service' : 'proxy') : e.KUBERNETES_CONNECT,
    refreshMs: e.KUBERNETES_REFRESH_SECONDS * 1000,
    dashboardUrls: Object.freeze({ ...file?.kubernetes?.dashboardUrls }),
  };
}

/**
 * Where the Kubernetes credentials come from: KUBECONFIG, else the Pod's service account, else
 * ~/.kube/config. `setting` names the variable that asked for Kubernetes, for the error.
 */
function kubernetesSourceOf(e: z.infer<typeof Env>, problems: string[], setting: string): KubernetesSource {
  const inPod = Boolean(e.KUBERNETES_SERVICE_HOST);
  let source: KubernetesSource;
  if (e.KUBECONFIG) {
    const files = e.KUBECONFIG.split(path.delimiter).filter(Boolean);
    const found = files.filter((f) => existsSync(f));
    if (found.length === 0) {
      problems.push(`KUBECONFIG: none of ${files.join(', ')} exists; point it at a kubeconfig file.`);
    }
    source = { kind: 'kubeconfig', files: found.map((f) => path.resolve(f)), context: e.KUBERNETES_CONTEXT };
  } else if (inPod) {
    source = { kind: 'in-cluster', host: e.KUBERNETES_SERVICE_HOST ?? '', port: e.KUBERNETES_SERVICE_PORT ?? '443' };
  } else {
    const home = path.join(os.homedir(), '.kube', 'config');
    if (!existsSync(home)) {
      problems.push(
        `${setting}: outside a Pod the console needs a kubeconfig; set KUBECONFIG or create ${home} (or set ${setting === 'KUBERNETES_DISCOVERY' ? 'KUBERNETES_DISCOVERY=false' : 'KUBERNETES_ACT_AS=off'}).`,
      );
    }
    source = { kind: 'kubeconfig', files: [home], context: e.KUBERNETES_CONTEXT };
  }
  if (source.kind === 'in-cluster' && e.KUBERNETES_CONTEXT) {
    problems.push(
      'KUBERNETES_CONTEXT: only applies to a kubeconfig; in a Pod the service account is used (or set KUBECONFIG).',
    );
  }
  return source;
}

/**
 * KUBERNETES_ACT_AS. `auto` picks what fits where the console runs: a kubeconfig → that user; in a Pod
 * with OIDC sign-in → impersonate the person; in a Pod without it → each person pastes a token. With
 * discovery off, `auto` acts only when KUBECONFIG is set or the console runs in a Pod (a console that
 * was never pointed at Kubernetes does not start using ~/.kube/config by itself).
 */
function kubeIdentityConfigOf(
  e: z.infer<typeof Env>,
  discoverySource: KubernetesSource | undefined,
  oidcOn: boolean,
  problems: string[],
): KubeIdentityConfig | undefined {
  const wanted = e.KUBERNETES_ACT_AS;
  if (wanted === 'off') return undefined;
  const inPod = Boolean(e.KUBERNETES_SERVICE_HOST);
  if (wanted === 'auto' && !discoverySource && !e.KUBECONFIG && !inPod) return undefined;
  const source = discoverySource ?? kubernetesSourceOf(e, problems, `KUBERNETES_ACT_AS=${wanted}`);
  const mode =
    wanted !== 'auto' ? wanted : source.kind === 'kubeconfig' ? 'kubeconfig' : oidcOn ? 'impersonate' : 'token';
  if (mode === 'impersonate' && !oidcOn) {
    problems.push(
      'KUBERNETES_ACT_AS=impersonate: impersonation acts as the person signed in with OIDC; set OIDC_ISSUER_URL and OIDC_CLIENT_ID (single sign-on), or use KUBERNETES_ACT_AS=token so each person pastes a Kubernetes token.',
    );
  }
  if (mode !== 'impersonate') {
    const set = (['KUBERNETES_IMPERSONATE_USER_PREFIX', 'KUBERNETES_IMPERSONATE_GROUPS_PREFIX'] as const).filter(
      (key) => e[key] !== '',
    );
    if (set.length > 0) {
      problems.push(`${set.join(', ')}: only used with impersonation (KUBERNETES_ACT_AS=impersonate); unset it.`);
    }
  }
  return {
    mode,
    source,
    impersonation: Object.freeze({
      userClaim: e.KUBERNETES_IMPERSONATE_USER_CLAIM,
      userPrefix: e.KUBERNETES_IMPERSONATE_USER_PREFIX,
      groupsPrefix: e.KUBERNETES_IMPERSONATE_GROUPS_PREFIX,
    }),
    timeoutMs: e.RAY_REQUEST_TIMEOUT_MS,
  };
}
