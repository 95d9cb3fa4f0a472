import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  JobStatus,
  JobType,
  isTerminalJobStatus,
  samePerson,
  type JobSort,
  type JobSummary,
} from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { formatDateTime, formatDuration, formatNumber } from '../../i18n/format';
import { useT } from '../../i18n/use-t';
import { useClusterPermissions, type Permissions } from '../clusters/permissions';
import { BulkActions } from './bulk-actions';
import { jobListQuery } from './api';
import { jobListParams, jobListSearch, readJobListView, type JobListView } from './job-list-url';
import { useUrlText } from '../../lib/url-text';
import { statusTone } from './format';
import { useClusterTitle } from '../clusters/use-cluster-title';

const SORTS = [
  { value: '-startTime', label: 'list.sorts.newest' },
  { value: 'startTime', label: 'list.sorts.oldest' },
  { value: '-durationMs', label: 'list.sorts.longest' },
  { value: 'status', label: 'list.sorts.status' },
  { value: 'id', label: 'list.sorts.id' },
] as const satisfies readonly { value: JobSort; label: string }[];

/**
 * Every job of a cluster. The BFF filters, searches, sorts and pages, so the browser holds and draws
 * one page (50 rows) whether the cluster has fifty jobs or ten thousand. The filters, the search, the
 * sort and the page live in the URL (job-list-url.ts), so a link shows someone else the same list and
 * Back returns to the previous page or filter.
 */
