import { z } from 'zod';
import type {
  KubernetesCondition,
  RayServiceApplication,
  RayServiceCluster,
  RayServiceView,
} from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { isDnsLabel, isDnsSubdomain, shown } from '../kubernetes/kube-names.js';
import { clusterIdOf } from '../kubernetes/raycluster-view.js';

/**
 * What the console shows of a RayService (`ray.io/v1`), from the object as the API server returns it.
 * Pure functions (no I/O). The object is untrusted (whoever may patch it, or its status, writes it):
 * the schemas are lenient, every text is cut short, and a name that is not a Kubernetes name is never
 * turned into a link.
 */

/** Texts from the object (Serve's messages can hold whole tracebacks) are cut to this many characters. */
const MAX_TEXT = 2000;
const text = (s: string | undefined): string | undefined =>
  s === undefined || s === '' ? undefined : s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;

const Condition = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

const DeploymentStatus = z.object({ status: z.string().optional(), message: z.string().optional() });
const ApplicationStatus = z.object({
  status: z.string().optional(),
  message: z.string().optional(),
  serveDeploymentStatuses: z.record(z.string(), DeploymentStatus.catch({})).optional().catch(undefined),
});
const ServiceStatus = z.object({
  rayClusterName: z.string().optional(),
  applicationStatuses: z.record(z.string(), ApplicationStatus.catch({})).optional().catch(undefined),
  trafficRoutedPercent: z.number().optional().catch(undefined),
  targetCapacity: z.number().optional().catch(undefined),
});

/** The parts of a RayService the console reads. */
export const RayServiceObject = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string(), creationTimestamp: z.string().optional() }),
  spec: z
    .object({ suspend: z.boolean().optional().catch(undefined) })
    .catch({})
    .default({}),
  status: z
    .object({
      serviceStatus: z.string().optional().catch(undefined),
      numServeEndpoints: z.number().optional().catch(undefined),
      conditions: z.array(Condition.nullable().catch(null)).optional().catch(undefined),
      activeServiceStatus: ServiceStatus.optional().catch(undefined),
      pendingServiceStatus: ServiceStatus.optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});
export type RayServiceObject = z.infer<typeof RayServiceObject>;

/** The object read from the API server, or a clear error when it is not a RayService at all. */
export function parseRayService(object: unknown): RayServiceObject {
  const parsed = RayServiceObject.safeParse(object);
  if (!parsed.success) {
    throw new AppError('unavailable', 'The API server answered with something that is not a RayService.', undefined, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

function conditionsOf(rs: RayServiceObject): KubernetesCondition[] {
  return (rs.status?.conditions ?? []).flatMap((c) => {
    if (!c) return [];
    const reason = text(c.reason);
    const message = text(c.message);
    return [
      {
        type: c.type,
        status: c.status === 'True' || c.status === 'False' ? c.status : 'Unknown',
        ...(reason ? { reason } : {}),
        ...(message ? { message } : {}),
      },
    ];
  });
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function applicationsOf(statuses: z.infer<typeof ServiceStatus>['applicationStatuses']): RayServiceApplication[] {
  return Object.entries(statuses ?? {})
    .map(([name, app]) => {
      const message = text(app.message);
      return {
        name,
        status: app.status || 'UNKNOWN',
        ...(message ? { message } : {}),
        deployments: Object.entries(app.serveDeploymentStatuses ?? {})
          .map(([deployment, d]) => {
            const why = text(d.message);
            return { name: deployment, status: d.status || 'UNKNOWN', ...(why ? { message: why } : {}) };
          })
          .sort(byName),
      };
    })
    .sort(byName);
}

/**
 * The active or pending cluster, when the status names one. KubeRay writes `pendingServiceStatus: {}`
 * when no upgrade runs, so an entry without a cluster name is no cluster.
 */
function clusterOf(
  namespace: string,
  status: z.infer<typeof ServiceStatus> | undefined,
): RayServiceCluster | undefined {
  const name = status?.rayClusterName;
  if (!name || !isDnsSubdomain(name)) return undefined;
  return {
    name,
    clusterId: clusterIdOf(namespace, name),
    applications: applicationsOf(status.applicationStatuses),
    ...(status.trafficRoutedPercent !== undefined ? { trafficRoutedPercent: status.trafficRoutedPercent } : {}),
    ...(status.targetCapacity !== undefined ? { targetCapacity: status.targetCapacity } : {}),
  };
}

/** The RayService as the list and the detail page show it. */
export function rayServiceView(rs: RayServiceObject): RayServiceView {
  const { name, namespace, creationTimestamp } = rs.metadata;
  if (!isDnsLabel(namespace) || !isDnsSubdomain(name)) {
    throw new AppError('unavailable', `The API server returned a RayService named ${shown(`${namespace}/${name}`)}.`);
  }
  const conditions = conditionsOf(rs);
  const is = (type: string) => conditions.find((c) => c.type === type)?.status === 'True';
  const active = clusterOf(namespace, rs.status?.activeServiceStatus);
  const pending = clusterOf(namespace, rs.status?.pendingServiceStatus);
  const serviceStatus = text(rs.status?.serviceStatus);
  return {
    namespace,
    name,
    ...(creationTimestamp ? { createdAt: creationTimestamp } : {}),
    ...(serviceStatus ? { serviceStatus } : {}),
    ready: is('Ready'),
    upgradeInProgress: is('UpgradeInProgress'),
    conditions,
    ...(rs.status?.numServeEndpoints !== undefined ? { serveEndpoints: rs.status.numServeEndpoints } : {}),
    suspended: rs.spec.suspend === true,
    ...(active ? { active } : {}),
    ...(pending ? { pending } : {}),
  };
}
