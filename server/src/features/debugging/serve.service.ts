import { LogFilename, NodeId, type LogRef, type ServeReplica, type ServeStatus } from '@ray-console/shared';
import type { RayServeDetails } from '../../ray/ray-state-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { cut } from './actor-view.js';

/** Replicas listed per deployment; the counts by state cover all of them. */
export const REPLICAS_LISTED = 100;

/**
 * Serve's messages come with the terminal's colour codes (a failed constructor's traceback starts with
 * `\x1b[36mray::ServeReplica:…\x1b[39m`), which a page would show as stray characters.
 */
export const plainText = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

const message = (m: string | null | undefined) => (m ? { message: cut(plainText(m)) } : {});

type RawReplica = NonNullable<
  NonNullable<NonNullable<RayServeDetails['applications']>[string]['deployments']>[string]['replicas']
>[number];

/**
 * A replica as the page shows it. Its log is Serve's own file for it, which Ray names relative to the
 * node's log folder with a leading `/` (`/serve/replica_greeter_Greeter_h35p15f8.log`); a name the
 * console would not open is left out, and so is a node id that is not Ray's.
 */
export function replicaOf(r: RawReplica): ServeReplica {
  const nodeId = r.node_id && NodeId.safeParse(r.node_id).success ? r.node_id : undefined;
  const file = r.log_file_path?.replace(/^\/+/, '');
  const log: LogRef | undefined =
    nodeId && file && LogFilename.safeParse(file).success ? { nodeId, filename: file } : undefined;
  return {
    replicaId: r.replica_id ?? r.actor_id ?? '?',
    state: r.state,
    ...(nodeId ? { nodeId } : {}),
    ...(r.node_ip ? { nodeIp: r.node_ip } : {}),
    ...(typeof r.pid === 'number' ? { pid: r.pid } : {}),
    ...(r.actor_id ? { actorId: r.actor_id } : {}),
    ...(typeof r.start_time_s === 'number' ? { startTimeS: r.start_time_s } : {}),
    ...(log ? { log } : {}),
  };
}

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
      ...message(a.message),
      ...(a.route_prefix ? { routePrefix: a.route_prefix } : {}),
      ...(typeof a.last_deployed_time_s === 'number' ? { lastDeployedTimeS: a.last_deployed_time_s } : {}),
      deployments: Object.values(a.deployments ?? {}).map((d) => {
        const replicaStates: Record<string, number> = {};
        for (const r of d.replicas ?? []) replicaStates[r.state] = (replicaStates[r.state] ?? 0) + 1;
        const replicas = d.replicas ?? [];
        return {
          name: d.name,
          status: d.status,
          ...(d.status_trigger ? { statusTrigger: d.status_trigger } : {}),
          ...message(d.message),
          replicaStates,
          ...(typeof d.target_num_replicas === 'number' ? { targetReplicas: d.target_num_replicas } : {}),
          replicas: replicas.slice(0, REPLICAS_LISTED).map(replicaOf),
          replicasTruncated: replicas.length > REPLICAS_LISTED,
          recentDeadReplicas: (d.recent_dead_replicas ?? []).slice(0, REPLICAS_LISTED).map(replicaOf),
        };
      }),
    })),
    fetchedAt: now(),
  };
}
