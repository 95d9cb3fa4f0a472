// zod/mini: the sign-in prompt is on the browser's first page, and parses these (see clusters.ts).
import * as z from 'zod/mini';

/**
 * Why "Sign in as me" is not offered: the cluster keeps its token in no Secret the console knows
 * (`no_secret`: not a discovered cluster, or Ray checks Kubernetes tokens), the console has no Kubernetes
 * identity for this person (`no_identity`: acting as the person is off, or they pasted no Kubernetes
 * token), or the API server says the person may not read the Secret (`not_permitted`).
 */
export const SecretSignInUnavailable = z
  .enum(['no_secret', 'no_identity', 'not_permitted'])
  .register(z.globalRegistry, { id: 'SecretSignInUnavailable' });
export type SecretSignInUnavailable = z.infer<typeof SecretSignInUnavailable>;

/**
 * The ways a session can sign in to a cluster besides pasting its token. `kubernetesSecret`: "Sign in as
 * me" is offered: the console reads the cluster's token Secret as the person (their own Kubernetes
 * identity, never the console's) and signs in with it; the token never reaches the browser.
 */
export const SignInOptions = z
  .object({
    kubernetesSecret: z.boolean(),
    /** Why not, when not offered. */
    reason: z.optional(SecretSignInUnavailable),
    /** The Kubernetes user the console reads the Secret as, when it has one for this person. */
    kubernetesUser: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'SignInOptions' });
export type SignInOptions = z.infer<typeof SignInOptions>;
