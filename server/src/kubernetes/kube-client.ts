import https from 'node:https';
import net from 'node:net';
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  bufferFromFileOrString,
  type ConfigurationOptions,
} from '@kubernetes/client-node';
import type { ErrorCode } from '@ray-console/shared';
import type { KubernetesSource } from '../config.js';
import { AppError } from '../lib/app-error.js';
import type { RayEndpoint } from '../ray/ray-dashboard-client.js';
import { callOptions } from './kube-http.js';
import { RayClusterObject, ServiceObject, parseItems } from './kube-objects.js';

/**
 * The one door to Kubernetes: the only module that holds a `KubeConfig` and calls the API server
 * (through @kubernetes/client-node). It lists RayClusters and head Services, and builds the service-proxy
 * endpoint of a head. It never reads Secrets: the console's RBAC does not allow it, and the console has
 * no use for them (users paste tokens they fetched with their own access).
 */

/** Why a call to the API server failed, in the terms an operator acts on. */
export type KubernetesFailure =
  | 'forbidden'
  | 'unauthorized'
  | 'unreachable'
  | 'not_found'
  | 'error'
  /** A person's write (issue 12): the object already exists (409). */
  | 'conflict'
  /** A person's write: the API server refused the object as invalid (422); `fields` name the parts. */
  | 'invalid';

/**
 * Discovery's failures are the console's own (code `unavailable`); a person's calls (person-kube-client.ts)
 * give the code that tells the browser what the person can do (`kube_forbidden`, `not_found`, ...), the
 * `params` the message was built from and, for an invalid object, the API server's causes in `fields`.
 */
export class KubernetesError extends AppError {
  constructor(
    readonly failure: KubernetesFailure,
    message: string,
    options?: {
      cause?: unknown;
      code?: ErrorCode;
      params?: Record<string, string | number>;
      fields?: Record<string, string>;
    },
  ) {
    super(options?.code ?? 'unavailable', message, options?.fields, {
      cause: options?.cause,
      ...(options?.params ? { params: options.params } : {}),
    });
    this.name = 'KubernetesError';
  }
}

