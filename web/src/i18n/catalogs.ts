import type audit from './locales/en/audit.json';
import type clusters from './locales/en/clusters.json';
import type common from './locales/en/common.json';
import type debug from './locales/en/debug.json';
import type identity from './locales/en/identity.json';
import type jobs from './locales/en/jobs.json';
import type kuberayServices from './locales/en/kuberayServices.json';
import type kuberayCreate from './locales/en/kuberayCreate.json';
import type kuberayCluster from './locales/en/kuberayCluster.json';
import type kubeIdentity from './locales/en/kubeIdentity.json';
import type logs from './locales/en/logs.json';
import type resources from './locales/en/resources.json';
import type roles from './locales/en/roles.json';
import type serve from './locales/en/serve.json';
import type shell from './locales/en/shell.json';
import type serveReplicas from './locales/en/serveReplicas.json';
import type taskTiming from './locales/en/taskTiming.json';
import type tokens from './locales/en/tokens.json';

/**
 * The catalogs, one per feature (namespace), typed from the English files: a key that is not in the
 * English catalog of its namespace fails the typecheck, and catalogs.test.ts holds zh-CN to the same
 * keys. A new feature gets `locales/en/<feature>.json`, `locales/zh-CN/<feature>.json` and a line here.
 */
export interface Catalogs {
  audit: typeof audit;
  clusters: typeof clusters;
  common: typeof common;
  debug: typeof debug;
  identity: typeof identity;
  jobs: typeof jobs;
  /** RayServices (KubeRay), read as the person. */
  kuberayServices: typeof kuberayServices;
  /** The "New RayCluster" page (issue 12). */
  kuberayCreate: typeof kuberayCreate;
  /** A RayCluster's Kubernetes page (progress, YAML, delete) and its line on the cluster list. */
  kuberayCluster: typeof kuberayCluster;
  /** Whose Kubernetes identity the console acts with (issue 12): the page and its paste form. */
  kubeIdentity: typeof kubeIdentity;
  logs: typeof logs;
  resources: typeof resources;
  roles: typeof roles;
  serve: typeof serve;
  shell: typeof shell;
  serveReplicas: typeof serveReplicas;
  taskTiming: typeof taskTiming;
  /** Clusters whose token the console holds (tokenFile), on the cluster list and the cluster's header. */
  tokens: typeof tokens;
}
export type Namespace = keyof Catalogs;

/** The dotted paths of a catalog's messages: `{ list: { title: '…' } }` has `list.title`. */
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type Key<N extends Namespace> = Leaves<Catalogs[N]>;

/** The values a message's ICU placeholders take: `{count}`, `{name}`. */
export type Values = Record<string, string | number | undefined>;

/** A translator for one namespace; `t('list.title')`, `t('bulk.stopTitle', { count })`. */
export type T<N extends Namespace> = (key: Key<N>, values?: Values) => string;

/**
 * A catalog's messages as Lingui takes them: flat, each id `namespace:dotted.key`. A leaf is a message,
 * as written (in development and tests, where Lingui compiles it when used) or compiled at build time
 * (an array or string, by the plugin in web/vite.config.ts).
 */
export function toMessages(namespace: string, catalog: unknown, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (catalog === null || typeof catalog !== 'object') return out;
  for (const [name, value] of Object.entries(catalog)) {
    const key = `${prefix}${name}`;
    if (typeof value === 'string' || Array.isArray(value)) out[`${namespace}:${key}`] = value;
    else Object.assign(out, toMessages(namespace, value, `${key}.`));
  }
  return out;
}
