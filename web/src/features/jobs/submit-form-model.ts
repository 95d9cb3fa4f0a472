import { JobSubmitRequest, type JobSubmitRequest as JobSubmitInput } from '@ray-console/shared';
import type { KeyValueRow } from '../../components/key-value-editor';
import type { Key, T } from '../../i18n/catalogs';

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
 * What to say about a field the shared schema refused, in the user's language. The schema's own
 * messages are English (the BFF answers API clients with them), so the form words each field itself.
 */
const fieldMessages: Record<string, Key<'jobs'>> = {
  entrypoint: 'submit.errors.entrypoint',
  submissionId: 'submit.errors.submissionId',
  runtimeEnv: 'submit.errors.runtimeEnv',
  'runtimeEnv.env_vars': 'submit.errors.envVars',
  'runtimeEnv.working_dir': 'submit.errors.workingDir',
  metadata: 'submit.errors.metadata',
  entrypointNumCpus: 'submit.errors.amount',
  entrypointNumGpus: 'submit.errors.amount',
  entrypointMemory: 'submit.errors.memory',
  entrypointResources: 'submit.errors.resourcesMap',
  entrypointLabelSelector: 'submit.errors.labelSelector',
};

function issueMessage(path: readonly PropertyKey[], t: T<'jobs'>): string {
  const [first, second] = path.map(String);
  const key = fieldMessages[`${first}.${second}`] ?? fieldMessages[first ?? ''] ?? 'submit.errors.invalid';
  return t(key);
}

/**
 * Builds the submit request from the form and checks it with the same schema the BFF uses, so the
 * browser shows field messages (in the user's language) before a round trip. Returns the request or
 * the field errors.
 */
export function buildRequest(
  values: SubmitFormValues,
  t: T<'jobs'>,
): { request: JobSubmitInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  let runtimeEnv: Record<string, unknown> = {};
  if (values.runtimeEnvJson.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(values.runtimeEnvJson);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        errors.runtimeEnv = t('submit.errors.runtimeEnvObject');
      else runtimeEnv = parsed as Record<string, unknown>;
    } catch (err) {
      errors.runtimeEnv = t('submit.errors.runtimeEnvJson', { reason: (err as Error).message });
    }
  }
  const envVars = toRecord(values.envVars);
  if (Object.keys(envVars).length > 0)
    runtimeEnv = { ...runtimeEnv, env_vars: { ...(runtimeEnv.env_vars as object | undefined), ...envVars } };
  if (values.workingDirUri) runtimeEnv = { ...runtimeEnv, working_dir: values.workingDirUri };

  const number = (text: string, field: string): number | undefined => {
    if (text.trim() === '') return undefined;
    const n = Number(text);
    if (!Number.isFinite(n)) errors[field] = t('submit.errors.number');
    return n;
  };
  const resources: Record<string, number> = {};
  for (const row of values.resources) {
    if (row.key.trim() === '') continue;
    const n = Number(row.value);
    if (row.value.trim() === '' || !Number.isFinite(n))
      errors.entrypointResources = t('submit.errors.resourceNumber', { name: row.key });
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
      errors[key] ??= issueMessage(issue.path, t);
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