/** What discovery needs from Kubernetes; an interface so unit tests can stand in for the API server. */
export interface KubernetesClient {
  /** The API server's URL, for messages. */
  readonly server: string;
  /** RayClusters (ray.io/v1) in one namespace, or in all when `namespace` is undefined. */
  listRayClusters(namespace: string | undefined): Promise<{ items: RayClusterObject[]; skipped: number }>;
  /** Services labelled `ray.io/node-type=head` (KubeRay's head Services). */
  listHeadServices(namespace: string | undefined): Promise<ServiceObject[]>;
  /**
   * The head's dashboard through the API server's service proxy. `Authorization` carries the console's
   * Kubernetes credentials there, so the Ray token travels in `X-Ray-Authorization` (which Ray reads when
   * `Authorization` is absent or not its own).
   */
  serviceProxyEndpoint(namespace: string, service: string, port: string): RayEndpoint;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const RAY_GROUP = 'ray.io';
const RAY_VERSION = 'v1';
const HEAD_SERVICE_SELECTOR = 'ray.io/node-type=head';

/**
 * Loads the credentials (the Pod's service account, or kubeconfig files) and returns the client.
 * Throws a plain Error naming the file or context when they cannot be used, for the boot to print.
 */
export function createKubernetesClient(source: KubernetesSource, options: { timeoutMs: number }): KubernetesClient {
  return new ClientNodeKubernetesClient(loadKubeConfig(source), options.timeoutMs);
}

/** The console's own KubeConfig from the source config.ts chose (also the base of a person's, person-kube-of.ts). */
export function loadKubeConfig(source: KubernetesSource): KubeConfig {
  const kc = new KubeConfig();
  if (source.kind === 'in-cluster') {
    // What client-node's loadFromCluster() does, but from values config.ts read, so that file stays the
    // only reader of the environment. The token file is re-read by client-node, so rotated tokens work.
    const host = net.isIPv6(source.host) ? `[${source.host}]` : source.host;
    kc.loadFromOptions({
      clusters: [
        { name: 'in-cluster', server: `https://${host}:${source.port}`, caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
      ],
      users: [
        {
          name: 'service-account',
          authProvider: { name: 'tokenFile', config: { tokenFile: `${SERVICE_ACCOUNT_DIR}/token` } },
        },
      ],
      contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account' }],
      currentContext: 'in-cluster',
    });
    return kc;
  }
  const [first, ...rest] = source.files;
  if (!first) throw new Error('Kubernetes discovery: no kubeconfig file to read.');
  try {
    kc.loadFromFile(first);
    // Like kubectl with a KUBECONFIG list: the first file wins for the current context.
    for (const file of rest) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      kc.mergeConfig(more, true);
    }
  } catch (err) {
    throw new Error(`Kubernetes discovery: cannot read the kubeconfig (${(err as Error).message.split('\n')[0]}).`, {
      cause: err,
    });
  }
  if (source.context) {
    if (!kc.getContextObject(source.context)) {
      throw new Error(`KUBERNETES_CONTEXT: the kubeconfig has no context "${source.context}".`);
    }
    kc.setCurrentContext(source.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new Error('Kubernetes discovery: the kubeconfig has no current context; set KUBERNETES_CONTEXT.');
  }
  return kc;
}

class ClientNodeKubernetesClient implements KubernetesClient {
  readonly server: string;
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  /** TLS settings of the API server (its CA, a client certificate), shared by every proxied call. */
  private readonly agent: https.Agent | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly timeoutMs: number,
  ) {
    const cluster = kc.getCurrentCluster();
    this.server = (cluster?.server ?? '').replace(/\/+$/, '');
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
    this.agent = this.server.startsWith('https:') ? this.tlsAgent() : undefined;
  }

  async listRayClusters(namespace: string | undefined) {
    const what = `RayClusters (ray.io/v1) ${where(namespace)}`;
    const body: unknown = await this.call(what, () =>
      namespace
        ? this.custom.listNamespacedCustomObject(
            { group: RAY_GROUP, version: RAY_VERSION, namespace, plural: 'rayclusters' },
            this.requestOptions(),
          )
        : this.custom.listClusterCustomObject(
            { group: RAY_GROUP, version: RAY_VERSION, plural: 'rayclusters' },
            this.requestOptions(),
          ),
    );
    return parseItems(RayClusterObject, body);
  }

  async listHeadServices(namespace: string | undefined) {
    const what = `Services ${where(namespace)}`;
    const list = await this.call(what, () =>
      namespace
        ? this.core.listNamespacedService({ namespace, labelSelector: HEAD_SERVICE_SELECTOR }, this.requestOptions())
        : this.core.listServiceForAllNamespaces({ labelSelector: HEAD_SERVICE_SELECTOR }, this.requestOptions()),
    );
    return parseItems(ServiceObject, list).items;
  }

  serviceProxyEndpoint(namespace: string, service: string, port: string): RayEndpoint {
    // Discovery checked the names (DNS labels) and the port (a number or "dashboard"); each is still
    // encoded as one path segment, and the URL is built with `new URL()` on the API server's own URL.
    const url = new URL(this.server);
    const e = encodeURIComponent;
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/namespaces/${e(namespace)}/services/${e(service)}:${e(port)}/proxy`;
    return {
      baseUrl: url.href,
      tokenHeader: 'x-ray-authorization',
      headers: () => this.authHeaders(),
      ...(this.agent ? { agent: this.agent } : {}),
    };
  }

  /** The API server's auth headers, asked for on every call: exec plugins and token files refresh them. */
  private async authHeaders(): Promise<Record<string, string>> {
    const options: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(options);
    const headers: Record<string, string> = {};
    const given = options.headers;
    if (given && !Array.isArray(given)) {
      for (const [key, value] of Object.entries(given)) {
        if (typeof value === 'string') headers[key.toLowerCase()] = value;
        else if (Array.isArray(value)) headers[key.toLowerCase()] = value.join(', ');
      }
    }
    if (options.auth) headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    return headers;
  }

  private tlsAgent(): https.Agent {
    const cluster = this.kc.getCurrentCluster();
    const user = this.kc.getCurrentUser();
    const ca = cluster ? bufferFromFileOrString(cluster.caFile, cluster.caData) : null;
    const cert = user ? bufferFromFileOrString(user.certFile, user.certData) : null;
    const key = user ? bufferFromFileOrString(user.keyFile, user.keyData) : null;
    return new https.Agent({
      keepAlive: true,
      rejectUnauthorized: !cluster?.skipTLSVerify,
      ...(cluster?.tlsServerName ? { servername: cluster.tlsServerName } : {}),
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
    });
  }

  /** Every list call gets a deadline, so an API server that hangs reads as unreachable, not as stuck. */
  private requestOptions(): ConfigurationOptions {
    return callOptions(this.timeoutMs);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw describeFailure(err, what, this.server, this.timeoutMs);
    }
  }
}

function where(namespace: string | undefined): string {
  return namespace ? `in namespace ${namespace}` : 'in all namespaces';
}

/** The `message` of a Kubernetes Status answer (it names the user and the missing permission, never a token). */
export function statusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  const message = (value as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message.slice(0, 500) : undefined;
}

/** Turns client-node's errors into a {@link KubernetesError} whose message says what to do. */
export function describeFailure(err: unknown, what: string, server: string, timeoutMs: number): KubernetesError {
  if (err instanceof ApiException) {
    const status = err.code;
    const detail = statusMessage(err.body);
    const said = detail ? ` The API server said: ${detail}${/[.!?]$/.test(detail) ? '' : '.'}` : '';
    if (status === 401) {
      return new KubernetesError(
        'unauthorized',
        `The Kubernetes API server at ${server} did not accept the console's credentials (401) when listing ${what}. Check the service account token or kubeconfig.`,
        { cause: err },
      );
    }
    if (status === 403) {
      return new KubernetesError(
        'forbidden',
        `The console is not permitted to list ${what}.${said} Grant its identity list on rayclusters (ray.io) and services (the RBAC in deploy/ does), or limit KUBERNETES_NAMESPACES to namespaces where it has them.`,
        { cause: err },
      );
    }
    if (status === 404) {
      return new KubernetesError(
        'not_found',
        `The Kubernetes API server at ${server} does not serve ${what}: install KubeRay's CRDs (KubeRay 1.5.1 or newer for token authentication), or check KUBERNETES_NAMESPACES.`,
        { cause: err },
      );
    }
    return new KubernetesError(
      'error',
      `The Kubernetes API server at ${server} answered ${status} when listing ${what}.${said}`,
      {
        cause: err,
      },
    );
  }
  const e = err as { name?: string; code?: string; type?: string } | null;
  if (e?.name === 'AbortError' || e?.type === 'aborted') {
    return new KubernetesError(
      'unreachable',
      `The Kubernetes API server at ${server} did not answer within ${Math.round(timeoutMs / 1000)} s; the console keeps trying.`,
      { cause: err },
    );
  }
  const code = e?.code;
  const reason =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'host not found'
        : (code ?? 'network error');
  return new KubernetesError(
    'unreachable',
    `The Kubernetes API server at ${server} cannot be reached (${reason}); the console keeps trying.`,
    { cause: err },
  );
}
