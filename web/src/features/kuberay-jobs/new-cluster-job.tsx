import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { RAYCLUSTER_FORM_DEFAULTS, RayJobForm, type RayJobFormInput, type WorkerScaling } from '@ray-console/shared';
import { ErrorText } from '../../components/error-panel';
import type { Key } from '../../i18n/catalogs';
import { useT } from '../../i18n/use-t';
import { ApiError } from '../../lib/api-error';
import { rayJobPagePath, useCreateRayJob, usePreviewRayJob } from './api';
import { Field } from '../../components/field';

/** The job part the submit form gives: what Ray's job submission and a RayJob share. */
export interface JobPart {
  entrypoint: string;
  runtimeEnv?: Record<string, unknown>;
  metadata?: Record<string, string>;
  entrypointNumCpus?: number;
  entrypointNumGpus?: number;
}

/** Form inputs (as `RayJobForm` paths) and the catalog message said when the schema refuses them. */
const MESSAGES: [prefix: string, key: Key<'kuberayJobs'>][] = [
  ['name', 'newCluster.errors.name'],
  ['namespace', 'newCluster.errors.namespace'],
  ['entrypoint', 'newCluster.errors.entrypoint'],
  ['cluster.rayVersion', 'newCluster.errors.rayVersion'],
  ['cluster.image', 'newCluster.errors.image'],
  ['cluster.head.cpu', 'newCluster.errors.cpu'],
  ['cluster.worker.cpu', 'newCluster.errors.cpu'],
  ['cluster.head.memory', 'newCluster.errors.memory'],
  ['cluster.worker.memory', 'newCluster.errors.memory'],
  ['cluster.worker.scaling.maxReplicas', 'newCluster.errors.maxReplicas'],
  ['cluster.worker.scaling', 'newCluster.errors.replicas'],
  ['ttlSecondsAfterFinished', 'newCluster.errors.ttl'],
  ['backoffLimit', 'newCluster.errors.backoffLimit'],
  ['activeDeadlineSeconds', 'newCluster.errors.deadline'],
];

/** A package uploaded to the current cluster lives in that cluster's GCS: the new cluster cannot read it. */
const isLocalPackage = (job: JobPart) => {
  const dir = job.runtimeEnv?.working_dir;
  return typeof dir === 'string' && dir.startsWith('gcs://');
};

const whole = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * "On a new cluster": the submit form's job as a RayJob, with the cluster KubeRay makes for it (the
 * "New RayCluster" form's Ray part; token auth through `authOptions`), how long it lives and how often
 * it is retried. Preview the YAML (and edit it), check it with a dry run as the person, create it.
 * Loaded only when chosen, so the submit page's first load stays small.
 */
