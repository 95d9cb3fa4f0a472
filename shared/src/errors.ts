// zod/mini: the browser's first page parses with these schemas (see clusters.ts).
import * as z from 'zod/mini';

/**
 * Every error the BFF returns has one of these codes. The browser switches on the code, never on the
 * message, so messages can be improved without breaking the UI.
 */
export const ErrorCode = z.enum([
  'bad_request',
  'validation',
  'not_found',
  'unknown_cluster',
  'signed_out',
  'token_missing',
  'token_rejected',
  'ray_unreachable',
  'not_ray',
  'ray_error',
  'csrf',
  /** OIDC sign-in is on and this request has no signed-in person: sign in at the identity provider first. */
  'sign_in_required',
  /** The person's role on this cluster does not allow this; `params.role` names the role needed. */
  'forbidden',
  'rate_limited',
  /** A limit on live log tails (per session, per replica, per Ray head); the message names it. */
  'too_many_tails',
  /** The cluster's Ray version cannot serve this with token auth; the message names the version that can. */
  'unsupported_by_ray_version',
  'conflict',
  'payload_too_large',
  'unavailable',
  /**
   * The head rejected the token in the console's token file (rotated on the head before the file): the
   * console's configuration is out of date, not the user's sign-in. It recovers once the file changes.
   */
  'token_file_outdated',
  /**
   * Kubernetes (issue 12): this console acts on Kubernetes as the person, and it has no identity for this
   * person (no pasted token, no OIDC person to impersonate, or KUBERNETES_ACT_AS=off); `params.mode`.
   */
  'kube_identity_required',
  /** The pasted Kubernetes token's expiry has passed: paste a new one. */
  'kube_token_expired',
  /** The API server no longer accepts the pasted Kubernetes token (revoked, its ServiceAccount deleted). */
  'kube_token_rejected',
  /**
   * The API server refused the person (403): `params` {verb, resource, namespace, name?, user} say what
   * was refused and to whom. Not the console's roles (`forbidden`): the person's Kubernetes RBAC.
   */
  'kube_forbidden',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The one JSON error shape: `{"error": {"code", "message", "fields"?}}`. */
export const ApiErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      /** Field path (dot-separated) to a message saying what to change. */
      fields: z.optional(z.record(z.string(), z.string())),
      /**
       * The values the message was built from (a role, a limit, a version), so the browser can say the
       * same thing in the user's language from `code` and `params`; `message` stays English for logs and
       * API clients.
       */
      params: z.optional(z.record(z.string(), z.union([z.string(), z.number()]))),
    }),
  })
  .register(z.globalRegistry, { id: 'ApiError' });
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
