import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { ClusterId } from './clusters.js';
import { Person } from './identity.js';
import { clusterErrors, clusterParams, error, json } from './openapi-fragments.js';

/**
 * What the audit trail records: every sign-in and sign-out, and every job submit, stop and delete; with
 * per-cluster roles (OIDC), also refused attempts (`outcome: failure`, `reason: forbidden`) at a package
 * upload (`package.upload`), at reading the trail itself (`audit.read`), or at any of the others.
 */
export const AuditAction = z
  .enum([
    'sign-in',
    'sign-out',
    'job.submit',
    'job.stop',
    'job.delete',
    'package.upload',
    'audit.read',
    /** A RayCluster created through the console, as the person's Kubernetes identity (issue 12). */
    'raycluster.create',
    /** A RayCluster deleted through the console, as the person (issue 12); in the trail of its `k8s~` id. */
    'raycluster.delete',
  ])
  .meta({ id: 'AuditAction' });
export type AuditAction = z.infer<typeof AuditAction>;

/**
 * Whose token a call to a cluster used: the session's own, or the one the console holds (`tokenFile`).
 * `kubernetes-secret` (a sign-in only): the session's token was read from the cluster's token Secret by
 * the console as the person ("Sign in as me"), not pasted.
 */
export const TokenSource = z.enum(['session', 'token-file', 'kubernetes-secret']).meta({ id: 'TokenSource' });
export type TokenSource = z.infer<typeof TokenSource>;

export const AuditOutcome = z.enum(['success', 'failure']).meta({ id: 'AuditOutcome' });
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/** Who did it: the person's subject and issuer (which identify them) and the name shown. */
export const AuditPerson = z
  .object({ subject: Person.shape.subject, issuer: Person.shape.issuer, name: Person.shape.name })
  .meta({ id: 'AuditPerson' });
export type AuditPerson = z.infer<typeof AuditPerson>;

/**
 * One audited event. It names the cluster, the action, the job (where there is one), the client's
 * address and the outcome; never a token. `session` is a keyed hash of the session id, so the events of
 * one browser session can be told apart without the id itself being written down.
 */
export const AuditEvent = z
  .object({
    /** Opaque, increasing within a cluster; also the paging cursor (`before`). */
    id: z.string(),
    /** ISO 8601, UTC. */
    time: z.string(),
    clusterId: ClusterId,
    action: AuditAction,
    outcome: AuditOutcome,
    /**
     * Why: for a failure the error code (`token_rejected`, `token_missing`, `validation`,
     * `ray_unreachable`, `rate_limited`, ...); for a sign-out who ended it: `user` (this cluster),
     * `user_all` (the whole session), or `token_rejected` / `token_missing` when the head stopped
     * accepting the stored token and the console forgot it.
     */
    reason: z.string().optional(),
    jobId: z.string().optional(),
    /** `token-file`: the call used the token the console holds for the cluster, not one of the session's. */
    tokenSource: TokenSource.optional(),
    /** With `tokenSource: kubernetes-secret`: the Kubernetes user the console read the Secret as. */
    kubernetesUser: z.string().optional(),
    clientAddress: z.string(),
    session: z.string().optional(),
    /**
     * The person signed in with OIDC who did it (subject, issuer and display name at the time); absent in
     * anonymous mode, and in events kept before sign-in was switched on.
     */
    person: AuditPerson.optional(),
    /** The Kubernetes user the API server saw act (issue 12: writes to Kubernetes as the person). */
    kubeUser: z.string().optional(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;

/** A page of events, newest first; pass `nextCursor` as `before` for the page after it. */
export const AuditPage = z
  .object({
    events: z.array(AuditEvent),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditQuery = z.object({
  limit: z.coerce
    .number({ error: 'Use a whole number from 1 to 200.' })
    .int('Use a whole number from 1 to 200.')
    .min(1, 'Use a whole number from 1 to 200.')
    .max(200, 'Use a whole number from 1 to 200.')
    .default(50)
    .meta({ description: 'How many events (1 to 200, default 50).' }),
  before: z
    .string()
    .regex(/^[0-9]{1,20}(-[0-9]{1,20})?$/, 'Use the nextCursor of the previous page.')
    .optional()
    .meta({ description: 'Only events older than this cursor: the `nextCursor` of the previous page.' }),
  person: z
    .string()
    .min(1, "Use the person's subject (the `subject` of an event's person).")
    .max(255, "Use the person's subject (the `subject` of an event's person).")
    .optional()
    .meta({ description: 'Only events by this person: their subject (`person.subject` of an event).' }),
});
export type AuditQuery = z.input<typeof AuditQuery>;

export const auditPaths: ZodOpenApiPathsObject = {
  '/api/clusters/{clusterId}/audit': {
    get: {
      summary: "The cluster's audit trail, newest first: sign-ins, sign-outs, job submits, stops and deletes.",
      requestParams: { path: clusterParams, query: AuditQuery },
      responses: {
        '200': json(AuditPage, 'A page of events.'),
        '400': error('`limit`, `before` or `person` is not valid (`validation`).'),
        ...clusterErrors,
        '503': error('The store that keeps the audit trail is not available right now (`unavailable`).'),
      },
    },
  },
};
