import { createHash } from 'node:crypto';
import { quote } from 'shell-quote';
import type { KubernetesClusterInfo, KubernetesCondition, TokenHint } from '@ray-console/shared';
import { KUBERNETES_ID_PREFIX } from '../../config.js';
import type { EnvVar, RayClusterObject, ServiceObject } from '../../kubernetes/kube-objects.js';
import { isDnsLabel, isDnsSubdomain, isPort, isSecretKey, shown } from './kube-names.js';

/**
 * What the console makes of one RayCluster object: its id, auth mode, where its token lives, readiness
 * and owner. Pure functions over the object (no I/O), following what the KubeRay operator does
 * (ray-operator v1.5.1-v1.7.0; see docs/kuberay-behaviour.md).
 */

/** The key KubeRay's Secrets keep the token under. */
export const AUTH_TOKEN_KEY = 'auth_token';
/** The largest id ClusterId allows. */
const MAX_ID = 253;

/**
 * `k8s~<namespace>~<name>`: `~` is in no Kubernetes name, so the id is unambiguous and safe in URLs.
 * Names too long for the id limit keep a readable start and a hash of the whole.
 */
export function clusterIdOf(namespace: string, name: string): string {
  const id = `${KUBERNETES_ID_PREFIX}${namespace}~${name}`;
  if (id.length <= MAX_ID) return id;
  const hash = createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 12);
  return `${id.slice(0, MAX_ID - hash.length - 1)}-${hash}`;
}

/**
 * The operator's `utils.CheckName`: names longer than 50 characters keep their last 50, and a leading
 * digit or punctuation character becomes `r`. The operator's Secret is named this, not the raw name.
 */
export function checkName(name: string): string {
  let s = name.length > 50 ? name.slice(name.length - 50) : name;
  if (s.length > 0 && !/[a-z]/.test(s[0]!)) s = `r${s.slice(1)}`;
  return s;
}

function headContainerEnv(rc: RayClusterObject): EnvVar[] {
  // KubeRay treats the first container of the head Pod template as the Ray container.
  return rc.spec.headGroupSpec?.template?.spec?.containers[0]?.env ?? [];
}

export type AuthView = KubernetesClusterInfo['auth'] & {
  /** A literal `RAY_AUTH_TOKEN` value in the spec (the hint says how to print it; the value is never kept). */
  literalEnv?: boolean;
};

/**
 * The auth mode from `spec.authOptions` (KubeRay 1.5.1+) or, for clusters made by hand like
 * `ray-cluster.auth-manual.yaml`, from the head container's `RAY_AUTH_MODE` and `RAY_AUTH_TOKEN` env.
 * Only `mode: token` counts as on: with an empty mode the operator creates a Secret but sets no env, so
 * Ray runs without auth.
 */
export function authOf(rc: RayClusterObject): AuthView {
  const options = rc.spec.authOptions;
  const name = rc.metadata.name;
  if (options?.mode === 'token') {
    if (options.enableK8sTokenAuth) return { mode: 'kubernetes-token', source: 'authOptions' };
    const secretName = options.secretName ? options.secretName : checkName(name);
    return { mode: 'token', source: 'authOptions', secret: { name: secretName, key: AUTH_TOKEN_KEY } };
  }
  if (options && options.mode === 'disabled') return { mode: 'disabled', source: 'authOptions' };
  const env = headContainerEnv(rc);
  const value = (key: string) => env.find((e) => e.name === key);
  if (value('RAY_AUTH_MODE')?.value === 'token') {
    if (value('RAY_ENABLE_K8S_TOKEN_AUTH')?.value === 'true') return { mode: 'kubernetes-token', source: 'env' };
    const token = value('RAY_AUTH_TOKEN');
    const ref = token?.valueFrom?.secretKeyRef;
    if (ref?.name) return { mode: 'token', source: 'env', secret: { name: ref.name, key: ref.key } };
    if (token?.value !== undefined) return { mode: 'token', source: 'env', literalEnv: true };
    return { mode: 'token', source: 'env' };
  }
  return { mode: 'disabled', source: options ? 'authOptions' : 'none' };
}

/** A kubectl jsonpath for a Secret data key (dots in a key are escaped). */
function jsonPathOfKey(key: string): string {
  return `{.data.${key.replaceAll('.', '\\.')}}`;
}

