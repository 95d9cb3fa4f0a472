import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { ClusterId } from './clusters.js';
import { KubernetesCondition } from './kubernetes.js';
import { error, json } from './openapi-fragments.js';

/*
 * RayServices (KubeRay `ray.io/v1`), read-only, as the signed-in person reads them: the service's status,
 * the RayClusters serving it (active) and replacing it (pending, during an upgrade), and the status of
 * each Serve application and its deployments as the operator copied them from the head.
 */

/** RFC 1123 label: a namespace. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 subdomain: an object name (at most 253 characters, labels joined by dots). */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const KubeNamespace = z
  .string()
  .regex(
    DNS_LABEL,
    'Use a Kubernetes namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit (at most 63).',
  );
export const KubeObjectName = z
  .string()
  .regex(
    DNS_SUBDOMAIN,
    'Use a Kubernetes object name: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (at most 253).',
  );

/** One Serve deployment of an application (`serveDeploymentStatuses`): HEALTHY, UPDATING, UNHEALTHY, ... */
export const RayServiceDeployment = z
  .object({ name: z.string(), status: z.string(), message: z.string().optional() })
  .meta({ id: 'RayServiceDeployment' });
export type RayServiceDeployment = z.infer<typeof RayServiceDeployment>;

/** One Serve application (`applicationStatuses`): RUNNING, DEPLOYING, DEPLOY_FAILED, UNHEALTHY, ... */
export const RayServiceApplication = z
  .object({
    name: z.string(),
    status: z.string(),
    message: z.string().optional(),
    deployments: z.array(RayServiceDeployment),
  })
  .meta({ id: 'RayServiceApplication' });
export type RayServiceApplication = z.infer<typeof RayServiceApplication>;

/** A RayCluster serving the service (active) or being readied to replace it (pending). */
export const RayServiceCluster = z
  .object({
    /** The RayCluster's name (in the RayService's namespace). */
    name: z.string(),
    /** The console's id for it (`k8s~<namespace>~<name>`), for a link to its page when discovery found it. */
    clusterId: ClusterId,
    applications: z.array(RayServiceApplication),
    /** Incremental upgrades only: the share of traffic this cluster gets, and its target capacity (percent). */
    trafficRoutedPercent: z.number().optional(),
    targetCapacity: z.number().optional(),
  })
  .meta({ id: 'RayServiceCluster' });
export type RayServiceCluster = z.infer<typeof RayServiceCluster>;

export const RayServiceView = z
  .object({
    namespace: z.string(),
    name: z.string(),
    /** ISO 8601, from `metadata.creationTimestamp`. */
    createdAt: z.string().optional(),
    /** `status.serviceStatus` (deprecated by KubeRay for the conditions; `Running` once serving). */
    serviceStatus: z.string().optional(),
    /** The `Ready` condition is True: the service answers requests. */
    ready: z.boolean(),
    /** The `UpgradeInProgress` condition is True: a pending cluster is being readied. */
    upgradeInProgress: z.boolean(),
    conditions: z.array(KubernetesCondition),
    /** `status.numServeEndpoints`: Pods that serve traffic. */
    serveEndpoints: z.number().optional(),
    /** `spec.suspend`. */
    suspended: z.boolean(),
    active: RayServiceCluster.optional(),
    pending: RayServiceCluster.optional(),
  })
  .meta({ id: 'RayServiceView' });
export type RayServiceView = z.infer<typeof RayServiceView>;

/** A namespace whose RayServices the person could not list, and what the API server said. */
export const RayServiceListProblem = z.object({ namespace: z.string(), message: z.string() });

export const RayServiceList = z
  .object({
    items: z.array(RayServiceView),
    /** The namespaces looked in: the one asked for, or those of the clusters the console discovered. */
    namespaces: z.array(z.string()),
    /** Namespaces that could not be listed (the others are still shown). */
    problems: z.array(RayServiceListProblem),
  })
  .meta({ id: 'RayServiceList' });
export type RayServiceList = z.infer<typeof RayServiceList>;

export const RayServiceListQuery = z.object({
  namespace: KubeNamespace.optional().meta({
    description: "Only this namespace; default: every namespace the console's discovered clusters are in.",
  }),
});
export const RayServiceParams = z.object({ namespace: KubeNamespace, name: KubeObjectName });

/** `GET .../yaml`: the manifest `kubectl apply -f` takes (no status, no server bookkeeping). */
export const RayServiceYaml = z.object({ yaml: z.string() }).meta({ id: 'RayServiceYaml' });
export type RayServiceYaml = z.infer<typeof RayServiceYaml>;

const kubeErrors = {
  '400': error('The namespace or name is not a valid Kubernetes name (`validation`).'),
  '401': error('The console has no Kubernetes identity for this person (paste a Kubernetes token, or sign in).'),
  '403': error('The API server refused: the message names the verb, the resource and the user.'),
  '503': error('The Kubernetes API server cannot be reached.'),
};

export const rayServicePaths: ZodOpenApiPathsObject = {
  '/api/kubernetes/rayservices': {
    get: {
      summary: 'RayServices the signed-in person may list, with their status, clusters and Serve applications.',
      requestParams: { query: RayServiceListQuery },
      responses: { '200': json(RayServiceList, 'The RayServices.'), ...kubeErrors },
    },
  },
  '/api/kubernetes/rayservices/{namespace}/{name}': {
    get: {
      summary: 'One RayService, read as the signed-in person.',
      requestParams: { path: RayServiceParams },
      responses: {
        '200': json(RayServiceView, 'The RayService.'),
        ...kubeErrors,
        '404': error('No such RayService (`not_found`).'),
      },
    },
  },
  '/api/kubernetes/rayservices/{namespace}/{name}/yaml': {
    get: {
      summary: 'The RayService as the YAML `kubectl apply -f` takes (status and server bookkeeping removed).',
      requestParams: { path: RayServiceParams },
      responses: {
        '200': json(RayServiceYaml, 'The manifest.'),
        ...kubeErrors,
        '404': error('No such RayService (`not_found`).'),
      },
    },
  },
};
