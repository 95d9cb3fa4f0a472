import {
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  type ConfigurationOptions,
} from '@kubernetes/client-node';
import { isDnsLabel, isDnsSubdomain, shown } from '../features/kubernetes/kube-names.js';
import { AppError } from '../lib/app-error.js';
import { callOptions, PersonHttpLibrary } from './kube-http.js';
import type { KubeIdentityMode, KubeListOptions, PersonKube, PersonKubeKind } from './person-kube.js';
import { describePersonFailure, resourceOf, type PersonAction } from './person-kube-errors.js';

/**
 * {@link PersonKube} with @kubernetes/client-node: ray.io/v1 kinds through CustomObjectsApi, core kinds
 * through CoreV1Api, `allowed` through a SelfSubjectAccessReview. One per request (cheap: the KubeConfig
 * it is given is already loaded); impersonation rides in the HTTP library (kube-http.ts).
 */
export class ClientNodePersonKube implements PersonKube {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly authz: AuthorizationV1Api;
  private readonly http: PersonHttpLibrary;
  private readonly server: string;

  constructor(
    kc: KubeConfig,
    readonly mode: KubeIdentityMode,
    readonly user: string,
    readonly groups: readonly string[],
    private readonly options: {
      timeoutMs: number;
      /** Sent as `Impersonate-User`/`Impersonate-Group` (mode `impersonate`). */
      impersonate?: { user: string; groups: readonly string[] };
      /** A pasted token the API server rejected (401): forget it, so the person is asked again. */
      onTokenRejected?: () => Promise<void>;
    },
  ) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
    this.authz = kc.makeApiClient(AuthorizationV1Api);
    this.http = new PersonHttpLibrary(options.impersonate);
    this.server = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
  }

  get(kind: PersonKubeKind, namespace: string, name: string): Promise<unknown> {
    const o = this.requestOptions();
    return this.call({ verb: 'get', kind, namespace, name }, () => {
      const custom = customOf(kind);
      if (custom) return this.custom.getNamespacedCustomObject({ ...custom, namespace, name }, o);
      switch (kind) {
        case 'Secret':
          return this.core.readNamespacedSecret({ namespace, name }, o);
        case 'Pod':
          return this.core.readNamespacedPod({ namespace, name }, o);
        case 'Service':
          return this.core.readNamespacedService({ namespace, name }, o);
        default:
          return this.core.readNamespacedEvent({ namespace, name }, o);
      }
    });
  }

  async list(kind: PersonKubeKind, namespace: string, options: KubeListOptions = {}): Promise<unknown[]> {
    const o = this.requestOptions();
    const selectors = {
      ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
      ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}),
    };
    const body: unknown = await this.call({ verb: 'list', kind, namespace }, () => {
      const custom = customOf(kind);
      if (custom) return this.custom.listNamespacedCustomObject({ ...custom, namespace, ...selectors }, o);
      switch (kind) {
        case 'Secret':
          return this.core.listNamespacedSecret({ namespace, ...selectors }, o);
        case 'Pod':
          return this.core.listNamespacedPod({ namespace, ...selectors }, o);
        case 'Service':
          return this.core.listNamespacedService({ namespace, ...selectors }, o);
        default:
          return this.core.listNamespacedEvent({ namespace, ...selectors }, o);
      }
    });
    const items = (body as { items?: unknown } | null)?.items;
    return Array.isArray(items) ? (items as unknown[]) : [];
  }

  create(kind: PersonKubeKind, namespace: string, body: object, options: { dryRun?: boolean } = {}): Promise<unknown> {
    const o = this.requestOptions();
    const dryRun = options.dryRun ? { dryRun: 'All' } : {};
    const name = (body as { metadata?: { name?: unknown } }).metadata?.name;
    const action: PersonAction = { verb: 'create', kind, namespace, ...(typeof name === 'string' ? { name } : {}) };
    return this.call(action, () => {
      const custom = customOf(kind);
      if (custom) return this.custom.createNamespacedCustomObject({ ...custom, namespace, body, ...dryRun }, o);
      // The core APIs take their typed models; the API server validates the object either way.
      const typed = body as never;
      switch (kind) {
        case 'Secret':
          return this.core.createNamespacedSecret({ namespace, body: typed, ...dryRun }, o);
        case 'Pod':
          return this.core.createNamespacedPod({ namespace, body: typed, ...dryRun }, o);
        case 'Service':
          return this.core.createNamespacedService({ namespace, body: typed, ...dryRun }, o);
        default:
          return this.core.createNamespacedEvent({ namespace, body: typed, ...dryRun }, o);
      }
    });
  }

  mergePatch(kind: PersonKubeKind, namespace: string, name: string, patch: object): Promise<unknown> {
    const o = this.requestOptions(PatchStrategy.MergePatch);
    return this.call({ verb: 'patch', kind, namespace, name }, () => {
      const custom = customOf(kind);
      if (custom) return this.custom.patchNamespacedCustomObject({ ...custom, namespace, name, body: patch }, o);
      switch (kind) {
        case 'Secret':
          return this.core.patchNamespacedSecret({ namespace, name, body: patch }, o);
        case 'Pod':
          return this.core.patchNamespacedPod({ namespace, name, body: patch }, o);
        case 'Service':
          return this.core.patchNamespacedService({ namespace, name, body: patch }, o);
        default:
          return this.core.patchNamespacedEvent({ namespace, name, body: patch }, o);
      }
    });
  }

  async delete(kind: PersonKubeKind, namespace: string, name: string): Promise<void> {
    const o = this.requestOptions();
    // Background: the API server answers at once and the garbage collector removes what the object owns
    // (a RayCluster's Pods, Services and token Secret), as `kubectl delete` does.
    const body = { propagationPolicy: 'Background' };
    await this.call({ verb: 'delete', kind, namespace, name }, () => {
      const custom = customOf(kind);
      if (custom) return this.custom.deleteNamespacedCustomObject({ ...custom, namespace, name, body }, o);
      switch (kind) {
        case 'Secret':
          return this.core.deleteNamespacedSecret({ namespace, name, body }, o);
        case 'Pod':
          return this.core.deleteNamespacedPod({ namespace, name, body }, o);
        case 'Service':
          return this.core.deleteNamespacedService({ namespace, name, body }, o);
        default:
          return this.core.deleteNamespacedEvent({ namespace, name, body }, o);
      }
    });
  }

  async allowed(verb: string, kind: PersonKubeKind, namespace: string, name?: string): Promise<boolean> {
    const { group, plural } = resourceOf(kind);
    const review = await this.call({ verb: 'create', kind: 'SelfSubjectAccessReview', namespace }, () =>
      this.authz.createSelfSubjectAccessReview(
        {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { verb, group, resource: plural, namespace, ...(name ? { name } : {}) } },
          },
        },
        this.requestOptions(),
      ),
    );
    return review.status?.allowed === true;
  }

  /** Every call: the person's HTTP library (impersonation), a deadline, and a patch's content type. */
  private requestOptions(contentType?: string): ConfigurationOptions {
    return callOptions(this.options.timeoutMs, { httpApi: this.http, ...(contentType ? { contentType } : {}) });
  }

  private async call<T>(action: PersonAction, fn: () => Promise<T>): Promise<T> {
    // Routes validate names at the edge; checked again here, so no caller can reach another path.
    if (!isDnsLabel(action.namespace) || (action.name !== undefined && !isDnsSubdomain(action.name))) {
      throw new AppError(
        'validation',
        `Use a Kubernetes namespace (a DNS label) and object name (a DNS subdomain): ${shown(action.namespace)}${action.name === undefined ? '' : ` / ${shown(action.name)}`}.`,
        undefined,
        { params: { namespace: action.namespace, ...(action.name === undefined ? {} : { name: action.name }) } },
      );
    }
    try {
      return await fn();
    } catch (err) {
      const failure = describePersonFailure(err, action, {
        user: this.user,
        mode: this.mode,
        server: this.server,
        timeoutMs: this.options.timeoutMs,
      });
      if (failure.code === 'kube_token_rejected') await this.options.onTokenRejected?.();
      throw failure;
    }
  }
}

/** The ray.io/v1 kinds, as CustomObjectsApi addresses them; undefined for core kinds. */
function customOf(kind: PersonKubeKind): { group: string; version: string; plural: string } | undefined {
  if (kind !== 'RayCluster' && kind !== 'RayJob' && kind !== 'RayService') return undefined;
  return { group: 'ray.io', version: 'v1', plural: resourceOf(kind).plural };
}
