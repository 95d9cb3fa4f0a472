import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import {
  kubeRequest,
  kustomizeBinary,
  loadYamlObjects,
  PROJECT_ROOT,
  type KubeResponse,
} from '../../harness/kube-control-plane.js';
import type { KubeContext } from './global-setup.js';

/** A Kubernetes object as the tests write it: plain JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; [key: string]: unknown };
  [key: string]: unknown;
}

interface ResourceInfo {
  /** `/api/v1` or `/apis/<group>/<version>` */
  prefix: string;
  plural: string;
  namespaced: boolean;
}

/** The kinds the tests create, and where each lives in the API. */
const RESOURCES: Record<string, ResourceInfo> = {
  Namespace: { prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  Secret: { prefix: '/api/v1', plural: 'secrets', namespaced: true },
  Service: { prefix: '/api/v1', plural: 'services', namespaced: true },
  ServiceAccount: { prefix: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  ConfigMap: { prefix: '/api/v1', plural: 'configmaps', namespaced: true },
  Pod: { prefix: '/api/v1', plural: 'pods', namespaced: true },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  ClusterRole: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: {
    prefix: '/apis/rbac.authorization.k8s.io/v1',
    plural: 'clusterrolebindings',
    namespaced: false,
  },
  Role: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  RoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  NetworkPolicy: { prefix: '/apis/networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  Ingress: { prefix: '/apis/networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
  RayCluster: { prefix: '/apis/ray.io/v1', plural: 'rayclusters', namespaced: true },
  RayJob: { prefix: '/apis/ray.io/v1', plural: 'rayjobs', namespaced: true },
  RayService: { prefix: '/apis/ray.io/v1', plural: 'rayservices', namespaced: true },
};

export function kubeContext(): KubeContext {
  return inject('kube');
}

export const randomSuffix = (): string => randomBytes(3).toString('hex');

/** The API path of a collection (`name` absent) or of one object. */
export function apiPath(kind: string, namespace: string | undefined, name?: string): string {
  const info = RESOURCES[kind];
  if (!info) throw new Error(`kube test helper: unknown kind ${kind}`);
  const ns = info.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
  return `${info.prefix}${ns}/${info.plural}${name ? `/${name}` : ''}`;
}

/** The API server as one identity (admin unless another token is given). Tests use it to set the scene. */
export class Kube {
  constructor(
    readonly ctx: KubeContext,
    readonly token: string = ctx.adminToken,
  ) {}

  as(token: string): Kube {
    return new Kube(this.ctx, token);
  }

  request<T = unknown>(
    method: string,
    apiPathname: string,
    body?: unknown,
    contentType?: string,
  ): Promise<KubeResponse<T>> {
    return kubeRequest<T>(this.ctx.server, this.token, method, apiPathname, body, contentType);
  }

  /** Sends and fails the test with the API server's answer unless the status is 2xx. */
  async ok<T = unknown>(method: string, apiPathname: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.request<T>(method, apiPathname, body, contentType);
    if (res.status < 200 || res.status >= 300)
      throw new Error(`${method} ${apiPathname}: ${res.status} ${res.text.slice(0, 500)}`);
    return res.body;
  }

  create<T extends KubeObject>(obj: T): Promise<T> {
    return this.ok<T>('POST', apiPath(obj.kind, obj.metadata.namespace), obj);
  }

  get<T = KubeObject>(kind: string, namespace: string | undefined, name: string): Promise<KubeResponse<T>> {
    return this.request<T>('GET', apiPath(kind, namespace, name));
  }

  async list<T = KubeObject>(kind: string, namespace: string | undefined, labelSelector?: string): Promise<T[]> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const body = await this.ok<{ items: T[] }>('GET', `${apiPath(kind, namespace)}${query}`);
    return body.items;
  }

  delete(kind: string, namespace: string | undefined, name: string): Promise<unknown> {
    return this.ok('DELETE', apiPath(kind, namespace, name));
  }

  /** A JSON merge patch of the status subresource (what a controller or kubelet writes). */
  patchStatus(kind: string, namespace: string, name: string, status: unknown): Promise<unknown> {
    return this.ok(
      'PATCH',
      `${apiPath(kind, namespace, name)}/status`,
      JSON.stringify({ status }),
      'application/merge-patch+json',
    );
  }

  /** Server-side apply, for real or as a dry run (`dryRun=All`: admission and validation run, nothing is stored). */
  apply(obj: KubeObject, options: { dryRun?: boolean } = {}): Promise<KubeResponse<KubeObject>> {
    const query = `?fieldManager=ray-console-tests&force=true${options.dryRun ? '&dryRun=All' : ''}`;
    return this.request<KubeObject>(
      'PATCH',
      `${apiPath(obj.kind, obj.metadata.namespace, obj.metadata.name)}${query}`,
      JSON.stringify(obj),
      'application/apply-patch+yaml',
    );
  }

  async createNamespace(prefix: string): Promise<string> {
    const name = `${prefix}-${randomSuffix()}`;
    await this.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return name;
  }

  /** A short-lived token of a service account, from the TokenRequest API (what `kubectl create token` does). */
  async serviceAccountToken(namespace: string, serviceAccount: string, seconds = 3600): Promise<string> {
    const body = await this.ok<{ status: { token: string } }>(
      'POST',
      `${apiPath('ServiceAccount', namespace, serviceAccount)}/token`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: seconds } },
    );
    return body.status.token;
  }

  /** Stops or starts kube-apiserver (through the global setup, which owns the process). */
  async apiServer(action: 'stop' | 'start'): Promise<void> {
    const res = await fetch(`${this.ctx.controlUrl}/apiserver/${action}`, { method: 'POST' });
    if (res.status !== 204) throw new Error(`kube-apiserver ${action}: ${res.status} ${await res.text()}`);
  }
}

