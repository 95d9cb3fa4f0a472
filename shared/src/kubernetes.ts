// zod/mini: the browser's first page parses with these schemas (see clusters.ts).
import * as z from 'zod/mini';
import type { ZodOpenApiPathsObject } from 'zod-openapi';

/**
 * What the console read about a RayCluster it found through the Kubernetes API. Everything here comes
 * from the RayCluster object (spec, status, owner references) and its head Service; nothing from a
 * Secret, which the console is not allowed to read.
 */

/** One entry of `status.conditions` (HeadPodReady, RayClusterProvisioned, RayClusterSuspended, ...). */
export const KubernetesCondition = z
  .object({
    type: z.string(),
    status: z.enum(['True', 'False', 'Unknown']),
    reason: z.optional(z.string()),
    message: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'KubernetesCondition' });
export type KubernetesCondition = z.infer<typeof KubernetesCondition>;

/**
 * How the cluster's head checks callers, as its spec says:
 * `token` a static Ray token (from a Secret or a literal env value), `kubernetes-token` the caller's
 * Kubernetes token (KubeRay `enableK8sTokenAuth`, Ray 2.55+), `disabled` no check at all.
 */
export const KubernetesAuthMode = z
  .enum(['token', 'kubernetes-token', 'disabled'])
  .register(z.globalRegistry, { id: 'KubernetesAuthMode' });
export type KubernetesAuthMode = z.infer<typeof KubernetesAuthMode>;

export const KubernetesClusterInfo = z
  .object({
    namespace: z.string(),
    name: z.string(),
    /** `spec.rayVersion`; KubeRay requires it only for `authOptions.mode: token`. */
    rayVersion: z.optional(z.string()),
    /** The head Pod is ready (condition HeadPodReady) and the cluster is not suspended. */
    ready: z.boolean(),
    /** `status.state` (deprecated by KubeRay in favour of conditions, still shown by kubectl). */
    state: z.optional(z.string()),
    conditions: z.array(KubernetesCondition),
    workers: z.object({
      desired: z.number().check(z.int(), z.nonnegative()),
      available: z.number().check(z.int(), z.nonnegative()),
      ready: z.number().check(z.int(), z.nonnegative()),
    }),
    /** The RayJob or RayService that created this cluster, from its owner references. */
    owner: z.optional(z.object({ kind: z.enum(['RayJob', 'RayService']), name: z.string() })),
    auth: z.object({
      mode: KubernetesAuthMode,
      /** `authOptions`: KubeRay's field; `env`: RAY_AUTH_MODE on the head container (hand-made clusters). */
      source: z.enum(['authOptions', 'env', 'none']),
      /** Where the token is: a Secret and its key (never the token itself). */
      secret: z.optional(z.object({ name: z.string(), key: z.string() })),
    }),
    /**
     * How the console reaches the head: its Service (in a Pod), the API server's service proxy, or a
     * configured URL. Absent when the cluster is misconfigured (see ClusterSummary.misconfigured).
     */
    connection: z.optional(z.object({ via: z.enum(['service', 'proxy', 'override']), url: z.string() })),
  })
  .register(z.globalRegistry, { id: 'KubernetesClusterInfo' });
export type KubernetesClusterInfo = z.infer<typeof KubernetesClusterInfo>;

/**
 * The state of Kubernetes discovery: `disabled` (not configured), `starting` (first list not answered
 * yet), `ok`, `forbidden` (the console's identity may not list RayClusters or Services), `unauthorized`
 * (the API server rejected its credentials), `unreachable` (no answer), `error` (anything else, such as
 * the RayCluster CRD missing).
 */
export const DiscoveryState = z
  .enum(['disabled', 'starting', 'ok', 'forbidden', 'unauthorized', 'unreachable', 'error'])
  .register(z.globalRegistry, { id: 'DiscoveryState' });
export type DiscoveryState = z.infer<typeof DiscoveryState>;

export const DiscoveryStatus = z
  .object({
    state: DiscoveryState,
    /** What happened and what to do, for a banner; absent when all is well. */
    message: z.optional(z.string()),
    /** The namespaces searched; empty means all of them. */
    namespaces: z.array(z.string()),
    /** How discovered heads are reached unless a URL is configured for one. */
    connect: z.optional(z.enum(['service', 'proxy'])),
    refreshSeconds: z.optional(z.number().check(z.positive())),
    /** Discovered clusters currently listed (kept from the last success while the API server is unreachable). */
    clusterCount: z.number().check(z.int(), z.nonnegative()),
    lastSuccessAt: z.optional(z.iso.datetime()),
    lastAttemptAt: z.optional(z.iso.datetime()),
  })
  .register(z.globalRegistry, { id: 'DiscoveryStatus' });
export type DiscoveryStatus = z.infer<typeof DiscoveryStatus>;

/** The OpenAPI paths of the discovery feature, listed by {@link buildOpenApiDocument}. */
export const kubernetesPaths: ZodOpenApiPathsObject = {
  '/api/discovery': {
    get: {
      summary: 'Whether Kubernetes discovery works: its state, what to do about a failure, and the last success.',
      responses: {
        // Not the `json` fragment helper: clusters.ts imports this module, and the fragments import clusters.ts.
        '200': {
          description: 'The discovery state (also when discovery is disabled).',
          content: { 'application/json': { schema: DiscoveryStatus } },
        },
      },
    },
  },
};
