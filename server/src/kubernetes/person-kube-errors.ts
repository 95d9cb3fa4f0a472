import { ApiException } from '@kubernetes/client-node';
import { KubernetesError, describeFailure, statusMessage } from './kube-client.js';
import type { KubeIdentityMode, PersonKubeKind } from './person-kube.js';

/** What a person tried: the verb and kind the API server authorizes, where, and on which object. */
export interface PersonAction {
  verb: string;
  kind: PersonKubeKind | 'SelfSubjectAccessReview';
  namespace: string;
  name?: string;
}

const RESOURCES: Record<PersonAction['kind'], { group: string; plural: string }> = {
  RayCluster: { group: 'ray.io', plural: 'rayclusters' },
  RayJob: { group: 'ray.io', plural: 'rayjobs' },
  RayService: { group: 'ray.io', plural: 'rayservices' },
  Secret: { group: '', plural: 'secrets' },
  Pod: { group: '', plural: 'pods' },
  Event: { group: '', plural: 'events' },
  Service: { group: '', plural: 'services' },
  SelfSubjectAccessReview: { group: 'authorization.k8s.io', plural: 'selfsubjectaccessreviews' },
};

/** The API group and plural of a kind (what RBAC rules and SelfSubjectAccessReviews name). */
export function resourceOf(kind: PersonAction['kind']): { group: string; plural: string } {
  return RESOURCES[kind];
}

/** `rayclusters.ray.io`, `secrets`: the resource as `kubectl auth can-i` and the API server's messages name it. */
export function resourceName(kind: PersonAction['kind']): string {
  const { group, plural } = RESOURCES[kind];
  return group ? `${plural}.${group}` : plural;
}

/** A Kubernetes `Status` body, or undefined (client-node hands it over as a string or as parsed JSON). */
function statusOf(body: unknown): { reason?: string; details?: { causes?: unknown; kind?: string } } | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null ? (value as ReturnType<typeof statusOf>) : undefined;
}

/**
 * The API server's reasons for refusing an object (422), keyed by the field path it names
 * (`spec.headGroupSpec.rayStartParams`), so a form shows each on its field. Causes without a field go
 * under `""`. Values read from the API server are untrusted: only strings, cut to a sane length.
 */
export function fieldsOfCauses(body: unknown): Record<string, string> {
  const causes = statusOf(body)?.details?.causes;
  const fields: Record<string, string> = {};
  if (!Array.isArray(causes)) return fields;
  for (const cause of causes.slice(0, 50)) {
    const c = cause as { field?: unknown; message?: unknown } | null;
    const message = typeof c?.message === 'string' ? c.message.slice(0, 500) : undefined;
    if (!message) continue;
    const field = typeof c?.field === 'string' ? c.field.slice(0, 300) : '';
    fields[field] = fields[field] ? `${fields[field]}; ${message}` : message;
  }
  return fields;
}

/**
 * A person's failed call as a {@link KubernetesError} with the code the browser acts on and the `params`
 * the message was built from: 403 `kube_forbidden` {verb, resource, namespace, name?, user}; 401
 * `kube_token_rejected` for a pasted token (else the console's own credentials are wrong: `unavailable`);
 * 404 `not_found`; 409 `conflict`; 422 `validation` with the API server's causes in `fields`. Network
 * failures and timeouts read as discovery's do (`unavailable`).
 */
export function describePersonFailure(
  err: unknown,
  action: PersonAction,
  who: { user: string; mode: KubeIdentityMode; server: string; timeoutMs: number },
): KubernetesError {
  const resource = resourceName(action.kind);
  const params: Record<string, string> = {
    verb: action.verb,
    resource,
    namespace: action.namespace,
    ...(action.name ? { name: action.name } : {}),
    user: who.user,
  };
  const what = `${resource}${action.name ? ` "${action.name}"` : ''} in namespace ${action.namespace}`;
  if (!(err instanceof ApiException)) {
    return describeFailure(err, `${action.verb} ${what}`, who.server, who.timeoutMs);
  }
  const status = err.code;
  const detail = statusMessage(err.body);
  const said = detail ? ` The API server said: ${detail}${/[.!?]$/.test(detail) ? '' : '.'}` : '';
  const kind = statusOf(err.body)?.details?.kind;
  if (status === 403 && who.mode === 'impersonate' && (kind === 'users' || kind === 'groups')) {
    // Refused before the person's RBAC was even asked: the console's own identity may not impersonate.
    return new KubernetesError(
      'forbidden',
      `The console may not impersonate ${who.user} (403).${said} Grant its ServiceAccount impersonate on users and groups (deploy/ does).`,
      { cause: err, params },
    );
  }
  if (status === 403) {
    return new KubernetesError('forbidden', `${who.user} may not ${action.verb} ${what}.${said}`, {
      cause: err,
      code: 'kube_forbidden',
      params,
    });
  }
  if (status === 401) {
    if (who.mode === 'token') {
      return new KubernetesError(
        'unauthorized',
        'The Kubernetes API server no longer accepts your token; paste a new one.',
        { cause: err, code: 'kube_token_rejected', params: { user: who.user } },
      );
    }
    return new KubernetesError(
      'unauthorized',
      `The Kubernetes API server at ${who.server} did not accept the console's credentials (401) for ${action.verb} ${what}. Check the kubeconfig or the service account token.`,
      { cause: err, params },
    );
  }
  if (status === 404) {
    return new KubernetesError(
      'not_found',
      action.name
        ? `There is no ${what}.${said}`
        : `The Kubernetes API server at ${who.server} does not serve ${resource}: install KubeRay's CRDs, or check the namespace.`,
      { cause: err, code: 'not_found', params },
    );
  }
  if (status === 409) {
    return new KubernetesError('conflict', `${what} already exists, or changed meanwhile.${said}`, {
      cause: err,
      code: 'conflict',
      params,
    });
  }
  if (status === 422 || status === 400) {
    const fields = fieldsOfCauses(err.body);
    return new KubernetesError('invalid', `The API server refused ${what} as invalid.${said}`, {
      cause: err,
      code: 'validation',
      params,
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
    });
  }
  return new KubernetesError(
    'error',
    `The Kubernetes API server at ${who.server} answered ${status} to ${action.verb} ${what}.${said}`,
    { cause: err, params },
  );
}