export const SAMPLES_DIR = path.join(PROJECT_ROOT, 'deploy', 'crds', 'kuberay-v1.7.0', 'samples');

/** The objects of a KubeRay sample file (a Secret and a RayCluster, say), placed in `namespace`. */
export function sampleObjects(file: string, namespace: string): KubeObject[] {
  return loadYamlObjects<KubeObject>(path.join(SAMPLES_DIR, file)).map((o) => ({
    ...o,
    metadata: { ...o.metadata, namespace },
  }));
}

/**
 * `kustomize build <dir>` with the real tool (the one `kubectl apply -k` embeds), as objects. Throws with
 * kustomize's own message when the build fails (a cycle between base and overlay, a missing file, ...).
 */
export function kustomizeBuild(dir: string): KubeObject[] {
  let out: string;
  try {
    out = execFileSync(kustomizeBinary(), ['build', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`kustomize build ${path.relative(PROJECT_ROOT, dir)} failed: ${stderr || String(err)}`, {
      cause: err,
    });
  }
  return parseAllDocuments(out)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

interface Kustomization {
  namespace?: string;
  resources?: string[];
  patches?: { path?: string }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  labels?: { pairs?: Record<string, string> }[];
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

/**
 * Renders a kustomization the way `kubectl kustomize` does for the features deploy/ uses: resource files
 * and directories (an overlay's base), strategic-merge `patches` from files (maps only), `namespace`
 * (also on ServiceAccount subjects that say "default", kustomize's default), `labels` and `images`.
 * Enough to apply deploy/ without a kustomize binary; anything else it meets is an error.
 */
export function renderKustomization(dir: string, namespace?: string): KubeObject[] {
  const k = parseYaml(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization &
    Record<string, unknown>;
  const known = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'patches', 'images', 'labels']);
  const unknown = Object.keys(k).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`renderKustomization: unsupported fields ${unknown.join(', ')} in ${dir}`);
  const ns = namespace ?? k.namespace;
  const labels = Object.assign({}, ...(k.labels ?? []).map((l) => l.pairs ?? {})) as Record<string, string>;
  const objects = (k.resources ?? []).flatMap((entry) => {
    const where = path.join(dir, entry);
    return fs.statSync(where).isDirectory()
      ? renderKustomization(where, namespace)
      : loadYamlObjects<KubeObject>(where).map((o) => structuredClone(o));
  });
  for (const patch of k.patches ?? []) {
    if (!patch.path) throw new Error(`renderKustomization: only patches with a path are supported (${dir})`);
    for (const p of loadYamlObjects<KubeObject>(path.join(dir, patch.path))) {
      const target = objects.find((o) => o.kind === p.kind && o.metadata.name === p.metadata.name);
      if (!target)
        throw new Error(`renderKustomization: ${patch.path} patches ${p.kind}/${p.metadata.name}, not found`);
      mergeMaps(target, p, `${patch.path}`);
    }
  }
  return objects.map((out) => {
    if (ns && !CLUSTER_SCOPED.has(out.kind)) out.metadata.namespace = ns;
    out.metadata.labels = { ...(out.metadata.labels as Record<string, string> | undefined), ...labels };
    const subjects = out.subjects as { kind: string; namespace?: string }[] | undefined;
    for (const s of subjects ?? [])
      if (s.kind === 'ServiceAccount' && s.namespace === 'default' && ns) s.namespace = ns;
    const containers =
      (out.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec
        ?.containers ?? [];
    for (const c of containers) {
      const image = k.images?.find((i) => i.name === c.image);
      if (image) c.image = `${image.newName ?? image.name}${image.newTag ? `:${image.newTag}` : ''}`;
    }
    return out;
  });
}

/** A strategic merge of maps into `target`; a list in a patch is an error (kustomize merges some by key). */
function mergeMaps(target: Record<string, unknown>, patch: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value)) throw new Error(`renderKustomization: ${where} patches the list ${key}; not supported`);
    const current = target[key];
    if (value && typeof value === 'object' && current && typeof current === 'object' && !Array.isArray(current)) {
      mergeMaps(current as Record<string, unknown>, value as Record<string, unknown>, where);
    } else {
      target[key] = value;
    }
  }
}

/** A kubeconfig file for one bearer token against the test API server (its certificate is self-signed). */
export function writeKubeconfig(ctx: KubeContext, token: string, user = 'user'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ray-console-kubeconfig-'));
  const file = path.join(dir, 'config');
  const q = (s: string) => JSON.stringify(s);
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: test`,
      `  cluster: { server: ${q(ctx.server)}, insecure-skip-tls-verify: true }`,
      'users:',
      `- name: ${q(user)}`,
      `  user: { token: ${q(token)} }`,
      'contexts:',
      `- name: test`,
      `  context: { cluster: test, user: ${q(user)} }`,
      'current-context: test',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return file;
}
