import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { LABEL_SELECTOR_MIN_RAY_VERSION, MAX_PACKAGE_BYTES, type JobSubmitRequest } from '@ray-console/shared';
import { KeyValueEditor } from '../../components/key-value-editor';
import { ErrorPanel, ErrorText } from '../../components/error-panel';
import { useT } from '../../i18n/use-t';
import { ApiError } from '../../lib/api-error';
import { sessionQuery } from '../clusters/api';
import { useClusterPermissions } from '../clusters/permissions';
import { jobDetailQuery, useSubmitJob, useUploadPackage } from './api';
import { CopyAsCli } from './cli-dialog';
import { requestFromJob } from './request-from-job';
import {
  buildRequest,
  emptyForm,
  errorFor,
  formFromRequest,
  versionAtLeast,
  type FieldErrors,
  type SubmitFormValues,
} from './submit-form-model';
import { useClusterTitle } from '../clusters/use-cluster-title';
import { useKubeIdentity } from '../kuberay-identity/api';
import { loadNamespaces } from '../../i18n/i18n';
import { lazyPart } from '../../lib/lazy-part';
import { Field } from '../../components/field';

/**
 * "On a new cluster" (a RayJob, issue 12) in a chunk of its own with its catalog, fetched only when the
 * person picks it: most submissions go to the cluster at hand, and the submit page's first load stays small.
 */
const newClusterPart = lazyPart(() =>
  Promise.all([import('../kuberay-jobs/new-cluster-job'), loadNamespaces(['kuberayJobs'])]).then(([m]) => m),
);

/**
 * Submit a job: every field Ray's Jobs API takes, checked in the browser with the BFF's own schema,
 * with a working_dir picked as a .zip or a folder and uploaded through the BFF. `?clone=<jobId>` fills
 * the form from an existing job.
 */
export function SubmitJobPage() {
  const { clusterId = '' } = useParams();
  useClusterTitle('title.submit');
  const [searchParams] = useSearchParams();
  const cloneOf = searchParams.get('clone');
  const { t } = useT('jobs');
  const clone = useQuery({ ...jobDetailQuery(clusterId, cloneOf ?? ''), enabled: cloneOf !== null });
  if (cloneOf !== null && clone.isPending) return <p aria-busy="true">{t('submit.loadingClone')}</p>;
  return (
    <>
      {clone.isError ? <ErrorPanel title={t('submit.cloneFailed')} error={clone.error} /> : null}
      <SubmitJobForm
        key={cloneOf ?? 'new'}
        clusterId={clusterId}
        cloneOf={cloneOf}
        initial={clone.data ? formFromRequest(requestFromJob(clone.data)) : emptyForm()}
      />
    </>
  );
}

