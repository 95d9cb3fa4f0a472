import type { ServeStatus } from '@ray-console/shared';
import type { SignedInCluster } from '../clusters/cluster-access.js';

/** Serve's applications and deployments, read-only; `running: false` where Serve is absent. */
export async function getServeStatus({ ray, credential }: SignedInCluster, now = Date.now): Promise<ServeStatus> {
  const details = await ray.serveDetails(credential.token);
  const apps = Object.values(details?.applications ?? {});
  return {
    running: details !== undefined && (apps.length > 0 || Boolean(details.proxy_location)),
    ...(details?.proxy_location ? { proxyLocation: details.proxy_location } : {}),
    applications: apps.map((a) => ({
      name: a.name,
      status: a.status,
      ...(a.message ? { message: a.message } : {}),
      ...(a.route_prefix ? { routePrefix: a.route_prefix } : {}),
      ...(typeof a.last_deployed_time_s === 'number' ? { lastDeployedTimeS: a.last_deployed_time_s } : {}),
      deployments: Object.values(a.deployments ?? {}).map((d) => {
        const replicaStates: Record<string, number> = {};
        for (const r of d.replicas ?? []) replicaStates[r.state] = (replicaStates[r.state] ?? 0) + 1;
        return {
          name: d.name,
          status: d.status,
          ...(d.message ? { message: d.message } : {}),
          replicaStates,
          ...(typeof d.target_num_replicas === 'number' ? { targetReplicas: d.target_num_replicas } : {}),
        };
      }),
    })),
    fetchedAt: now(),
  };
}
