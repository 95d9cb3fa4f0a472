import type { JobSubmitRequest } from '@ray-console/shared';
import { shellQuote } from './format';

/**
 * Words that mean nothing special to a POSIX shell and that Python's `shlex.quote` leaves as they are
 * (its safe set is `[A-Za-z0-9_@%+=:,./-]`).
 */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * The words to put after `ray job submit --` so that Ray runs the same entrypoint. Ray's CLI does not
 * pass its words on as they are: it joins them back into one string, quoting each (`shlex.join` in Ray
 * 2.60, `subprocess.list2cmdline` in 2.52), and the head runs that string with `/bin/sh`. So the
 * entrypoint as one quoted word would reach Ray as one quoted word, the name of a program that does not
 * exist. A plain command (words of safe characters, one space apart) is passed word by word and comes
 * back from either join as the very same string; anything else (quotes, `;`, `|`, `$`, newlines, ...)
 * is handed to `sh -c` as a single word, which runs it exactly as Ray would have.
 */
export function entrypointWords(entrypoint: string): string[] {
  const words = entrypoint.split(' ');
  if (words.every((w) => PLAIN_WORD.test(w))) return words;
  return ['sh', '-c', entrypoint];
}

/**
 * The `ray job submit` command line that submits the same job. Every value is one shell-quoted word,
 * so the line pastes as exactly one command whatever the job holds. The token never appears: the
 * command reads it the way Ray's CLI does (RAY_AUTH_MODE=token plus the token file or RAY_AUTH_TOKEN).
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
  parts.push('--', ...entrypointWords(request.entrypoint).map(shellQuote));
  return parts.join(' ');
}
