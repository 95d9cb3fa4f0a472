import { isTerminalJobStatus, type JobStatus } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { RayHttpError } from '../../ray/ray-dashboard-client.js';
import type { RayJobDetails } from '../../ray/ray-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';

/** The job a debugging route is about: the id in the URL, Ray's hex job id (once the driver runs), status. */
export interface JobRef {
  id: string;
  rayJobId?: string;
  status: JobStatus;
  terminal: boolean;
  job: RayJobDetails;
}

/**
 * Looks the job up (`/api/jobs/{id}` takes a submission id or a hex job id) for Ray's job id, which the
 * State API filters by. A job whose driver has not started yet has none, and so no tasks or actors.
 */
export async function findJob({ ray, credential }: SignedInCluster, id: string): Promise<JobRef> {
  let job: RayJobDetails;
  try {
    job = await ray.job(credential.token, id);
  } catch (err) {
    if (err instanceof RayHttpError && err.status === 404) {
      throw new AppError('not_found', `There is no job "${id}" on this cluster; it may have been deleted.`);
    }
    throw err;
  }
  const rayJobId = job.job_id && /^[0-9a-f]+$/i.test(job.job_id) ? job.job_id : undefined;
  return { id, ...(rayJobId ? { rayJobId } : {}), status: job.status, terminal: isTerminalJobStatus(job.status), job };
}
