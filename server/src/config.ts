import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ClusterId, TokenHint } from '@ray-console/shared';

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
  tokenHint: TokenHint.optional(),
});
export type ClusterConfig = z.infer<typeof ClusterConfig> & { displayName: string };

const ConfigFile = z
  .object({
    clusters: z.array(ClusterConfig).default([]),
  })
  .strict();

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  RAY_DASHBOARD_URL: z.url({ protocol: /^https?$/, error: 'Use http://host:8265 (the Ray dashboard URL).' }).optional(),
  RAY_CONSOLE_CONFIG: z.string().min(1).optional(),
  /** Set by `npm start` when it started a local head for the demo. */
  RAY_CONSOLE_DEMO_TOKEN_COMMAND: z.string().min(1).optional(),
  SESSION_SECRET: z.string().optional(),
  SESSION_STORE: z.string().default('sqlite:./data/sessions.db'),
  DATA_DIR: z.string().default('./data'),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  TRUST_PROXY: z
    .string()
    .regex(/^(false|\d+)$/, 'Use false, or the number of proxies in front of the console (for example 1).')
    .default('false'),
  /** Extra origins allowed to make state-changing requests (a proxy that rewrites Host, for instance). */
  ALLOWED_ORIGINS: z.string().default(''),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
  RAY_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIST: z.string().optional(),
  /** The address users open, when it differs from what the console sees (behind a proxy). https makes cookies Secure. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'Use the URL users open, for example https://ray-console.example.com.' })
    .optional(),
});

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
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  webDist: string | undefined;
  /** Served over HTTPS (PUBLIC_URL is https): Secure cookies with the `__Host-` name, HSTS. */
  secureCookies: boolean;
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

function readConfigFile(file: string, problems: string[]): ClusterConfig[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`RAY_CONSOLE_CONFIG: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
    return [];
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    problems.push(`RAY_CONSOLE_CONFIG: ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return [];
  }
  const parsed = ConfigFile.safeParse(raw ?? {});
  if (!parsed.success) {
    problems.push(...issuesOf(`${file}`, parsed.error));
    return [];
  }
  return parsed.data.clusters.map((c) => ({ ...c, displayName: c.displayName ?? c.id }));
}

function parseStore(value: string, problems: string[]): Config['sessionStore'] {
  if (value.startsWith('redis://') || value.startsWith('rediss://')) return { kind: 'redis', url: value };
  if (value.startsWith('sqlite:')) return { kind: 'sqlite', file: path.resolve(value.slice('sqlite:'.length)) };
  problems.push('SESSION_STORE: use sqlite:<file> (the default, sqlite:./data/sessions.db) or redis://host:6379.');
  return { kind: 'sqlite', file: '' };
}

/** Reads the configuration from an environment (normally `process.env`). Throws {@link ConfigError}. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const problems: string[] = [];
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new ConfigError(issuesOf('', parsed.error));
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
  if (e.RAY_CONSOLE_CONFIG) clusters.push(...readConfigFile(e.RAY_CONSOLE_CONFIG, problems));
  const seen = new Set<string>();
  for (const c of clusters) {
    if (seen.has(c.id)) problems.push(`clusters: the id "${c.id}" is used twice; give each cluster its own id.`);
    seen.add(c.id);
  }

  const demo = Boolean(e.RAY_CONSOLE_DEMO_TOKEN_COMMAND);
  const secrets = e.SESSION_SECRET?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!demo && (!secrets || secrets.length === 0)) {
    problems.push('SESSION_SECRET: set it to a random string of at least 32 characters (openssl rand -hex 32).');
  }
  for (const s of secrets ?? []) {
    if (s.length < 32) problems.push('SESSION_SECRET: every secret must be at least 32 characters long.');
  }

  const sessionStore = parseStore(e.SESSION_STORE, problems);
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
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST ? path.resolve(e.WEB_DIST) : undefined,
    secureCookies: e.PUBLIC_URL?.startsWith('https:') ?? false,
  });
}
