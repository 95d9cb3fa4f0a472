import type { SignInOptions } from '@ray-console/shared';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { PersonKube } from '../../kubernetes/person-kube.js';
import type { ClusterRecord } from '../clusters/cluster-registry.js';
import { isDnsLabel, isDnsSubdomain, isSecretKey } from '../kubernetes/kube-names.js';

/**
 * "Sign in as me": the console reads a discovered cluster's token Secret as the signed-in person (their
 * own Kubernetes identity, so the API server decides with their RBAC, never the console's) and signs the
 * session in with the token, which never reaches the browser. Pure of HTTP; the router answers.
 */

/** Where a cluster's token is, as discovery read it from the RayCluster: namespace, Secret and key. */
export interface TokenSecret {
  namespace: string;
  name: string;
  key: string;
}

/**
 * The Secret a discovered cluster's head reads its token from, when there is one: only for static-token
 * clusters (with `enableK8sTokenAuth` the person's Kubernetes token is the Ray token, and no Secret
 * exists). The names come from a RayCluster object, which whoever may edit it writes, so they are checked
 * again here before they go into a request path.
 */
export function tokenSecretOf(cluster: ClusterRecord): TokenSecret | undefined {
  const k = cluster.kubernetes;
  if (k?.auth.mode !== 'token' || !k.auth.secret) return undefined;
  const { name, key } = k.auth.secret;
  if (!isDnsLabel(k.namespace) || !isDnsSubdomain(name) || !isSecretKey(key)) return undefined;
  return { namespace: k.namespace, name, key };
}

/** The answer when a cluster's token is in no Secret the console knows. */
export function noTokenSecret(cluster: ClusterRecord): AppError {
  return new AppError(
    'conflict',
    `The cluster "${cluster.displayName}" keeps its token in no Kubernetes Secret the console knows; sign in with the token instead.`,
    undefined,
    { params: { cluster: cluster.displayName } },
  );
}

/** Printable ASCII: what a token sent in an HTTP header can be (KubeRay's are 44 base64 characters). */
const TOKEN_TEXT = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * Reads the token from the Secret as the person. Their 403 (they may not get the Secret) comes from the
 * API server through {@link PersonKube} and names the verb, the resource and the user. Nothing read from
 * the Secret is ever put into a message.
 */
export async function readTokenFromSecret(kube: PersonKube, secret: TokenSecret): Promise<string> {
  const object = await kube.get('Secret', secret.namespace, secret.name);
  const where = `the Secret "${secret.name}" in namespace "${secret.namespace}"`;
  const params = { namespace: secret.namespace, secret: secret.name, key: secret.key };
  const data = (object as { data?: unknown } | null)?.data;
  const encoded =
    data !== null && typeof data === 'object' && Object.hasOwn(data, secret.key)
      ? (data as Record<string, unknown>)[secret.key]
      : undefined;
  if (typeof encoded !== 'string') {
    throw new AppError(
      'not_found',
      `There is no key "${secret.key}" in ${where}; the cluster's head reads its token from there. Ask whoever runs the cluster, or sign in with the token.`,
      undefined,
      { params },
    );
  }
  // `data` values are base64 (the API server encodes `stringData` on write); surrounding whitespace is
  // what `--from-file` leaves, and the pasted-token form trims it the same way.
  const token = Buffer.from(encoded, 'base64').toString('utf8').trim();
  if (!TOKEN_TEXT.test(token)) {
    throw new AppError(
      'conflict',
      `The key "${secret.key}" in ${where} holds no token (it is empty or not printable text). Ask whoever runs the cluster, or sign in with the token.`,
      undefined,
      { params },
    );
  }
  return token;
}

/**
 * Whether "Sign in as me" is offered: the cluster's token is in a Secret, the console can act as this
 * person on Kubernetes, and the API server says they may get that Secret (a SelfSubjectAccessReview).
 * Without an identity for the person the prompt stays as it is; the review's own failure (API server
 * away) is an error, so the page can say so rather than hide the button without a reason.
 */
export async function signInOptions(cluster: ClusterRecord, kubeOf: () => Promise<PersonKube>): Promise<SignInOptions> {
  const secret = tokenSecretOf(cluster);
  if (!secret) return { kubernetesSecret: false, reason: 'no_secret' };
  let kube: PersonKube;
  try {
    kube = await kubeOf();
  } catch (err) {
    // kube_identity_required (acting as people is off, or no pasted token), kube_token_expired/_rejected.
    if (!isAppError(err, 'kube_identity_required', 'kube_token_expired', 'kube_token_rejected')) throw err;
    return { kubernetesSecret: false, reason: 'no_identity' };
  }
  const allowed = await kube.allowed('get', 'Secret', secret.namespace, secret.name);
  return {
    kubernetesSecret: allowed,
    ...(allowed ? {} : { reason: 'not_permitted' as const }),
    kubernetesUser: kube.user,
  };
}
