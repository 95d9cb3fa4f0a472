// zod/mini, not classic zod: the browser's first page (the cluster list, the sign-in prompt) parses
// with these schemas, and mini keeps classic zod out of its first script (web/vite.config.ts). Other
// schemas may still wrap these (`z.object({ cluster: ClusterId })`); wrap with functions
// (`z.optional(ClusterId)`), as mini schemas have no `.optional()` method.
import * as z from 'zod/mini';
import { Person, Role } from './identity.js';
import { KubernetesClusterInfo } from './kubernetes.js';

/**
 * A cluster id appears in URLs (`/clusters/{id}`), so it is limited to characters that need no escaping.
 * Kubernetes-discovered clusters use `k8s~<namespace>~<name>` (`~` appears in no Kubernetes name).
 */
export const ClusterId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._~-]{0,252}$/, 'Use letters, digits, ".", "_", "~" or "-" (at most 253).'))
  .register(z.globalRegistry, { id: 'ClusterId' });
export type ClusterId = z.infer<typeof ClusterId>;

/** What `/api/authentication_mode` on the head says; `unknown` when the head could not be asked. */
export const AuthMode = z.enum(['token', 'disabled', 'unknown']).register(z.globalRegistry, { id: 'AuthMode' });
export type AuthMode = z.infer<typeof AuthMode>;

/** Where the token of a cluster lives, shown beside the token prompt. It never contains a token. */
export const TokenHint = z
  .object({
    /** `local`: a head started on this machine; `kubernetes-secret`: a Secret; `kubernetes-token`: a service-account token. */
    kind: z.enum(['local', 'kubernetes-secret', 'kubernetes-token', 'text']),
    text: z.string(),
    /** A shell command that prints the token, for the user to copy. */
    command: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'TokenHint' });
export type TokenHint = z.infer<typeof TokenHint>;

/**
 * The dashboard address a user's own `ray job submit --address` would use for a cluster (never the
 * console's proxy). `inClusterOnly`: a Kubernetes Service address, reachable only from inside the cluster.
 */
export const DashboardAddress = z
  .object({ url: z.url({ protocol: /^https?$/ }), inClusterOnly: z.boolean() })
  .register(z.globalRegistry, { id: 'DashboardAddress' });
export type DashboardAddress = z.infer<typeof DashboardAddress>;

/**
 * Why a cluster that was signed in no longer is: the head rejected the token (`token_rejected`) or asked
 * for one (`token_missing`); the cluster's address changed since the token was checked there
 * (`endpoint_changed`: the token is bound to that address and never sent to the new one); or the token
 * was stored by an older console that did not record the address, so it is not used (`endpoint_unbound`).
 */
export const SignOutReason = z.enum(['token_rejected', 'token_missing', 'endpoint_changed', 'endpoint_unbound']);
export type SignOutReason = z.infer<typeof SignOutReason>;

export const ClusterSummary = z
  .object({
    id: ClusterId,
    displayName: z.string(),
    authMode: AuthMode,
    signedIn: z.boolean(),
    tokenHint: z.optional(TokenHint),
    /** Set when the head rejected the token this session held, so the prompt can say so. */
    signOutReason: z.optional(SignOutReason),
    /** Set for clusters found through Kubernetes discovery: what the RayCluster object says. */
    kubernetes: z.optional(KubernetesClusterInfo),
    /** Where Ray's own CLI reaches this cluster, for "Copy as CLI"; absent when the console does not know. */
    dashboardAddress: z.optional(DashboardAddress),
    /**
     * Set when the console will not connect to this cluster because its address could not be built
     * safely (a head Service name that is not a DNS label, say): what is wrong and what to change.
     * Such a cluster cannot be signed in to.
     */
    misconfigured: z.optional(z.string()),
    /**
     * The signed-in person's role on this cluster (OIDC mode with roles configured). Absent in anonymous
     * mode, where everyone who reaches the console may do everything the token allows.
     */
    role: z.optional(Role),
    /**
     * Set when the console holds this cluster's token itself (a token file it is configured with): every
     * session uses the cluster without a token of its own. `tokenPrompt` says whether a person may still
     * sign in with a token (false: the console's token only). The token and the file's path are never sent.
     */
    managedToken: z.optional(z.object({ tokenPrompt: z.boolean() })),
  })
  .register(z.globalRegistry, { id: 'ClusterSummary' });
export type ClusterSummary = z.infer<typeof ClusterSummary>;

export const ClusterList = z.array(ClusterSummary).register(z.globalRegistry, { id: 'ClusterList' });
export type ClusterList = z.infer<typeof ClusterList>;

/**
 * Ray itself accepts any non-empty token, but the token travels to Ray in an HTTP header: that header
 * cannot carry line breaks or other control characters (they would be a header-injection attempt),
 * undici refuses characters outside Latin-1, and Ray's server refuses a header line over 8190 bytes. So
 * a token is printable ASCII of at most 8000 characters, with the surrounding whitespace of a copied
 * token file allowed and trimmed. Ray's own tokens are 64 hex digits.
 */
export const LoginRequest = z
  .object({
    token: z
      .string({ error: 'Paste the cluster token as a string.' })
      .check(
        z.maxLength(8000, 'The token is longer than 8000 characters; check that you pasted only the token.'),
        z.regex(
          /^[\t\n\r ]*[\x20-\x7e]*[\t\n\r ]*$/,
          'The token may hold only printable ASCII characters and no line breaks; check that you pasted only the token.',
        ),
        z.trim(),
      ),
  })
  .register(z.globalRegistry, { id: 'LoginRequest' });
export type LoginRequest = z.input<typeof LoginRequest>;

export const LoginResponse = z
  .object({ id: ClusterId, rayVersion: z.string(), authMode: AuthMode })
  .register(z.globalRegistry, { id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const SessionCluster = z.object({
  id: ClusterId,
  signedIn: z.boolean(),
  rayVersion: z.optional(z.string()),
});

export const SessionInfo = z
  .object({
    /** Send it back as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE. */
    csrfToken: z.string(),
    clusters: z.array(SessionCluster),
    /** The person signed in at the identity provider; absent in anonymous mode. */
    person: z.optional(Person),
    /**
     * How this console acts on Kubernetes as the person (KUBERNETES_ACT_AS, issue 12); absent when it
     * does not. The shell links the "Kubernetes identity" page when set.
     */
    kubernetes: z.optional(z.enum(['kubeconfig', 'impersonate', 'token'])),
  })
  .register(z.globalRegistry, { id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof SessionInfo>;