function SubmitJobForm({
  clusterId,
  cloneOf,
  initial,
}: {
  clusterId: string;
  cloneOf: string | null;
  initial: SubmitFormValues;
}) {
  const [values, setValues] = useState<SubmitFormValues>(initial);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const submit = useSubmitJob(clusterId);
  const upload = useUploadPackage(clusterId);
  const navigate = useNavigate();
  const session = useQuery(sessionQuery());
  const rayVersion = session.data?.clusters.find((c) => c.id === clusterId)?.rayVersion;
  const labelSelectorAllowed = versionAtLeast(rayVersion, LABEL_SELECTOR_MIN_RAY_VERSION);
  const id = useId();
  const { t } = useT('jobs');
  const roleText = useT('roles').t;
  // With roles, only an operator may submit; the BFF refuses anyone else (403) whatever the page shows.
  const maySubmit = useClusterPermissions(clusterId).may('operator');
  // Run here, or as a RayJob on a cluster KubeRay makes for it: only with a Kubernetes identity to act as.
  const { acting: mayUseKubernetes } = useKubeIdentity();
  const [where, setWhere] = useState<'here' | 'new'>('here');
  const onNewCluster = mayUseKubernetes && where === 'new';
  const NewCluster = newClusterPart.usePart(onNewCluster);

  const set = <K extends keyof SubmitFormValues>(key: K, value: SubmitFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const serverErrors = submit.error instanceof ApiError ? (submit.error.fields ?? {}) : {};
  const errors: FieldErrors = { ...serverErrors, ...clientErrors };
  const err = (field: string) => errorFor(errors, field);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // Enter in a field of the new-cluster part must not send the job to this cluster.
    if (onNewCluster) return;
    const built = buildRequest(values, t);
    if ('errors' in built) {
      setClientErrors(built.errors);
      return;
    }
    setClientErrors({});
    submit.mutate(built.request, {
      onSuccess: (res) =>
        void navigate(`/clusters/${encodeURIComponent(clusterId)}/jobs/${encodeURIComponent(res.submissionId)}`),
    });
  };

  const pickZip = (files: FileList | null) => {
    const zip = files?.[0];
    if (!zip) return;
    if (zip.size > MAX_PACKAGE_BYTES) {
      setClientErrors((e) => ({
        ...e,
        workingDir: t('submit.zipTooLarge'),
      }));
      return;
    }
    upload.mutate({ zip }, { onSuccess: (res) => set('workingDirUri', res.uri) });
  };
  const pickFolder = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const list = [...files];
    const size = list.reduce((s, f) => s + f.size, 0);
    if (size > MAX_PACKAGE_BYTES) {
      setClientErrors((e) => ({
        ...e,
        workingDir: t('submit.folderTooLarge'),
      }));
      return;
    }
    // webkitRelativePath starts with the picked folder's own name; the package holds what is inside it.
    const entries = list.map((file) => ({
      file,
      path: file.webkitRelativePath.split('/').slice(1).join('/') || file.name,
    }));
    upload.mutate({ files: entries }, { onSuccess: (res) => set('workingDirUri', res.uri) });
  };

  const preview = buildRequest(values, t);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{cloneOf ? t('submit.titleCopy', { id: cloneOf }) : t('submit.title')}</h2>
      {maySubmit ? null : (
        <p className="panel panel-warning" role="status" id={`${id}-needs`}>
          {roleText('needs.operator')}
        </p>
      )}
      {submit.isError && Object.keys(serverErrors).length === 0 ? (
        <div className="panel panel-error" role="alert">
          <ErrorText error={submit.error} />
        </div>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate>
        <Field
          label={t('submit.entrypoint')}
          id={`${id}-entrypoint`}
          error={err('entrypoint')}
          help={t('submit.entrypointHelp')}
        >
          <textarea
            rows={2}
            id={`${id}-entrypoint`}
            value={values.entrypoint}
            onChange={(e) => set('entrypoint', e.target.value)}
            aria-invalid={err('entrypoint') !== undefined}
            required
            spellCheck={false}
          />
        </Field>
        <Field
          label={t('submit.submissionId')}
          id={`${id}-sid`}
          error={err('submissionId')}
          help={t('submit.submissionIdHelp')}
        >
          <input
            id={`${id}-sid`}
            value={values.submissionId}
            onChange={(e) => set('submissionId', e.target.value)}
            aria-invalid={err('submissionId') !== undefined}
            spellCheck={false}
          />
        </Field>

        <fieldset>
          <legend>{t('submit.workingDir')}</legend>
          <p className="field-help">{t('submit.workingDirHelp')}</p>
          <div className="grid-3">
            <div className="field">
              <label htmlFor={`${id}-zip`}>{t('submit.uploadZip')}</label>
              <input
                id={`${id}-zip`}
                type="file"
                accept=".zip,application/zip"
                onChange={(e) => pickZip(e.target.files)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-folder`}>{t('submit.uploadFolder')}</label>
              <input
                id={`${id}-folder`}
                type="file"
                multiple
                // @ts-expect-error webkitdirectory is not in React's input attributes but every engine supports it.
                webkitdirectory=""
                onChange={(e) => pickFolder(e.target.files)}
              />
            </div>
          </div>
          {upload.isPending ? <p aria-busy="true">{t('submit.uploading')}</p> : null}
          {upload.isError ? (
            <p className="field-error" role="alert">
              <ErrorText error={upload.error} />
            </p>
          ) : null}
          {err('workingDir') ? (
            <p className="field-error" role="alert">
              {err('workingDir')}
            </p>
          ) : null}
          {values.workingDirUri ? (
            <p data-testid="working-dir">
              working_dir: <code>{values.workingDirUri}</code>{' '}
              <button type="button" className="button button-small" onClick={() => set('workingDirUri', '')}>
                {t('submit.remove')}
              </button>
            </p>
          ) : null}
        </fieldset>

        <KeyValueEditor
          legend={t('submit.envVar')}
          rows={values.envVars}
          onChange={(rows) => set('envVars', rows)}
          error={err('runtimeEnv.env_vars')}
        />
        <Field
          label={t('submit.runtimeEnv')}
          id={`${id}-renv`}
          error={
            errorFor(errors, 'runtimeEnv') && !err('runtimeEnv.env_vars') ? errorFor(errors, 'runtimeEnv') : undefined
          }
          help={t('submit.runtimeEnvHelp')}
        >
          <textarea
            id={`${id}-renv`}
            rows={4}
            value={values.runtimeEnvJson}
            onChange={(e) => set('runtimeEnvJson', e.target.value)}
            spellCheck={false}
          />
        </Field>
        <KeyValueEditor
          legend={t('submit.metadata')}
          rows={values.metadata}
          onChange={(rows) => set('metadata', rows)}
          keyLabel={t('submit.key')}
          error={err('metadata')}
        />

        <fieldset>
          <legend>{t('submit.resources')}</legend>
          <div className="grid-3">
            <Field label={t('submit.cpus')} id={`${id}-cpus`} error={err('entrypointNumCpus')}>
              <input
                id={`${id}-cpus`}
                inputMode="decimal"
                value={values.numCpus}
                onChange={(e) => set('numCpus', e.target.value)}
              />
            </Field>
            <Field label={t('submit.gpus')} id={`${id}-gpus`} error={err('entrypointNumGpus')}>
              <input
                id={`${id}-gpus`}
                inputMode="decimal"
                value={values.numGpus}
                onChange={(e) => set('numGpus', e.target.value)}
              />
            </Field>
            <Field label={t('submit.memory')} id={`${id}-mem`} error={err('entrypointMemory')}>
              <input
                id={`${id}-mem`}
                inputMode="numeric"
                value={values.memory}
                onChange={(e) => set('memory', e.target.value)}
              />
            </Field>
          </div>
        </fieldset>
        <KeyValueEditor
          legend={t('submit.customResource')}
          rows={values.resources}
          onChange={(rows) => set('resources', rows)}
          valueLabel={t('submit.amount')}
          valueType="number"
          error={err('entrypointResources')}
        />
        {labelSelectorAllowed ? (
          <KeyValueEditor
            legend={t('submit.labelSelector')}
            rows={values.labelSelector}
            onChange={(rows) => set('labelSelector', rows)}
            keyLabel={t('submit.label')}
            error={err('entrypointLabelSelector')}
          />
        ) : (
          <p className="field-help">
            {t('submit.labelSelectorNeeds', {
              min: LABEL_SELECTOR_MIN_RAY_VERSION,
              version: rayVersion ?? t('submit.olderVersion'),
            })}
          </p>
        )}

        {mayUseKubernetes ? (
          <fieldset>
            <legend>{t('submit.where.legend')}</legend>
            <label>
              <input type="radio" name={`${id}-where`} checked={where === 'here'} onChange={() => setWhere('here')} />{' '}
              {t('submit.where.here')}
            </label>{' '}
            <label>
              <input type="radio" name={`${id}-where`} checked={where === 'new'} onChange={() => setWhere('new')} />{' '}
              {t('submit.where.new')}
            </label>
          </fieldset>
        ) : null}
        {onNewCluster ? (
          NewCluster ? (
            <NewCluster.NewClusterJob job={'request' in preview ? jobPartOf(preview.request) : undefined} />
          ) : (
            <p aria-busy="true">{t('submit.where.loading')}</p>
          )
        ) : null}

        <div className="toolbar" hidden={onNewCluster}>
          <button
            type="submit"
            className="button button-primary"
            disabled={!maySubmit || submit.isPending || upload.isPending}
            {...(maySubmit ? {} : { 'aria-describedby': `${id}-needs` })}
          >
            {submit.isPending ? t('submit.submitting') : t('submit.submit')}
          </button>
          {'request' in preview ? <CopyAsCli clusterId={clusterId} request={preview.request} /> : null}
        </div>
      </form>
    </section>
  );
}

/** What a RayJob takes from the submit form: the job itself (a submission id is Ray's, per cluster). */
function jobPartOf(request: JobSubmitRequest) {
  return {
    entrypoint: request.entrypoint,
    ...(request.runtimeEnv ? { runtimeEnv: request.runtimeEnv } : {}),
    ...(request.metadata ? { metadata: request.metadata } : {}),
    ...(request.entrypointNumCpus !== undefined ? { entrypointNumCpus: request.entrypointNumCpus } : {}),
    ...(request.entrypointNumGpus !== undefined ? { entrypointNumGpus: request.entrypointNumGpus } : {}),
  };
}