export function NewClusterJob({ job }: { job: JobPart | undefined }) {
  const { t } = useT('kuberayJobs');
  const id = useId();
  const navigate = useNavigate();
  const preview = usePreviewRayJob();
  const create = useCreateRayJob();
  const [name, setName] = useState('');
  const [namespace, setNamespace] = useState('');
  const [rayVersion, setRayVersion] = useState<string>(RAYCLUSTER_FORM_DEFAULTS.rayVersion);
  const [image, setImage] = useState('');
  const [headCpu, setHeadCpu] = useState<string>(RAYCLUSTER_FORM_DEFAULTS.head.cpu);
  const [headMemory, setHeadMemory] = useState<string>(RAYCLUSTER_FORM_DEFAULTS.head.memory);
  const [workerCpu, setWorkerCpu] = useState<string>(RAYCLUSTER_FORM_DEFAULTS.worker.cpu);
  const [workerMemory, setWorkerMemory] = useState<string>(RAYCLUSTER_FORM_DEFAULTS.worker.memory);
  const [autoscaling, setAutoscaling] = useState(false);
  const [replicas, setReplicas] = useState('1');
  const [minReplicas, setMinReplicas] = useState('0');
  const [maxReplicas, setMaxReplicas] = useState('2');
  const [shutdown, setShutdown] = useState(true);
  const [ttl, setTtl] = useState('60');
  const [backoffLimit, setBackoffLimit] = useState('0');
  const [deadline, setDeadline] = useState('');
  /** The YAML as edited; once edited, it is what is checked and created instead of the form. */
  const [yaml, setYaml] = useState<string | undefined>();
  const [yamlEdited, setYamlEdited] = useState(false);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});

  const scaling: WorkerScaling = autoscaling
    ? { mode: 'autoscaling', minReplicas: whole(minReplicas), maxReplicas: whole(maxReplicas) }
    : { mode: 'fixed', replicas: whole(replicas) };
  const formInput = (): RayJobFormInput | undefined =>
    job && {
      name,
      namespace,
      ...job,
      cluster: {
        rayVersion,
        image,
        head: { cpu: headCpu, memory: headMemory },
        worker: { cpu: workerCpu, memory: workerMemory, scaling },
        auth: 'authOptions',
      },
      shutdownAfterJobFinishes: shutdown,
      ttlSecondsAfterFinished: whole(ttl),
      backoffLimit: whole(backoffLimit),
      ...(deadline.trim() ? { activeDeadlineSeconds: whole(deadline) } : {}),
    };

  /** The form checked with the BFF's own schema; field errors in the user's language, or the form. */
  const checked = (): RayJobFormInput | undefined => {
    const input = formInput();
    if (!input) return undefined;
    if (isLocalPackage(input)) {
      setClientErrors({ workingDir: t('newCluster.errors.localPackage') });
      return undefined;
    }
    const result = RayJobForm.safeParse(input);
    if (result.success) {
      setClientErrors({});
      return input;
    }
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.');
      const key = MESSAGES.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`))?.[1];
      errors[`form.${path}`] ??= key ? t(key) : issue.message;
    }
    setClientErrors(errors);
    return undefined;
  };

  const serverFields = create.error instanceof ApiError ? (create.error.fields ?? {}) : {};
  const errors = { ...serverFields, ...clientErrors };
  const err = (field: string) => errors[`form.${field}`];
  const shownOnFields = new Set(MESSAGES.map(([p]) => `form.${p}`));
  const elsewhere = Object.entries(errors).filter(([k]) => !shownOnFields.has(k));

  const send = (dryRun: boolean) => {
    if (yamlEdited && yaml !== undefined) {
      create.mutate({ yaml, dryRun }, { onSuccess: (c) => done(c.dryRun, c.namespace, c.name) });
      return;
    }
    const form = checked();
    if (form) create.mutate({ form, dryRun }, { onSuccess: (c) => done(c.dryRun, c.namespace, c.name) });
  };
  const done = (dryRun: boolean, ns: string, n: string) => {
    if (!dryRun) void navigate(rayJobPagePath(ns, n));
  };
  const showPreview = () => {
    const form = checked();
    if (form)
      preview.mutate(form, {
        onSuccess: (p) => {
          setYaml(p.yaml);
          setYamlEdited(false);
        },
      });
  };

  const input = (
    field: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
    extra: { help?: string; inputMode?: 'numeric' | 'decimal' } = {},
  ) => (
    <Field id={`${id}-${field}`} label={label} error={err(field)} help={extra.help}>
      <input
        id={`${id}-${field}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={err(field) !== undefined}
        spellCheck={false}
        {...(extra.inputMode ? { inputMode: extra.inputMode } : {})}
      />
    </Field>
  );

  return (
    <fieldset className="new-cluster-job">
      <legend>{t('newCluster.legend')}</legend>
      <p className="field-help">{t('newCluster.intro')}</p>
      {job === undefined ? <p className="field-error">{t('newCluster.fixJobFirst')}</p> : null}
      {clientErrors.workingDir ? (
        <p className="field-error" role="alert">
          {clientErrors.workingDir}
        </p>
      ) : null}
      <div className="grid-3">
        {input('name', t('newCluster.name'), name, setName, { help: t('newCluster.nameHelp') })}
        {input('namespace', t('newCluster.namespace'), namespace, setNamespace)}
      </div>
      <div className="grid-3">
        {input('cluster.rayVersion', t('newCluster.rayVersion'), rayVersion, setRayVersion)}
        {input('cluster.image', t('newCluster.image'), image, setImage, {
          help: t('newCluster.imageHelp', { version: rayVersion }),
        })}
      </div>
      <div className="grid-3">
        {input('cluster.head.cpu', t('newCluster.headCpu'), headCpu, setHeadCpu)}
        {input('cluster.head.memory', t('newCluster.headMemory'), headMemory, setHeadMemory)}
      </div>
      <div className="grid-3">
        {input('cluster.worker.cpu', t('newCluster.workerCpu'), workerCpu, setWorkerCpu)}
        {input('cluster.worker.memory', t('newCluster.workerMemory'), workerMemory, setWorkerMemory)}
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={autoscaling} onChange={(e) => setAutoscaling(e.target.checked)} />{' '}
          {t('newCluster.autoscaling')}
        </label>
      </div>
      <div className="grid-3">
        {autoscaling ? (
          <>
            {input('cluster.worker.scaling.minReplicas', t('newCluster.minReplicas'), minReplicas, setMinReplicas, {
              inputMode: 'numeric',
            })}
            {input('cluster.worker.scaling.maxReplicas', t('newCluster.maxReplicas'), maxReplicas, setMaxReplicas, {
              inputMode: 'numeric',
            })}
          </>
        ) : (
          input('cluster.worker.scaling.replicas', t('newCluster.replicas'), replicas, setReplicas, {
            inputMode: 'numeric',
          })
        )}
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={shutdown} onChange={(e) => setShutdown(e.target.checked)} />{' '}
          {t('detail.shutdown')}
        </label>
      </div>
      <div className="grid-3">
        {input('ttlSecondsAfterFinished', t('newCluster.ttl'), ttl, setTtl, { inputMode: 'numeric' })}
        {input('backoffLimit', t('detail.backoffLimit'), backoffLimit, setBackoffLimit, { inputMode: 'numeric' })}
        {input('activeDeadlineSeconds', t('newCluster.deadline'), deadline, setDeadline, {
          inputMode: 'numeric',
          help: t('newCluster.deadlineHelp'),
        })}
      </div>
      <p className="field-help">{t('newCluster.tokenAuth')}</p>

      {elsewhere.length > 0 ? (
        <ul className="field-error" role="alert" aria-label={t('newCluster.otherErrors')}>
          {elsewhere.map(([field, message]) => (
            <li key={field}>
              <code>{field.replace(/^form\./, '')}</code>: {message}
            </li>
          ))}
        </ul>
      ) : null}
      {create.isError && Object.keys(serverFields).length === 0 ? (
        <p className="field-error" role="alert">
          <ErrorText error={create.error} />
        </p>
      ) : null}
      {preview.isError ? (
        <p className="field-error" role="alert">
          <ErrorText error={preview.error} />
        </p>
      ) : null}
      {create.data?.dryRun && !create.isPending && !create.isError ? (
        <p role="status" className="panel">
          {t('newCluster.dryRunOk', { user: create.data.user })}
        </p>
      ) : null}

      {yaml !== undefined ? (
        <Field id={`${id}-yaml`} label={t('newCluster.yaml')} error={errors.yaml} help={t('newCluster.yamlHelp')}>
          <textarea
            id={`${id}-yaml`}
            rows={16}
            value={yaml}
            spellCheck={false}
            onChange={(e) => {
              setYaml(e.target.value);
              setYamlEdited(true);
            }}
          />
        </Field>
      ) : null}

      <div className="toolbar">
        <button type="button" className="button" onClick={showPreview} disabled={preview.isPending || !job}>
          {t('newCluster.preview')}
        </button>
        <button type="button" className="button" onClick={() => send(true)} disabled={create.isPending || !job}>
          {t('newCluster.check')}
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => send(false)}
          disabled={create.isPending || !job}
        >
          {create.isPending ? t('newCluster.working') : t('newCluster.create')}
        </button>
      </div>
    </fieldset>
  );
}
