import { RESERVED_METADATA_PREFIX, type JobDetails, type JobSubmitRequest } from '@ray-console/shared';

// Its own module so that the submit form (Clone) does not pull the job page and its log viewer into its chunk.
/** The submit request that would create this job again (for Clone and Copy as CLI). */
export function requestFromJob(job: JobDetails): JobSubmitRequest {
  // The console's own keys (who submitted it) are not part of the job a person submits again: the BFF
  // writes them for whoever submits the copy, and refuses a request that sets them.
  const metadata = Object.fromEntries(
    Object.entries(job.metadata ?? {}).filter(([key]) => !key.startsWith(RESERVED_METADATA_PREFIX)),
  );
  return {
    entrypoint: job.entrypoint,
    ...(job.runtimeEnv && Object.keys(job.runtimeEnv).length > 0 ? { runtimeEnv: job.runtimeEnv } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(job.entrypointNumCpus !== undefined ? { entrypointNumCpus: job.entrypointNumCpus } : {}),
    ...(job.entrypointNumGpus !== undefined ? { entrypointNumGpus: job.entrypointNumGpus } : {}),
    ...(job.entrypointMemory !== undefined ? { entrypointMemory: job.entrypointMemory } : {}),
    ...(job.entrypointResources ? { entrypointResources: job.entrypointResources } : {}),
    ...(job.entrypointLabelSelector ? { entrypointLabelSelector: job.entrypointLabelSelector } : {}),
  };
}
