import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { RayJobSummary } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { formatDateTime } from '../../i18n/format';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/document-title';
import { rayJobListQuery, rayJobPagePath } from './api';
import { RayJobStatus } from './rayjob-status';

/**
 * The RayJobs the person's Kubernetes identity may list, newest first. The namespace filter is in the
 * URL (`?namespace=`), so a filtered list can be linked to; without it, the namespaces discovery searches.
 */
export function RayJobsPage() {
  const { t } = useT('kuberayJobs');
  useDocumentTitle([t('list.title')]);
  const [search, setSearch] = useSearchParams();
  const namespace = search.get('namespace') || undefined;
  const list = useQuery(rayJobListQuery(namespace));
  return (
    <section aria-labelledby="rayjobs-title">
      <h2 id="rayjobs-title">{t('list.title')}</h2>
      <p className="muted">{t('list.intro')}</p>
      <NamespaceFilter
        key={namespace ?? ''}
        namespace={namespace}
        onChange={(ns) =>
          setSearch((prev) => {
            const next = new URLSearchParams(prev);
            if (ns) next.set('namespace', ns);
            else next.delete('namespace');
            return next;
          })
        }
      />
      {list.isPending ? (
        <p aria-busy="true">{t('list.loading')}</p>
      ) : list.isError && !list.data ? (
        <ErrorPanel error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <p>{t('list.none', { namespaces: list.data.namespaces.join(', ') })}</p>
      ) : (
        <table className="table" aria-labelledby="rayjobs-title">
          <thead>
            <tr>
              <th scope="col">{t('columns.name')}</th>
              <th scope="col">{t('columns.namespace')}</th>
              <th scope="col">{t('columns.deploymentStatus')}</th>
              <th scope="col">{t('columns.jobStatus')}</th>
              <th scope="col">{t('columns.attempts')}</th>
              <th scope="col">{t('columns.started')}</th>
              <th scope="col">{t('columns.rayJob')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((job) => (
              <RayJobRow key={`${job.namespace}/${job.name}`} job={job} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NamespaceFilter({
  namespace,
  onChange,
}: {
  namespace: string | undefined;
  onChange: (namespace: string | undefined) => void;
}) {
  const { t } = useT('kuberayJobs');
  const id = useId();
  const [value, setValue] = useState(namespace ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(value.trim() || undefined);
  };
  return (
    <form className="toolbar" onSubmit={submit} role="search">
      <label htmlFor={`${id}-ns`}>{t('list.namespace')}</label>
      <input
        id={`${id}-ns`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder={t('list.allNamespaces')}
        spellCheck={false}
      />
      <button type="submit" className="button button-small">
        {t('list.filter')}
      </button>
      {namespace ? (
        <button type="button" className="button button-small" onClick={() => onChange(undefined)}>
          {t('list.showAll')}
        </button>
      ) : null}
    </form>
  );
}

/** Where the Ray job is: a link when the console lists its cluster, else the cluster's name. */
export function RayJobLink({ job }: { job: RayJobSummary }) {
  const { t } = useT('kuberayJobs');
  if (job.clusterId && job.jobId) {
    return (
      <Link to={`/clusters/${encodeURIComponent(job.clusterId)}/jobs/${encodeURIComponent(job.jobId)}`}>
        <code>{job.jobId}</code>
      </Link>
    );
  }
  if (job.rayClusterName) {
    return <span title={t('list.notDiscovered')}>{t('list.onCluster', { cluster: job.rayClusterName })}</span>;
  }
  return <>—</>;
}

function RayJobRow({ job }: { job: RayJobSummary }) {
  const { t } = useT('kuberayJobs');
  return (
    <tr data-rayjob={job.name}>
      <td>
        <Link to={rayJobPagePath(job.namespace, job.name)}>{job.name}</Link>
        {job.suspend ? <span className="badge"> {t('detail.suspendedFlag')}</span> : null}
      </td>
      <td>{job.namespace}</td>
      <td>
        <RayJobStatus job={job} />
        {job.reason ? <span className="sub"> {job.reason}</span> : null}
      </td>
      <td>{job.jobStatus ?? '—'}</td>
      <td>{t('list.attempts', { failed: job.failed, succeeded: job.succeeded, limit: job.backoffLimit })}</td>
      <td>{job.startTime ? <time dateTime={job.startTime}>{formatDateTime(job.startTime)}</time> : '—'}</td>
      <td>
        <RayJobLink job={job} />
      </td>
    </tr>
  );
}