/** A placeholder the user replaces; a plain word, so the line still pastes as one command. */
export const SERVICE_ACCOUNT_PLACEHOLDER = 'SERVICE_ACCOUNT';

/**
 * Where the token is, for the prompt: the Secret and key with the kubectl line that prints it, or for
 * Kubernetes-token clusters the line that makes a token. It names things; it never holds a token.
 *
 * The names come from a RayCluster, which anyone allowed to edit it writes: every word of a command is
 * shell-quoted (shell-quote), and a name Kubernetes itself would not accept gets no command at all but a
 * message, so `secretName: "x$(id)"` can never run `id` on the machine of whoever pastes the line.
 */
export function tokenHintOf(namespace: string, name: string, auth: AuthView): TokenHint | undefined {
  if (auth.mode !== 'token' && auth.mode !== 'kubernetes-token') return undefined;
  if (!isDnsLabel(namespace)) {
    return {
      kind: 'text',
      text: `The namespace ${shown(namespace)} is not a valid Kubernetes name; ask whoever runs this cluster for its token.`,
    };
  }
  if (auth.mode === 'kubernetes-token') {
    return {
      kind: 'kubernetes-token',
      text:
        `This cluster checks Kubernetes tokens instead of a Ray token (KubeRay enableK8sTokenAuth, Ray 2.55+). ` +
        `Sign in with the token of a Kubernetes identity allowed the "ray:write" verb on rayclusters in namespace ${namespace}, ` +
        `for example a service account's (replace ${SERVICE_ACCOUNT_PLACEHOLDER} with its name). Such tokens expire (kubectl create token makes one for an hour by default); ` +
        'when yours does, the console asks for a new one.',
      command: quote(['kubectl', 'create', 'token', SERVICE_ACCOUNT_PLACEHOLDER, '-n', namespace, '--duration=1h']),
    };
  }
  if (auth.secret) {
    const { name: secretName, key } = auth.secret;
    if (!isDnsSubdomain(secretName) || !isSecretKey(key)) {
      return {
        kind: 'text',
        text:
          `The RayCluster names the Secret ${shown(secretName)}, key ${shown(key)}, which Kubernetes does not allow ` +
          '(a Secret name is lower-case letters, digits, "-" and "."; a key is letters, digits, "-", "_" and "."). ' +
          'The console offers no command for it; fix the RayCluster or ask whoever runs this cluster for its token.',
      };
    }
    const who = auth.source === 'authOptions' ? 'KubeRay keeps' : 'The head container reads';
    return {
      kind: 'kubernetes-secret',
      text:
        `${who} this cluster's token in the Secret "${secretName}", key "${key}", in namespace ${namespace}. ` +
        'The console cannot read Secrets; print the token with your own access:',
      command: `${quote(['kubectl', 'get', 'secret', secretName, '-n', namespace, '-o', `jsonpath=${jsonPathOfKey(key)}`])} | ${quote(['base64', '-d'])}`,
    };
  }
  if (auth.literalEnv) {
    if (!isDnsSubdomain(name)) {
      return {
        kind: 'text',
        text: `The token is written into the RayCluster ${shown(name)} itself (env RAY_AUTH_TOKEN of the head container).`,
      };
    }
    return {
      kind: 'text',
      text: `The token is written into the RayCluster itself (env RAY_AUTH_TOKEN of the head container). Print it with:`,
      command: quote([
        'kubectl',
        'get',
        'raycluster',
        name,
        '-n',
        namespace,
        '-o',
        `jsonpath={.spec.headGroupSpec.template.spec.containers[0].env[?(@.name=="RAY_AUTH_TOKEN")].value}`,
      ]),
    };
  }
  return {
    kind: 'text',
    text: 'The head container sets RAY_AUTH_MODE=token but the token comes from elsewhere (a file in the image, say); ask whoever runs this cluster.',
  };
}

function conditionsOf(rc: RayClusterObject): KubernetesCondition[] {
  return (rc.status?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status === 'True' || c.status === 'False' ? c.status : 'Unknown',
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message.slice(0, 500) } : {}),
  }));
}

/**
 * Ready when the head Pod is (HeadPodReady) and the cluster is not suspended: the head is what the
 * console talks to. Older operators without status conditions only set `state: ready`.
 */
