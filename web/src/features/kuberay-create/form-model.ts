import {
  RAYCLUSTER_FORM_DEFAULTS,
  RAYCLUSTER_NAME_MAX,
  RayClusterForm,
  type RayClusterAuth,
} from '@ray-console/shared';
import type { Key, T } from '../../i18n/catalogs';

/** What the inputs hold: text as typed (numbers too), parsed with the BFF's own schema before sending. */
export interface NewClusterValues {
  name: string;
  namespace: string;
  rayVersion: string;
  image: string;
  headCpu: string;
  headMemory: string;
  workerCpu: string;
  workerMemory: string;
  scaling: 'fixed' | 'autoscaling';
  replicas: string;
  minReplicas: string;
  maxReplicas: string;
  auth: RayClusterAuth;
}

export function emptyValues(namespace = ''): NewClusterValues {
  const d = RAYCLUSTER_FORM_DEFAULTS;
  return {
    name: '',
    namespace,
    rayVersion: d.rayVersion,
    image: '',
    headCpu: d.head.cpu,
    headMemory: d.head.memory,
    workerCpu: d.worker.cpu,
    workerMemory: d.worker.memory,
    scaling: 'fixed',
    replicas: String(d.worker.scaling.replicas),
    minReplicas: '0',
    maxReplicas: '2',
    auth: d.auth,
  };
}

/** Field errors keyed by the form's paths (`name`, `head.cpu`, `worker.scaling.maxReplicas`). */
export type FieldErrors = Record<string, string>;

const count = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/** The candidate the schema parses: the inputs in the shape of RayClusterForm. */
export function candidateOf(v: NewClusterValues): unknown {
  return {
    name: v.name,
    namespace: v.namespace,
    rayVersion: v.rayVersion,
    image: v.image,
    head: { cpu: v.headCpu, memory: v.headMemory },
    worker: {
      cpu: v.workerCpu,
      memory: v.workerMemory,
      scaling:
        v.scaling === 'fixed'
          ? { mode: 'fixed', replicas: count(v.replicas) }
          : { mode: 'autoscaling', minReplicas: count(v.minReplicas), maxReplicas: count(v.maxReplicas) },
    },
    auth: v.auth,
  };
}

/** The catalog message for each field the schema checks: what the field takes, in the user's language. */
const HELP: Record<string, Key<'kuberayCreate'>> = {
  name: 'errors.name',
  namespace: 'errors.namespace',
  image: 'errors.image',
  'head.cpu': 'errors.cpu',
  'worker.cpu': 'errors.cpu',
  'head.memory': 'errors.memory',
  'worker.memory': 'errors.memory',
  'worker.scaling.replicas': 'errors.count',
  'worker.scaling.minReplicas': 'errors.count',
  'worker.scaling.maxReplicas': 'errors.count',
};

/**
 * The form, parsed with the schema the BFF parses it with, or what to change per field. Messages come
 * from the catalog (the schema's own are English, for API clients).
 */
export function buildForm(
  v: NewClusterValues,
  t: T<'kuberayCreate'>,
): { form: RayClusterForm } | { errors: FieldErrors } {
  const parsed = RayClusterForm.safeParse(candidateOf(v));
  if (parsed.success) return { form: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    if (errors[path]) continue;
    if (path === 'name' && issue.code === 'too_big')
      errors[path] = t('errors.nameLength', { max: RAYCLUSTER_NAME_MAX });
    else if (path === 'rayVersion')
      errors[path] = issue.code === 'invalid_format' ? t('errors.versionFormat') : t('errors.versionTooOld');
    else if (path === 'worker.scaling.maxReplicas' && issue.code === 'custom')
      errors[path] = t('errors.maxBelowMin', { min: v.minReplicas });
    else errors[path] = t(HELP[path] ?? 'errors.generic');
  }
  return { errors };
}

/**
 * The BFF's field errors split in two: those on the form's inputs (`form.head.cpu` → `head.cpu`) and
 * the others (API paths such as `spec.headGroupSpec.rayStartParams`, or `yaml`), shown on the YAML.
 */
export function splitServerFields(fields: Record<string, string> | undefined): {
  onForm: FieldErrors;
  onYaml: [string, string][];
} {
  const onForm: FieldErrors = {};
  const onYaml: [string, string][] = [];
  for (const [key, message] of Object.entries(fields ?? {})) {
    if (key.startsWith('form.')) onForm[key.slice('form.'.length)] = message;
    else onYaml.push([key, message]);
  }
  return { onForm, onYaml };
}
