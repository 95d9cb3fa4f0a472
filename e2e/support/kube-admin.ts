import { kubeRequest, type KubeResponse } from '../../server/test/harness/kube-control-plane';

/** A Kubernetes object as the journeys write it: plain JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Where each kind the journeys touch lives in the API. */
const RESOURCES: Record<string, { prefix: string; plural: string; namespaced: boolean }> = {
  Namespace: { prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  Secret: { prefix: '/api/v1', plural: 'secrets', namespaced: true },
  Service: { prefix: '/api/v1', plural: 'services', namespaced: true },
  Pod: { prefix: '/api/v1', plural: 'pods', namespaced: true },
  ClusterRole: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  Role: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  RoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  RayCluster: { prefix: '/apis/ray.io/v1', plural: 'rayclusters', namespaced: true },
};

function apiPath(kind: string, namespace: string | undefined, name?: string): string {
  const info = RESOURCES[kind];
  if (!info) throw new Error(`kube-admin: unknown kind ${kind}`);
  const ns = info.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
  return `${info.prefix}${ns}/${info.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/**
 * The test API server as its administrator (`system:masters`), for what a journey's setting needs done
 * behind the console's back, as an operator with kubectl would: a RayCluster made outside the console, the
 * token Secret given the real head's token. The person in the browser never acts through this.
 */
export class KubeAdmin {
  constructor(
    readonly server: string,
    private readonly token: string,
  ) {}

  request<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse<T>> {
    return kubeRequest<T>(this.server, this.token, method, path, body, contentType);
  }

  /** Sends, and throws with the API server's answer unless the status is 2xx. */
  async ok<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.request<T>(method, path, body, contentType);
    if (res.status < 200 || res.status >= 300)
      throw new Error(`${method} ${path}: ${res.status} ${res.text.slice(0, 500)}`);
    return res.body;
  }

  create<T extends KubeObject>(obj: T): Promise<T> {
    return this.ok<T>('POST', apiPath(obj.kind, obj.metadata.namespace), obj);
  }

  /** The object, or undefined when the API server answers 404. */
  async get<T = KubeObject>(kind: string, namespace: string | undefined, name: string): Promise<T | undefined> {
    const res = await this.request<T>('GET', apiPath(kind, namespace, name));
    if (res.status === 404) return undefined;
    if (res.status !== 200)
      throw new Error(`GET ${kind} ${namespace}/${name}: ${res.status} ${res.text.slice(0, 500)}`);
    return res.body;
  }

  async list<T = KubeObject>(kind: string, namespace: string, labelSelector?: string): Promise<T[]> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return (await this.ok<{ items: T[] }>('GET', `${apiPath(kind, namespace)}${query}`)).items;
  }

  /** A JSON merge patch, as `kubectl patch --type merge` sends it. */
  mergePatch(kind: string, namespace: string, name: string, patch: unknown): Promise<unknown> {
    return this.ok('PATCH', apiPath(kind, namespace, name), JSON.stringify(patch), 'application/merge-patch+json');
  }
}
