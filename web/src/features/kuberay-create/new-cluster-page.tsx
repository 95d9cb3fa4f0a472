import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { AUTH_OPTIONS_UNSUPPORTED, type RayClusterCreateRequest } from '@ray-console/shared';
import { ErrorText } from '../../components/error-panel';
import { useT } from '../../i18n/use-t';
import { ApiError } from '../../lib/api-error';
import { useClusterTitle } from '../clusters/use-cluster-title';
import { useCreateRayCluster, usePreviewRayCluster } from './api';
import { buildForm, emptyValues, splitServerFields, type FieldErrors, type NewClusterValues } from './form-model';

function Field({
  label,
  id,
  error,
  help,
  children,
}: {
  label: string;
  id: string;
  error?: string | undefined;
  help?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {help ? (
        <span className="field-help" id={`${id}-help`}>
          {help}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/**
 * "New RayCluster": a form for a token-protected RayCluster, its YAML (editable), a server-side dry
 * run whose objections appear on the inputs they concern, and the create, all as the person's own
 * Kubernetes identity. After a create the cluster list shows the new cluster (discovery finds it).
 */
export function NewClusterPage() {
  const { t } = useT('kuberayCreate');
  // The title hook of the pages inside a cluster (with no cluster in the URL it names the page alone):
  // a page chunk that does not import that module makes Rolldown move the first script's own modules
  // (use-t, api-client) into chunks of their own, +1.6 KB gzip and two requests on the first page.
  useClusterTitle('title.newCluster');
  const [search] = useSearchParams();
  const [values, setValues] = useState<NewClusterValues>(() => emptyValues(search.get('namespace') ?? ''));
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [yaml, setYaml] = useState<{ text: string; edited: boolean; secret?: { name: string; yaml: string } }>();
  const preview = usePreviewRayCluster();
  const create = useCreateRayCluster();
  const navigate = useNavigate();
  const id = useId();

  const set = <K extends keyof NewClusterValues>(key: K, value: NewClusterValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setClientErrors((e) => ({ ...e, [fieldOf(key)]: '' }));
    // A preview of other values would mislead; an edited YAML is the person's and stays.
    if (!yaml?.edited) setYaml(undefined);
    create.reset();
  };

  const serverError = create.error instanceof ApiError ? create.error : undefined;
  const server = splitServerFields(serverError?.fields);
  const errors: FieldErrors = { ...server.onForm, ...nonEmpty(clientErrors) };
  const err = (field: string) => errors[field] || undefined;
  const authUnsupported = serverError?.params?.unsupported === AUTH_OPTIONS_UNSUPPORTED;

  const formOrErrors = () => {
    const built = buildForm(values, t);
    if ('errors' in built) {
      setClientErrors(built.errors);
      return undefined;
    }
    setClientErrors({});
    return built.form;
  };

  const showPreview = () => {
    const form = formOrErrors();
    if (!form) return;
    preview.mutate(form, {
      onSuccess: (p) => setYaml({ text: p.yaml, edited: false, ...(p.secret ? { secret: p.secret } : {}) }),
    });
  };

  const send = (dryRun: boolean) => {
    let request: RayClusterCreateRequest;
    if (yaml?.edited) request = { yaml: yaml.text, dryRun };
    else {
      const form = formOrErrors();
      if (!form) return;
      request = { form, dryRun };
    }
    create.mutate(request, { onSuccess: (created) => (created.dryRun ? undefined : void navigate('/')) });
  };

  const switchToSecretEnv = () => {
    setValues((v) => ({ ...v, auth: 'secret-env' }));
    setYaml(undefined);
    create.reset();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(false);
  };

  const busy = create.isPending || preview.isPending;
  const field = (name: string) => ({
    id: `${id}-${name.replace(/\./g, '-')}`,
    'aria-invalid': err(name) !== undefined,
  });
  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('title')}</h1>
      <p className="field-help">{t('intro')}</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="grid-3">
          <Field label={t('fields.name')} id={field('name').id} error={err('name')}>
            <input {...field('name')} value={values.name} onChange={(e) => set('name', e.target.value)} required />
          </Field>
          <Field label={t('fields.namespace')} id={field('namespace').id} error={err('namespace')}>
            <input
              {...field('namespace')}
              value={values.namespace}
              onChange={(e) => set('namespace', e.target.value)}
              required
            />
          </Field>
          <Field
            label={t('fields.rayVersion')}
            id={field('rayVersion').id}
            error={err('rayVersion')}
            help={t('fields.rayVersionHelp')}
          >
            <input
              {...field('rayVersion')}
              value={values.rayVersion}
              onChange={(e) => set('rayVersion', e.target.value)}
            />
          </Field>
        </div>
        <Field
          label={t('fields.image')}
          id={field('image').id}
          error={err('image')}
          help={t('fields.imageHelp', { version: values.rayVersion.trim() })}
        >
          <input {...field('image')} value={values.image} onChange={(e) => set('image', e.target.value)} />
        </Field>

        <fieldset>
          <legend>{t('fields.head')}</legend>
          <div className="grid-3">
            <Field label={t('fields.cpu')} id={field('head.cpu').id} error={err('head.cpu')} help={t('fields.cpuHelp')}>
              <input {...field('head.cpu')} value={values.headCpu} onChange={(e) => set('headCpu', e.target.value)} />
            </Field>
            <Field
              label={t('fields.memory')}
              id={field('head.memory').id}
              error={err('head.memory')}
              help={t('fields.memoryHelp')}
            >
              <input
                {...field('head.memory')}
                value={values.headMemory}
                onChange={(e) => set('headMemory', e.target.value)}
              />
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('fields.worker')}</legend>
          <div className="grid-3">
            <Field label={t('fields.cpu')} id={field('worker.cpu').id} error={err('worker.cpu')}>
              <input
                {...field('worker.cpu')}
                value={values.workerCpu}
                onChange={(e) => set('workerCpu', e.target.value)}
              />
            </Field>
            <Field label={t('fields.memory')} id={field('worker.memory').id} error={err('worker.memory')}>
              <input
                {...field('worker.memory')}
                value={values.workerMemory}
                onChange={(e) => set('workerMemory', e.target.value)}
              />
            </Field>
          </div>
          <div role="radiogroup" aria-label={t('fields.scaling')}>
            {(['fixed', 'autoscaling'] as const).map((mode) => (
              <label key={mode}>
                <input
                  type="radio"
                  name={`${id}-scaling`}
                  checked={values.scaling === mode}
                  onChange={() => set('scaling', mode)}
                />{' '}
                {t(`fields.${mode}`)}
              </label>
            ))}
          </div>
          <div className="grid-3">
            {values.scaling === 'fixed' ? (
              <Field
                label={t('fields.replicas')}
                id={field('worker.scaling.replicas').id}
                error={err('worker.scaling.replicas')}
              >
                <input
                  {...field('worker.scaling.replicas')}
                  inputMode="numeric"
                  value={values.replicas}
                  onChange={(e) => set('replicas', e.target.value)}
                />
              </Field>
            ) : (
              <>
                <Field
                  label={t('fields.minReplicas')}
                  id={field('worker.scaling.minReplicas').id}
                  error={err('worker.scaling.minReplicas')}
                >
                  <input
                    {...field('worker.scaling.minReplicas')}
                    inputMode="numeric"
                    value={values.minReplicas}
                    onChange={(e) => set('minReplicas', e.target.value)}
                  />
                </Field>
                <Field
                  label={t('fields.maxReplicas')}
                  id={field('worker.scaling.maxReplicas').id}
                  error={err('worker.scaling.maxReplicas')}
                >
                  <input
                    {...field('worker.scaling.maxReplicas')}
                    inputMode="numeric"
                    value={values.maxReplicas}
                    onChange={(e) => set('maxReplicas', e.target.value)}
                  />
                </Field>
              </>
            )}
          </div>
        </fieldset>

        <fieldset aria-describedby={err('auth') ? `${id}-auth-error` : undefined}>
          <legend>{t('fields.auth')}</legend>
          {(['authOptions', 'secret-env'] as const).map((auth) => (
            <label key={auth} className="field">
              <span>
                <input
                  type="radio"
                  name={`${id}-auth`}
                  checked={values.auth === auth}
                  onChange={() => set('auth', auth)}
                />{' '}
                {t(auth === 'authOptions' ? 'fields.authOptions' : 'fields.secretEnv')}
              </span>
            </label>
          ))}
          {err('auth') ? (
            <p className="field-error" id={`${id}-auth-error`} role="alert">
              {authUnsupported ? t('auth.unsupported') : err('auth')}{' '}
              {authUnsupported ? (
                <button type="button" className="button button-small" onClick={switchToSecretEnv}>
                  {t('auth.useSecretEnv')}
                </button>
              ) : null}
            </p>
          ) : null}
        </fieldset>

        <div className="toolbar">
          <button type="button" className="button" onClick={showPreview} disabled={busy}>
            {t('actions.preview')}
          </button>
        </div>
        {preview.isError ? (
          <p className="panel panel-error" role="alert">
            <ErrorText error={preview.error} />
          </p>
        ) : null}
        {yaml ? (
          <>
            <Field label={t('yaml.label')} id={`${id}-yaml`} help={yaml.edited ? t('yaml.edited') : t('yaml.help')}>
              <textarea
                id={`${id}-yaml`}
                className="code"
                rows={Math.min(30, yaml.text.split('\n').length + 1)}
                spellCheck={false}
                value={yaml.text}
                aria-invalid={server.onYaml.length > 0}
                onChange={(e) => {
                  setYaml({ ...yaml, text: e.target.value, edited: true });
                  create.reset();
                }}
              />
            </Field>
            {yaml.edited ? (
              <button type="button" className="button button-small" onClick={showPreview} disabled={busy}>
                {t('actions.resetYaml')}
              </button>
            ) : null}
            {yaml.secret && !yaml.edited ? (
              <details>
                <summary>{t('yaml.secretTitle', { name: yaml.secret.name })}</summary>
                <pre>{yaml.secret.yaml}</pre>
              </details>
            ) : null}
          </>
        ) : null}
        {server.onYaml.length > 0 ? (
          <div className="panel panel-error" role="alert" aria-label={t('yaml.problems')}>
            <strong>{t('yaml.problems')}</strong>
            <ul>
              {server.onYaml.map(([path, message]) => (
                <li key={path}>
                  {path === 'yaml' || path === '' ? null : <code>{path}</code>} <span lang="en">{message}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {create.isError && !serverError?.fields ? (
          <div className="panel panel-error" role="alert">
            <ErrorText error={create.error} />
          </div>
        ) : null}
        {create.data?.dryRun ? (
          <p className="panel" role="status">
            {t('dryRun.ok', { user: create.data.user })}
            {create.data.tokenSecret && !create.data.tokenSecret.created
              ? ` ${t('dryRun.secretExists', { name: create.data.tokenSecret.name })}`
              : ''}
          </p>
        ) : null}

        <div className="toolbar">
          <button type="button" className="button" onClick={() => send(true)} disabled={busy}>
            {create.isPending && create.variables?.dryRun ? t('actions.checking') : t('actions.dryRun')}
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {create.isPending && !create.variables?.dryRun ? t('actions.creating') : t('actions.create')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The error key of an input (the schema's path). */
function fieldOf(key: keyof NewClusterValues): string {
  const paths: Partial<Record<keyof NewClusterValues, string>> = {
    headCpu: 'head.cpu',
    headMemory: 'head.memory',
    workerCpu: 'worker.cpu',
    workerMemory: 'worker.memory',
    replicas: 'worker.scaling.replicas',
    minReplicas: 'worker.scaling.minReplicas',
    maxReplicas: 'worker.scaling.maxReplicas',
  };
  return paths[key] ?? key;
}

const nonEmpty = (errors: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(errors).filter(([, message]) => message !== ''));
