import { useId, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import type { RayJobDetail } from '@ray-console/shared';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { TypeNameDialog } from '../../components/type-name-dialog';
import { CopyButton } from '../../components/copy-button';
import { ErrorPanel, ErrorText } from '../../components/error-panel';
import { formatDateTime } from '../../i18n/format';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/document-title';
import { rayJobDetailQuery, rayJobYamlQuery, useDeleteRayJob, useSuspendRayJob } from './api';
import { RayJobStatus } from './rayjob-status';
import { RayJobLink } from './rayjobs-page';

/**
 * One RayJob: where KubeRay is with it, the cluster and Ray job it made (with a link to the job's
 * logs and debugging pages while the cluster lives), its settings, and suspend/resume, delete and
 * "Export as YAML". Actions show only when the person's Kubernetes RBAC allows them.
 */
export function RayJobDetailPage() {
  const { namespace = '', name = '' } = useParams();
  const { t } = useT('kuberayJobs');
  useDocumentTitle([name, t('list.title')]);
  const detail = useQuery(rayJobDetailQuery(namespace, name));
  if (detail.isPending) return <p aria-busy="true">{t('detail.loading')}</p>;
  if (detail.isError && !detail.data) return <ErrorPanel error={detail.error} onRetry={() => void detail.refetch()} />;
  const job = detail.data;
  return (
    <section aria-labelledby="rayjob-title">
      <p>
        <Link to={`/kubernetes/rayjobs?namespace=${encodeURIComponent(namespace)}`}>{t('detail.back')}</Link>
      </p>
      <h2 id="rayjob-title">
        {job.name} <span className="muted">{t('detail.inNamespace', { namespace: job.namespace })}</span>
      </h2>
      {detail.isError ? <ErrorPanel error={detail.error} title={t('detail.stale')} /> : null}
      <Actions job={job} />
      <h3>{t('detail.status')}</h3>
      <dl className="details">
        <Item label={t('columns.deploymentStatus')}>
          <RayJobStatus job={job} />
          {job.suspend ? <span className="badge"> {t('detail.suspendedFlag')}</span> : null}
        </Item>
        <Item label={t('columns.jobStatus')}>{job.jobStatus ?? '—'}</Item>
        {job.reason ? <Item label={t('detail.reason')}>{job.reason}</Item> : null}
        {job.message ? (
          <Item label={t('detail.message')}>
            <span>{job.message}</span>
          </Item>
        ) : null}
        <Item label={t('columns.attempts')}>
          {t('list.attempts', { failed: job.failed, succeeded: job.succeeded, limit: job.backoffLimit })}
        </Item>
        <Item label={t('detail.created')}>{job.createdAt ? formatDateTime(job.createdAt) : '—'}</Item>
        <Item label={t('columns.started')}>{job.startTime ? formatDateTime(job.startTime) : '—'}</Item>
        <Item label={t('detail.ended')}>{job.endTime ? formatDateTime(job.endTime) : '—'}</Item>
        <Item label={t('detail.cluster')}>
          {job.rayClusterName ? <code>{job.rayClusterName}</code> : '—'}
          {job.clusterState ? <span className="sub"> {job.clusterState}</span> : null}
        </Item>
        <Item label={t('columns.rayJob')}>
          <RayJobLink job={job} />
          {job.jobId && !job.clusterId ? <p className="field-help">{t('detail.linkWhenListed')}</p> : null}
        </Item>
      </dl>
      <h3>{t('detail.settings')}</h3>
      <dl className="details">
        <Item label={t('detail.entrypoint')}>
          <code>{job.entrypoint}</code>
        </Item>
        <Item label={t('detail.shutdown')}>{job.shutdownAfterJobFinishes ? t('detail.yes') : t('detail.no')}</Item>
        <Item label={t('detail.ttl')}>{t('detail.seconds', { n: job.ttlSecondsAfterFinished })}</Item>
        <Item label={t('detail.deadline')}>
          {job.activeDeadlineSeconds !== undefined ? t('detail.seconds', { n: job.activeDeadlineSeconds }) : '—'}
        </Item>
        <Item label={t('detail.backoffLimit')}>{job.backoffLimit}</Item>
        {job.submissionMode ? <Item label={t('detail.submissionMode')}>{job.submissionMode}</Item> : null}
        {job.rayVersion ? <Item label={t('detail.rayVersion')}>{job.rayVersion}</Item> : null}
        <Item label={t('detail.tokenAuth')}>{job.tokenAuth ? t('detail.yes') : t('detail.no')}</Item>
        {job.clusterSelector ? (
          <Item label={t('detail.clusterSelector')}>
            <code>
              {Object.entries(job.clusterSelector)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')}
            </code>
          </Item>
        ) : null}
        {job.metadata ? (
          <Item label={t('detail.metadata')}>
            <code>
              {Object.entries(job.metadata)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')}
            </code>
          </Item>
        ) : null}
        {job.runtimeEnvYAML ? (
          <Item label={t('detail.runtimeEnv')}>
            <pre className="json">{job.runtimeEnvYAML}</pre>
          </Item>
        ) : null}
      </dl>
      <YamlExport namespace={job.namespace} name={job.name} />
    </section>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Actions({ job }: { job: RayJobDetail }) {
  const { t } = useT('kuberayJobs');
  const id = useId();
  const navigate = useNavigate();
  const suspend = useSuspendRayJob(job.namespace, job.name);
  const remove = useDeleteRayJob(job.namespace, job.name);
  const [confirm, setConfirm] = useState<'suspend' | 'delete' | undefined>();
  if (!job.permissions.patch && !job.permissions.delete) {
    return <p className="muted">{t('actions.readOnly')}</p>;
  }
  const close = () => setConfirm(undefined);
  return (
    <div className="toolbar">
      {job.permissions.patch ? (
        job.suspend ? (
          <button type="button" className="button" disabled={suspend.isPending} onClick={() => suspend.mutate(false)}>
            {t('actions.resume')}
          </button>
        ) : (
          <>
            <button
              type="button"
              className="button"
              disabled={job.suspendBlocked !== undefined || suspend.isPending}
              onClick={() => setConfirm('suspend')}
              {...(job.suspendBlocked ? { 'aria-describedby': `${id}-blocked` } : {})}
            >
              {t('actions.suspend')}
            </button>
            {job.suspendBlocked ? (
              <span className="field-help" id={`${id}-blocked`}>
                {t(`actions.blocked.${job.suspendBlocked}`)}
              </span>
            ) : null}
          </>
        )
      ) : null}
      {job.permissions.delete ? (
        <button type="button" className="button button-danger" onClick={() => setConfirm('delete')}>
          {t('actions.delete')}
        </button>
      ) : null}
      {suspend.isError ? (
        <p className="field-error" role="alert">
          <ErrorText error={suspend.error} />
        </p>
      ) : null}
      <ConfirmDialog
        open={confirm === 'suspend'}
        title={t('actions.suspendTitle', { name: job.name })}
        confirmLabel={t('actions.suspend')}
        busy={suspend.isPending}
        onCancel={close}
        onConfirm={() => suspend.mutate(true, { onSettled: close })}
      >
        <p>{t('actions.suspendBody')}</p>
      </ConfirmDialog>
      <TypeNameDialog
        open={confirm === 'delete'}
        name={job.name}
        title={t('actions.deleteTitle', { name: job.name })}
        body={t('actions.deleteBody')}
        fieldLabel={t('actions.typeName', { name: job.name })}
        confirmLabel={t('actions.delete')}
        busy={remove.isPending}
        error={remove.isError ? remove.error : undefined}
        onClose={close}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => void navigate(`/kubernetes/rayjobs?namespace=${encodeURIComponent(job.namespace)}`),
          })
        }
      />
    </div>
  );
}

/** "Export as YAML": the manifest `kubectl apply -f` takes, asked for only when opened. */
function YamlExport({ namespace, name }: { namespace: string; name: string }) {
  const { t } = useT('kuberayJobs');
  const [open, setOpen] = useState(false);
  const yaml = useQuery({ ...rayJobYamlQuery(namespace, name), enabled: open });
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('yaml.export')}</summary>
      <p className="muted">{t('yaml.intro')}</p>
      {yaml.isError ? <ErrorPanel error={yaml.error} onRetry={() => void yaml.refetch()} /> : null}
      {yaml.data ? (
        <>
          <CopyButton text={yaml.data.yaml} />
          <pre className="json" data-testid="rayjob-yaml">
            {yaml.data.yaml}
          </pre>
        </>
      ) : open && yaml.isPending ? (
        <p aria-busy="true">{t('yaml.loading')}</p>
      ) : null}
    </details>
  );
}
