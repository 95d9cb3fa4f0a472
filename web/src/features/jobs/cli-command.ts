import type { JobSubmitRequest } from '@ray-console/shared';
import { shellQuote } from './format';

/**
 * The `ray job submit` command line that submits the same job. The token never appears: the command
 * reads it the way Ray's CLI does (RAY_AUTH_MODE=token plus the token file or RAY_AUTH_TOKEN).
 */
export function rayJobSubmitCommand(request: JobSubmitRequest, dashboardAddress: string): string {
  const parts = ['RAY_AUTH_MODE=token', 'ray', 'job', 'submit', '--address', shellQuote(dashboardAddress)];
  if (request.submissionId) parts.push('--submission-id', shellQuote(request.submissionId));
  if (request.runtimeEnv && Object.keys(request.runtimeEnv).length > 0) {
    parts.push('--runtime-env-json', shellQuote(JSON.stringify(request.runtimeEnv)));
  }
  if (request.metadata && Object.keys(request.metadata).length > 0) {
    parts.push('--metadata-json', shellQuote(JSON.stringify(request.metadata)));
  }
  if (request.entrypointNumCpus !== undefined) parts.push('--entrypoint-num-cpus', String(request.entrypointNumCpus));
  if (request.entrypointNumGpus !== undefined) parts.push('--entrypoint-num-gpus', String(request.entrypointNumGpus));
  if (request.entrypointMemory !== undefined) parts.push('--entrypoint-memory', String(request.entrypointMemory));
  if (request.entrypointResources && Object.keys(request.entrypointResources).length > 0) {
    parts.push('--entrypoint-resources', shellQuote(JSON.stringify(request.entrypointResources)));
  }
  if (request.entrypointLabelSelector && Object.keys(request.entrypointLabelSelector).length > 0) {
    parts.push('--entrypoint-label-selector', shellQuote(JSON.stringify(request.entrypointLabelSelector)));
  }
  // The entrypoint goes after `--` as the shell words the user wrote.
  parts.push('--', request.entrypoint);
  return parts.join(' ');
}
