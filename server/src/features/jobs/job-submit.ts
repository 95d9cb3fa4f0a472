import {
  LABEL_SELECTOR_MIN_RAY_VERSION,
  SUBMITTED_BY_METADATA,
  type JobSubmitRequest,
  type Person,
} from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { RayHttpError } from '../../ray/ray-dashboard-client.js';
import type { RayJobSubmitBody } from '../../ray/ray-schemas.js';

/** Our field names and Ray's, longest first so `entrypoint` never claims `entrypoint_num_cpus`. */
const FIELDS: readonly (readonly [keyof JobSubmitRequest, keyof RayJobSubmitBody])[] = [
  ['entrypointLabelSelector', 'entrypoint_label_selector'],
  ['entrypointResources', 'entrypoint_resources'],
  ['entrypointNumCpus', 'entrypoint_num_cpus'],
  ['entrypointNumGpus', 'entrypoint_num_gpus'],
  ['entrypointMemory', 'entrypoint_memory'],
  ['submissionId', 'submission_id'],
  ['runtimeEnv', 'runtime_env'],
  ['metadata', 'metadata'],
  ['entrypoint', 'entrypoint'],
];

/**
 * The metadata that name who submitted a job (OIDC mode). The request was already refused if it used
 * one of these keys itself, so these are the only values under them.
 */
export function submittedByMetadata(person: Person): Record<string, string> {
  return {
    [SUBMITTED_BY_METADATA.name]: person.name,
    [SUBMITTED_BY_METADATA.issuer]: person.issuer,
    [SUBMITTED_BY_METADATA.subject]: person.subject,
  };
}

/** Whether a Ray version (`2.54.0`, `2.60.0rc1`, `3.0.0.dev0`) is at least `min`. */
export function rayVersionAtLeast(version: string, min: string): boolean {
  const parts = (v: string) => (v.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  const a = parts(version);
  const b = parts(min);
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/**
 * The body for Ray: snake_case names, and only the fields that were given (Ray drops nulls, but a
 * field it does not know is a 400). `entrypointLabelSelector` is refused for heads older than 2.54.
 */
export function toRaySubmitBody(request: JobSubmitRequest, rayVersion: string): RayJobSubmitBody {
  if (request.entrypointLabelSelector !== undefined && !rayVersionAtLeast(rayVersion, LABEL_SELECTOR_MIN_RAY_VERSION)) {
    throw new AppError(
      'validation',
      `This cluster runs Ray ${rayVersion}, which does not take a label selector for the entrypoint (Ray ${LABEL_SELECTOR_MIN_RAY_VERSION} and later do).`,
      {
        entrypointLabelSelector: `Ray ${rayVersion} does not support this field; leave it empty, or use entrypoint resources instead.`,
      },
    );
  }
  const body: Record<string, unknown> = {};
  for (const [ours, rays] of FIELDS) {
    const value = request[ours];
    if (value !== undefined && value !== null) body[rays] = value;
  }
  return body as unknown as RayJobSubmitBody;
}

/**
 * Turns Ray's refusals of a submission into errors on the right field: its 400 `TypeError: <field> must
 * be …` tracebacks, its 400 for a field this version does not know, and the 500 it answers for a
 * submission id in use (found by its text, as KubeRay does, since the status says nothing).
 */
export function submitError(
  err: unknown,
  request: Pick<JobSubmitRequest, 'submissionId'>,
  rayVersion: string,
): unknown {
  if (!(err instanceof RayHttpError)) return err;
  const text = err.rayMessage;
  if (/already exists/i.test(text) && /submission_id/i.test(text)) {
    const id = request.submissionId ?? '';
    return new AppError(
      'conflict',
      `A job with the submission id "${id}" already exists on this cluster; choose another id, or leave it empty for a generated one.`,
      { submissionId: 'This id is taken on this cluster.' },
    );
  }
  if (err.status !== 400) return err;
  const unknown = /unexpected keyword argument '([a-z_]+)'/.exec(text);
  if (unknown) {
    const field = FIELDS.find(([, rays]) => rays === unknown[1])?.[0] ?? '_';
    return new AppError('validation', `Ray ${rayVersion} on this cluster does not take the field ${unknown[1]}.`, {
      [field]: `Ray ${rayVersion} does not support this field; leave it empty.`,
    });
  }
  const missing = /missing \d+ required positional argument: '([a-z_]+)'/.exec(text);
  const named = missing?.[1] ?? FIELDS.find(([, rays]) => new RegExp(`\\b${rays}\\b`).test(text))?.[1];
  const field = FIELDS.find(([, rays]) => rays === named)?.[0] ?? '_';
  const said = text.replace(/^[A-Za-z]*Error:\s*/, '');
  return new AppError('validation', `Ray refused the job: ${said}`, { [field]: `Ray says: ${said}` });
}