export function JobsPage() {
  const { clusterId = '' } = useParams();
  useClusterTitle('title.jobs');
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const view = readJobListView(search);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const permissions = useClusterPermissions(clusterId);
  // "Submitted by" and "my jobs" mean something only with a person signed in (OIDC).
  const withPeople = permissions.person !== undefined;
  const jobs = useQuery(jobListQuery(clusterId, jobListParams(view, withPeople)));
  const { t } = useT('jobs');
  const roleText = useT('roles').t;

  // A deliberate change (a filter, the sort, a page) is a new history entry; typing in the search box
  // replaces the current one. A new filter starts again at the first page, and a selection never spans filters.
  const show = (change: Partial<JobListView>, options: { replace?: boolean } = {}) => {
    const next = { ...view, cursors: [], ...change };
    void navigate({ search: `?${jobListSearch(next).toString()}` }, options);
    if (!('cursors' in change)) setSelected(new Set());
  };
  const [searchText, setSearchText] = useUrlText(view.q, (text) => show({ q: text }, { replace: true }), 250);
  const { statuses, type, sort, cursors } = view;
  const q = view.q.trim();
  const toggleStatus = (s: JobStatus) =>
    show({ statuses: statuses.includes(s) ? statuses.filter((x) => x !== s) : [...statuses, s] });

  const items = jobs.data?.items ?? [];
  const selectedJobs = items.filter((j) => selected.has(j.id));
  const pageStart = cursors.length * 50;

  return (
    <section aria-labelledby="jobs-title">
      <div className="toolbar">
        <h2 id="jobs-title" style={{ margin: 0 }}>
          {t('list.title')}
        </h2>
        <span className="toolbar-gap" />
        {permissions.may('operator') ? (
          <Link className="button button-primary" to={`/clusters/${encodeURIComponent(clusterId)}/jobs/new`}>
            {t('list.submit')}
          </Link>
        ) : (
          <>
            <span className="role-note" id="submit-needs">
              {roleText('needs.operator')}
            </span>
            <button type="button" className="button button-primary" disabled aria-describedby="submit-needs">
              {t('list.submit')}
            </button>
          </>
        )}
      </div>
      <div className="filters" role="group" aria-label={t('list.filterByStatus')}>
        {JobStatus.options.map((s) => (
          <button
            key={s}
            type="button"
            className="chip"
            aria-pressed={statuses.includes(s)}
            onClick={() => toggleStatus(s)}
          >
            {jobs.data ? t('list.statusCount', { status: s, count: formatNumber(jobs.data.statusCounts[s] ?? 0) }) : s}
          </button>
        ))}
        <label>
          <span className="visually-hidden">{t('list.type')}</span>
          <select value={type} onChange={(e) => show({ type: e.target.value as JobType | '' })}>
            <option value="">{t('list.allTypes')}</option>
            <option value="SUBMISSION">{t('list.submittedJobs')}</option>
            <option value="DRIVER">{t('list.driverScripts')}</option>
          </select>
        </label>
        <label>
          <span className="visually-hidden">{t('list.search')}</span>
          <input
            type="search"
            placeholder={t('list.searchPlaceholder')}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </label>
        {withPeople ? (
          <label>
            <input type="checkbox" checked={view.mine} onChange={(e) => show({ mine: e.target.checked })} />{' '}
            {roleText('jobs.mine')}
          </label>
        ) : null}
        <label>
          <span className="visually-hidden">{t('list.sort')}</span>
          <select value={sort} onChange={(e) => show({ sort: e.target.value as JobSort })}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {t(s.label)}
              </option>
            ))}
          </select>
        </label>
      </div>

      <BulkActions
        clusterId={clusterId}
        jobs={selectedJobs}
        permissions={permissions}
        onDone={() => setSelected(new Set())}
      />

      {jobs.isError ? <ErrorPanel error={jobs.error} onRetry={() => void jobs.refetch()} /> : null}
      {jobs.isPending ? <p aria-busy="true">{t('list.loading')}</p> : null}
      {jobs.data && items.length === 0 ? (
        <p className="panel">
          {jobs.data.total === 0 && !q && statuses.length === 0 && !type && !view.mine
            ? t('list.none')
            : t('list.noMatch')}
        </p>
      ) : null}
      {items.length > 0 ? (
        <table className="table" aria-describedby="jobs-title" data-testid="jobs-table">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t('list.selectAll')}
                  checked={selectedJobs.length === items.length}
                  onChange={(e) => setSelected(e.target.checked ? new Set(items.map((j) => j.id)) : new Set())}
                />
              </th>
              <th scope="col">{t('list.columns.job')}</th>
              <th scope="col">{t('list.columns.status')}</th>
              {withPeople ? <th scope="col">{roleText('jobs.submittedBy')}</th> : null}
              <th scope="col">{t('list.columns.entrypoint')}</th>
              <th scope="col">{t('list.columns.started')}</th>
              <th scope="col">{t('list.columns.ended')}</th>
              <th scope="col">{t('list.columns.duration')}</th>
              <th scope="col">{t('list.columns.message')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((job) => (
              <JobRow
                key={job.id}
                clusterId={clusterId}
                job={job}
                withPeople={withPeople}
                permissions={permissions}
                selected={selected.has(job.id)}
                onSelect={(on) =>
                  setSelected((cur) => {
                    const next = new Set(cur);
                    if (on) next.add(job.id);
                    else next.delete(job.id);
                    return next;
                  })
                }
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {jobs.data && jobs.data.total > 0 ? (
        <div className="pager">
          <span className="muted">
            {t('list.range', {
              from: formatNumber(pageStart + 1),
              to: formatNumber(pageStart + items.length),
              total: formatNumber(jobs.data.total),
            })}
          </span>
          <button
            type="button"
            className="button button-small"
            disabled={cursors.length === 0}
            onClick={() => show({ cursors: cursors.slice(0, -1) })}
          >
            {t('list.previous')}
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={!jobs.data.nextCursor}
            onClick={() => jobs.data?.nextCursor && show({ cursors: [...cursors, jobs.data.nextCursor] })}
          >
            {t('list.next')}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function JobRow({
  clusterId,
  job,
  withPeople,
  permissions,
  selected,
  onSelect,
}: {
  clusterId: string;
  job: JobSummary;
  withPeople: boolean;
  permissions: Permissions;
  selected: boolean;
  onSelect: (on: boolean) => void;
}) {
  const { t } = useT('jobs');
  const mine = samePerson(job.submittedBy, permissions.person);
  return (
    <tr data-job-id={job.id}>
      <td>
        <input
          type="checkbox"
          aria-label={t('list.selectJob', { id: job.id })}
          checked={selected}
          onChange={(e) => onSelect(e.target.checked)}
        />
      </td>
      <td>
        <Link to={`/clusters/${encodeURIComponent(clusterId)}/jobs/${encodeURIComponent(job.id)}`}>{job.id}</Link>
        <span className="sub">
          {job.type === 'DRIVER' ? t('list.driverScript') : t('list.submitted')}
          {job.jobId && job.jobId !== job.id ? t('list.rayJobId', { id: job.jobId }) : ''}
        </span>
      </td>
      <td>
        <span className={statusTone[job.status]}>{job.status}</span>
      </td>
      {withPeople ? (
        <td data-testid="submitted-by">
          {job.submittedBy ? mine ? <strong>{job.submittedBy.name}</strong> : job.submittedBy.name : '—'}
        </td>
      ) : null}
      <td className="entrypoint" title={job.entrypoint}>
        {job.entrypoint}
      </td>
      <td>{formatDateTime(job.startTime)}</td>
      <td>{formatDateTime(job.endTime)}</td>
      <td>{formatDuration(job.durationMs)}</td>
      <td>
        {job.status === 'FAILED' && job.errorType ? <strong>{job.errorType} </strong> : null}
        {isTerminalJobStatus(job.status) || job.status === 'PENDING' ? (job.message ?? '') : ''}
      </td>
    </tr>
  );
}