function readyOf(rc: RayClusterObject, conditions: KubernetesCondition[]): boolean {
  const is = (type: string) => conditions.find((c) => c.type === type)?.status;
  if (is('RayClusterSuspended') === 'True' || is('RayClusterSuspending') === 'True' || rc.spec.suspend) return false;
  const head = is('HeadPodReady');
  if (head !== undefined) return head === 'True';
  return rc.status?.state === 'ready';
}

function workersOf(rc: RayClusterObject): KubernetesClusterInfo['workers'] {
  const fromSpec = (rc.spec.workerGroupSpecs ?? [])
    .filter((g) => !g.suspend)
    .reduce((sum, g) => sum + (g.replicas ?? 0) * (g.numOfHosts ?? 1), 0);
  const nonNegative = (n: number | undefined) => Math.max(0, n ?? 0);
  return {
    desired: nonNegative(rc.status?.desiredWorkerReplicas ?? fromSpec),
    available: nonNegative(rc.status?.availableWorkerReplicas),
    ready: nonNegative(rc.status?.readyWorkerReplicas),
  };
}

/** The RayJob or RayService behind a cluster: its controller owner reference, else KubeRay's labels. */
export function ownerOf(rc: RayClusterObject): KubernetesClusterInfo['owner'] {
  const refs = rc.metadata.ownerReferences ?? [];
  const ref =
    refs.find((r) => r.controller && (r.kind === 'RayJob' || r.kind === 'RayService')) ??
    refs.find((r) => r.kind === 'RayJob' || r.kind === 'RayService');
  if (ref && (ref.kind === 'RayJob' || ref.kind === 'RayService')) return { kind: ref.kind, name: ref.name };
  const labels = rc.metadata.labels ?? {};
  const crd = labels['ray.io/originated-from-crd'];
  const crName = labels['ray.io/originated-from-cr-name'];
  if ((crd === 'RayJob' || crd === 'RayService') && crName) return { kind: crd, name: crName };
  return undefined;
}

/**
 * The head Service's name and where it was read (for a message when it is not valid): the status says
 * it; else the spec's override; else a head Service labelled with the cluster; else KubeRay's
 * `<name>-head-svc`. None of these is checked here; `serviceUrlOf` (kube-names.ts) checks the one used.
 */
export function headServiceNameOf(
  rc: RayClusterObject,
  services: readonly ServiceObject[],
): { name: string; from: string } {
  const fromStatus = rc.status?.head?.serviceName;
  if (fromStatus) return { name: fromStatus, from: 'status.head.serviceName' };
  const fromSpec = rc.spec.headGroupSpec?.headService?.metadata?.name;
  if (fromSpec) return { name: fromSpec, from: 'spec.headGroupSpec.headService.metadata.name' };
  const labelled = services.find(
    (s) => s.metadata.namespace === rc.metadata.namespace && s.metadata.labels?.['ray.io/cluster'] === rc.metadata.name,
  );
  if (labelled) return { name: labelled.metadata.name, from: 'the head Service labelled with the cluster' };
  return { name: `${rc.metadata.name}-head-svc`, from: "the RayCluster's name" };
}

/** The dashboard port: the head Service's port named `dashboard`, else the status endpoints, else 8265. */
export function dashboardPortOf(rc: RayClusterObject, service: ServiceObject | undefined): number {
  const named = service?.spec.ports?.find((p) => p.name === 'dashboard')?.port;
  if (named !== undefined) return named;
  const fromStatus = Number(rc.status?.endpoints?.dashboard);
  return isPort(fromStatus) ? fromStatus : 8265;
}

export type ClusterView = Omit<KubernetesClusterInfo, 'connection'> & { auth: AuthView; tokenHint?: TokenHint };

/** Everything but the connection, which depends on how the console is configured. */
export function viewOf(rc: RayClusterObject): ClusterView {
  const { namespace, name } = rc.metadata;
  const conditions = conditionsOf(rc);
  const auth = authOf(rc);
  const owner = ownerOf(rc);
  const hint = tokenHintOf(namespace, name, auth);
  return {
    namespace,
    name,
    ...(rc.spec.rayVersion ? { rayVersion: rc.spec.rayVersion } : {}),
    ready: readyOf(rc, conditions),
    ...(rc.status?.state ? { state: rc.status.state } : {}),
    conditions,
    workers: workersOf(rc),
    ...(owner ? { owner } : {}),
    auth,
    ...(hint ? { tokenHint: hint } : {}),
  };
}
