import type { ActorList } from '@ray-console/shared';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { toActorSummary } from './actor-view.js';
import { findJob } from './job-ref.js';
import { nodeIps } from './node-ips.js';

/** The job's actors, at most `limit`, with where they run and why the dead ones died. */
export async function getJobActors(c: SignedInCluster, id: string, limit: number, now = Date.now): Promise<ActorList> {
  const job = await findJob(c, id);
  if (!job.rayJobId) return { items: [], total: 0, truncated: false, limit, fetchedAt: now() };
  const [actors, ipOf] = await Promise.all([
    c.ray.listActors(c.credential.token, { filters: [['job_id', '=', job.rayJobId]], limit }),
    nodeIps(c),
  ]);
  return {
    items: actors.items.map((a) => toActorSummary(a, ipOf)),
    total: actors.total,
    truncated: actors.truncated,
    limit,
    fetchedAt: now(),
  };
}
