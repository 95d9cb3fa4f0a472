import type {
  Person,
  JobDeleteResponse,
  JobDetails,
  JobList,
  JobStopResponse,
  JobSubmitRequest,
  JobSubmitResponse,
} from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { RayHttpError } from '../../ray/ray-dashboard-client.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { JobListCache } from './job-list-cache.js';
import { JobSnapshot, queryJobs, toJobDetails, type JobListParams } from './job-list.js';
import { submitError, submittedByMetadata, toRaySubmitBody } from './job-submit.js';

/**
 * Ray's refusals about one job, in the console's words: 404 `Job … does not exist`, 400 `Can only stop /
 * delete / get logs of submission type jobs` (a DRIVER job), and the 500 for deleting a job that still
 * runs. Anything else stays a `ray_error` (502).
 */
export function jobError(err: unknown, jobId: string): unknown {
  if (!(err instanceof RayHttpError)) return err;
  if (err.status === 404) {
    return new AppError('not_found', `There is no job "${jobId}" on this cluster; it may have been deleted.`);
  }
  if (err.status === 400 && /submission type jobs/i.test(err.rayMessage)) {
    const what = /stop/i.test(err.rayMessage) ? 'stopped' : /delete/i.test(err.rayMessage) ? 'deleted' : 'read';
    return new AppError(
      'bad_request',
      what === 'read'
        ? `"${jobId}" is a driver started by a script that called ray.init() itself, not a submitted job; Ray keeps no job log for it. Its output went to wherever that script runs.`
        : `"${jobId}" is a driver started by a script that called ray.init() itself, not a submitted job; Ray can only ${what === 'stopped' ? 'stop' : 'delete'} submitted jobs. End that script where it runs.`,
    );
  }
  if (/non-terminal state/i.test(err.rayMessage)) {
    return new AppError(
      'conflict',
      `The job "${jobId}" is still running; stop it first, then delete it once it has ended.`,
    );
  }
  return err;
}

/** List, details, submit, stop and delete; the job list is read through a short per-cluster cache. */
export class JobsService {
  constructor(
    private readonly cache = new JobListCache(),
    private readonly now: () => number = Date.now,
  ) {}

  async list({ cluster, ray, credential }: SignedInCluster, params: JobListParams): Promise<JobList> {
    const snapshot = await this.cache.get(cluster.id, credential.token, async () =>
      JobSnapshot.fromRay(await ray.listJobs(credential.token), this.now()),
    );
    return queryJobs(snapshot, params);
  }

  async get({ ray, credential }: SignedInCluster, jobId: string): Promise<JobDetails> {
    const job = await ray.job(credential.token, jobId).catch((err: unknown) => {
      throw jobError(err, jobId);
    });
    return toJobDetails(job, this.now());
  }

  /** `person`: who submits (OIDC mode); the job's metadata then name them under the console's own keys. */
  async submit(
    { cluster, ray, credential }: SignedInCluster,
    request: JobSubmitRequest,
    person?: Person,
  ): Promise<JobSubmitResponse> {
    const body = toRaySubmitBody(
      person ? { ...request, metadata: { ...request.metadata, ...submittedByMetadata(person) } } : request,
      credential.rayVersion,
    );
    try {
      const submissionId = await ray.submitJob(credential.token, body);
      return { submissionId };
    } catch (err) {
      throw submitError(err, request, credential.rayVersion);
    } finally {
      this.cache.invalidate(cluster.id);
    }
  }

  async stop({ cluster, ray, credential }: SignedInCluster, jobId: string): Promise<JobStopResponse> {
    try {
      return { stopped: await ray.stopJob(credential.token, jobId) };
    } catch (err) {
      throw jobError(err, jobId);
    } finally {
      this.cache.invalidate(cluster.id);
    }
  }

  async delete({ cluster, ray, credential }: SignedInCluster, jobId: string): Promise<JobDeleteResponse> {
    try {
      return { deleted: await ray.deleteJob(credential.token, jobId) };
    } catch (err) {
      throw jobError(err, jobId);
    } finally {
      this.cache.invalidate(cluster.id);
    }
  }
}
