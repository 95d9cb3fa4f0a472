import type { Request } from 'express';

/**
 * Kubernetes as the signed-in person (issue 12): every write, and every read of a token Secret, goes
 * through a {@link PersonKube}, never through the console's own identity (discovery's
 * `KubernetesClient`). The API server then decides with the person's RBAC, so the console can never
 * give anyone more than they already have.
 *
 * Three ways to be the person (`KubeIdentityMode`):
 * - `kubeconfig`: the console runs on the person's machine; their kubeconfig is their identity;
 * - `impersonate`: the console runs in a cluster with OIDC sign-in; it sends `Impersonate-User` and
 *   `Impersonate-Group` for the signed-in person (its ServiceAccount may impersonate and nothing else);
 * - `token`: the person pasted a Kubernetes token, sealed in the session like a Ray token.
 */
export type KubeIdentityMode = 'kubeconfig' | 'impersonate' | 'token';

/** The kinds a person acts on through the console; each maps to one API path (never a free path). */
export type PersonKubeKind = 'RayCluster' | 'RayJob' | 'RayService' | 'Secret' | 'Pod' | 'Event' | 'Service';

export interface KubeListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * One person's view of the API server. Names and namespaces must be validated DNS names before they
 * get here; paths are built with `new URL()` from them. Every failure is a `KubernetesError`
 * (kube-client.ts); a 403 carries the verb, resource, namespace and user the API server refused in
 * its `params`, so the page says what was refused and to whom.
 */
export interface PersonKube {
  readonly mode: KubeIdentityMode;
  /** Who the API server sees, for messages and the audit trail (a user name, never a credential). */
  readonly user: string;
  readonly groups: readonly string[];
  get(kind: PersonKubeKind, namespace: string, name: string): Promise<unknown>;
  list(kind: PersonKubeKind, namespace: string, options?: KubeListOptions): Promise<unknown[]>;
  /** `dryRun: true` sends `dryRun=All`: the API server validates and admits, and stores nothing. */
  create(kind: PersonKubeKind, namespace: string, body: object, options?: { dryRun?: boolean }): Promise<unknown>;
  /** A JSON merge patch (suspend and resume a RayJob). */
  mergePatch(kind: PersonKubeKind, namespace: string, name: string, patch: object): Promise<unknown>;
  delete(kind: PersonKubeKind, namespace: string, name: string): Promise<void>;
  /** SelfSubjectAccessReview: may this person do `verb` on `kind` (in `namespace`, on `name`)? */
  allowed(verb: string, kind: PersonKubeKind, namespace: string, name?: string): Promise<boolean>;
}

/**
 * The person's Kubernetes for this request, or a `KubernetesError`/`AppError` with code
 * `kube_identity_required` (401) saying how to get one (paste a token, sign in with OIDC, run locally).
 */
export type PersonKubeOf = (req: Request) => Promise<PersonKube>;
