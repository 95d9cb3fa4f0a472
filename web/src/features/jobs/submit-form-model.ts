import { JobSubmitRequest, type JobSubmitRequest as JobSubmitInput } from '@ray-console/shared';
import type { KeyValueRow } from '../../components/key-value-editor';

/** What the form holds: strings as typed, turned into a request only on submit. */
export interface SubmitFormValues {
  entrypoint: string;
  submissionId: string;
  runtimeEnvJson: string;
  envVars: KeyValueRow[];
  workingDirUri: string;
  metadata: KeyValueRow[];
  numCpus: string;
  numGpus: string;
  memory: string;
  resources: KeyValueRow[];
  labelSelector: KeyValueRow[];
}

export const emptyForm = (): SubmitFormValues => ({
  entrypoint: '',
  submissionId: '',
  runtimeEnvJson: '',
  envVars: [],
  workingDirUri: '',
  metadata: [],
  numCpus: '',
  numGpus: '',
  memory: '',
  resources: [],
  labelSelector: [],
});

/** Field path (as the BFF names it) to a message. */
export type FieldErrors = Record<string, string>;

const toRecord = (rows: KeyValueRow[]) =>
  Object.fromEntries(rows.filter((r) => r.key.trim() !== '').map((r) => [r.key.trim(), r.value]));

/**
 * Builds the submit request from the form and checks it with the same schema the BFF uses, so the
 * browser shows the BFF's field messages before a round trip. Returns the request or the field errors.
 */
export function buildRequest(values: SubmitFormValues): { request: JobSubmitInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  let runtimeEnv: Record<string, unknown> = {};
  if (values.runtimeEnvJson.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(values.runtimeEnvJson);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        errors.runtimeEnv = 'Write a JSON object, for example {"pip": ["requests"]}.';
      else runtimeEnv = parsed as Record<string, unknown>;
    } catch (err) {
      errors.runtimeEnv = `This is not valid JSON: ${(err as Error).message}`;
    }
  }
  const envVars = toRecord(values.envVars);
  if (Object.keys(envVars).length > 0)
    runtimeEnv = { ...runtimeEnv, env_vars: { ...(runtimeEnv.env_vars as object | undefined), ...envVars } };
  if (values.workingDirUri) runtimeEnv = { ...runtimeEnv, working_dir: values.workingDirUri };

  const number = (text: string, field: string): number | undefined => {
    if (text.trim() === '') return undefined;
    const n = Number(text);
    if (!Number.isFinite(n)) errors[field] = 'Enter a number.';
    return n;
  };
  const resources: Record<string, number> = {};
  for (const row of values.resources) {
    if (row.key.trim() === '') continue;
    const n = Number(row.value);
    if (row.value.trim() === '' || !Number.isFinite(n)) errors.entrypointResources = `Enter a number for ${row.key}.`;
    resources[row.key.trim()] = n;
  }
  const numCpus = number(values.numCpus, 'entrypointNumCpus');
  const numGpus = number(values.numGpus, 'entrypointNumGpus');
  const memory = number(values.memory, 'entrypointMemory');
  const metadata = toRecord(values.metadata);
  const labelSelector = toRecord(values.labelSelector);

  const candidate = {
    entrypoint: values.entrypoint,
    ...(values.submissionId.trim() ? { submissionId: values.submissionId.trim() } : {}),
    ...(Object.keys(runtimeEnv).length > 0 ? { runtimeEnv } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(numCpus !== undefined ? { entrypointNumCpus: numCpus } : {}),
    ...(numGpus !== undefined ? { entrypointNumGpus: numGpus } : {}),
    ...(memory !== undefined ? { entrypointMemory: memory } : {}),
    ...(Object.keys(resources).length > 0 ? { entrypointResources: resources } : {}),
    ...(Object.keys(labelSelector).length > 0 ? { entrypointLabelSelector: labelSelector } : {}),
  };
  const parsed = JobSubmitRequest.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join('.') || '_';
      errors[key] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { request: candidate };
}

/** The first error for a field or anything under it (`runtimeEnv` covers `runtimeEnv.env_vars.X`). */
export function errorFor(errors: FieldErrors, field: string): string | undefined {
  const key = Object.keys(errors).find((k) => k === field || k.startsWith(`${field}.`));
  return key ? errors[key] : undefined;
}

/** Splits a job's request back into form values (Clone). */
export function formFromRequest(request: JobSubmitInput): SubmitFormValues {
  const {
    env_vars: envVars,
    working_dir: workingDir,
    ...rest
  } = (request.runtimeEnv ?? {}) as Record<string, unknown> & {
    env_vars?: Record<string, string>;
    working_dir?: string;
  };
  const rows = (r: Record<string, string | number> | undefined) =>
    Object.entries(r ?? {}).map(([key, value]) => ({ key, value: String(value) }));
  return {
    entrypoint: request.entrypoint,
    submissionId: '',
    runtimeEnvJson: Object.keys(rest).length > 0 ? JSON.stringify(rest, null, 2) : '',
    envVars: rows(envVars),
    workingDirUri: typeof workingDir === 'string' ? workingDir : '',
    metadata: rows(request.metadata),
    numCpus: request.entrypointNumCpus?.toString() ?? '',
    numGpus: request.entrypointNumGpus?.toString() ?? '',
    memory: request.entrypointMemory?.toString() ?? '',
    resources: rows(request.entrypointResources),
    labelSelector: rows(request.entrypointLabelSelector),
  };
}

/** Whether a Ray version (`2.54.0`) is at least `min`. */
export function versionAtLeast(version: string | undefined, min: string): boolean {
  if (!version) return false;
  const a = version.split('.').map((p) => parseInt(p, 10) || 0);
  const b = min.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}
