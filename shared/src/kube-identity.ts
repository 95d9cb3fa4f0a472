// zod/mini, like the other schemas the browser parses.
import * as z from 'zod/mini';

/**
 * Whose Kubernetes identity the console acts with for this person (issue 12), for the "Kubernetes
 * identity" page and for pages that hide create/delete when there is none. Never a credential.
 */
export const KubeIdentity = z
  .object({
    /** How the console acts for this person now; `none`: it cannot (see `enable`). */
    mode: z.enum(['kubeconfig', 'impersonate', 'token', 'none']),
    /** What the operator configured (KUBERNETES_ACT_AS, resolved); `off`: no Kubernetes actions at all. */
    configured: z.enum(['kubeconfig', 'impersonate', 'token', 'off']),
    /** The user name the API server sees (from a SelfSubjectReview, or the impersonated user). */
    user: z.optional(z.string()),
    groups: z.optional(z.array(z.string())),
    /** A pasted token's expiry (ISO 8601), from its JWT `exp`; absent when it has none. */
    expiresAt: z.optional(z.string()),
    /**
     * How to get an identity when `mode` is `none`: `configure` (the operator sets KUBERNETES_ACT_AS),
     * `sign_in` (sign in with OIDC), `paste_token` (paste a Kubernetes token here).
     */
    enable: z.optional(z.enum(['configure', 'sign_in', 'paste_token'])),
  })
  .register(z.globalRegistry, { id: 'KubeIdentity' });
export type KubeIdentity = z.infer<typeof KubeIdentity>;

/** `PUT /api/kubernetes/identity/token`: a Kubernetes bearer token (`kubectl create token ...` prints one). */
export const KubeTokenPaste = z
  .object({
    token: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'Paste a Kubernetes token (kubectl create token <service-account> prints one).'),
        z.maxLength(16_384, 'That is longer than any Kubernetes token; paste the token alone.'),
        z.regex(/^[\x21-\x7e]+$/, 'A Kubernetes token is one word of printable characters; paste the token alone.'),
      ),
  })
  .register(z.globalRegistry, { id: 'KubeTokenPaste' });
export type KubeTokenPaste = z.infer<typeof KubeTokenPaste>;

/**
 * `GET /api/kubernetes/identity/can-i?verb=create&kind=RayCluster&namespace=team-a`: may the person do
 * this (a SelfSubjectAccessReview as them)? Pages use it to offer only what the API server would allow.
 */
export const KubeCanIQuery = z
  .object({
    verb: z.enum(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], {
      error: 'Use one of get, list, watch, create, update, patch, delete.',
    }),
    kind: z.enum(['RayCluster', 'RayJob', 'RayService', 'Secret', 'Pod', 'Event', 'Service'], {
      error: 'Use one of RayCluster, RayJob, RayService, Secret, Pod, Event, Service.',
    }),
    namespace: z
      .string()
      .check(z.regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'Use a Kubernetes namespace name (a DNS label).')),
    name: z.optional(
      z
        .string()
        .check(
          z.maxLength(253, 'Use a Kubernetes object name (a DNS subdomain).'),
          z.regex(/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, 'Use a Kubernetes object name (a DNS subdomain).'),
        ),
    ),
  })
  .register(z.globalRegistry, { id: 'KubeCanIQuery' });
export type KubeCanIQuery = z.infer<typeof KubeCanIQuery>;

export const KubeCanI = z.object({ allowed: z.boolean() }).register(z.globalRegistry, { id: 'KubeCanI' });
export type KubeCanI = z.infer<typeof KubeCanI>;
