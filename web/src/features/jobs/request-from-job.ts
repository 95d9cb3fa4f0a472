import type { JobDetails, JobSubmitRequest } from '@ray-console/shared';

// Its own module so that the submit form (Clone) does not pull the job page and its log viewer into its chunk.
/** The submit request that would create this job again (for Clone and Copy as CLI). */
export function requestFromJob(job: JobDetails): JobSubmitRequest {
  return {
    entrypoint: job.entrypoint,
    ...(job.runtimeEnv && Object.keys(job.runtimeEnv).length > 0 ? { runtimeEnv: job.runtimeEnv } : {}),
    ...(job.metadata && Object.keys(job.metadata).length > 0 ? { metadata: job.metadata } : {}),
    ...(job.entrypointNumCpus !== undefined ? { entrypointNumCpus: job.entrypointNumCpus } : {}),
    ...(job.entrypointNumGpus !== undefined ? { entrypointNumGpus: job.entrypointNumGpus } : {}),
    ...(job.entrypointMemory !== undefined ? { entrypointMemory: job.entrypointMemory } : {}),
    ...(job.entrypointResources ? { entrypointResources: job.entrypointResources } : {}),
    ...(job.entrypointLabelSelector ? { entrypointLabelSelector: job.entrypointLabelSelector } : {}),
  };
}
