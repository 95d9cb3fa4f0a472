import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { JobStatus, JobType, isTerminalJobStatus, type JobSort, type JobSummary } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { useT } from '../../i18n/use-t';
import { useClusterPermissions, type Permissions } from '../clusters/permissions';
import { BulkActions } from './bulk-actions';
import { jobListQuery, type JobListParams } from './api';
import { formatDuration, formatTime, statusTone } from './format';

const SORTS: { value: JobSort; label: string }[] = [
  { value: '-startTime', label: 'Newest first' },
  { value: 'startTime', label: 'Oldest first' },
  { value: '-durationMs', label: 'Longest first' },
  { value: 'status', label: 'Status' },
  { value: 'id', label: 'Id' },
];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Every job of a cluster. The BFF filters, searches, sorts and pages, so the browser holds and draws
 * one page (50 rows) whether the cluster has fifty jobs or ten thousand.
 */
export function JobsPage() {
  const { clusterId = '' } = useParams();
  const [statuses, setStatuses] = useState<JobStatus[]>([]);
  const [type, setType] = useState<JobType | ''>('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<JobSort>('-startTime');
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [mine, setMine] = useState(false);
  const q = useDebounced(search.trim(), 250);
  const { t } = useT('roles');
  const permissions = useClusterPermissions(clusterId);
  // "Submitted by" and "my jobs" mean something only with a person signed in (OIDC).
  const withPeople = permissions.person !== undefined;

  const params: JobListParams = {
    ...(statuses.length > 0 ? { status: statuses } : {}),
    ...(type ? { type: [type] } : {}),
    ...(q ? { q } : {}),
    ...(mine && withPeople ? { mine: true } : {}),
    sort,
    ...(cursors.length > 0 ? { cursor: cursors[cursors.length - 1] } : {}),
  };
  const jobs = useQuery(jobListQuery(clusterId, params));

  // A new filter starts again at the first page, and a selection never spans filters.
  const resetPaging = () => {
    setCursors([]);
    setSelected(new Set());
  };
  const toggleStatus = (s: JobStatus) => {
    setStatuses((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
    resetPaging();
  };

  const items = jobs.data?.items ?? [];
  const selectedJobs = items.filter((j) => selected.has(j.id));
  const pageStart = cursors.length * 50;

  return (
    <section aria-labelledby="jobs-title">
      <div className="toolbar">
        <h2 id="jobs-title" style={{ margin: 0 }}>
          Jobs
        </h2>
        <span className="toolbar-gap" />
        {permissions.may('operator') ? (
          <Link className="button button-primary" to={`/clusters/${encodeURIComponent(clusterId)}/jobs/new`}>
            Submit a job
          </Link>
        ) : (
          <>
            <span className="role-note" id="submit-needs">
              {t('needs.operator')}
            </span>
            <button type="button" className="button button-primary" disabled aria-describedby="submit-needs">
              Submit a job
            </button>
          </>
        )}
      </div>
      <div className="filters" role="group" aria-label="Filter by status">
        {JobStatus.options.map((s) => (
          <button
            key={s}
            type="button"
            className="chip"
            aria-pressed={statuses.includes(s)}
            onClick={() => toggleStatus(s)}
          >
            {s} {jobs.data ? `(${jobs.data.statusCounts[s] ?? 0})` : ''}
          </button>
        ))}
        <label>
          <span className="visually-hidden">Job type</span>
          <select
            value={type}
            onChange={(e) => {
              setType(e.target.value as JobType | '');
              resetPaging();
            }}
          >
            <option value="">All types</option>
            <option value="SUBMISSION">Submitted jobs</option>
            <option value="DRIVER">Driver scripts</option>
          </select>
        </label>
        <label>
          <span className="visually-hidden">Search jobs</span>
          <input
            type="search"
            placeholder="Search ids, entrypoint, metadata"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              resetPaging();
            }}
          />
        </label>
        {withPeople ? (
          <label>
            <input
              type="checkbox"
              checked={mine}
              onChange={(e) => {
                setMine(e.target.checked);
                resetPaging();
              }}
            />{' '}
            {t('jobs.mine')}
          </label>
        ) : null}
        <label>
          <span className="visually-hidden">Sort</span>
          <select
            value={sort}
            onChange={(e) => {
              setSort(e.target.value as JobSort);
              resetPaging();
            }}
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
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
      {jobs.isPending ? <p aria-busy="true">Loading jobs…</p> : null}
      {jobs.data && items.length === 0 ? (
        <p className="panel">
          {jobs.data.total === 0 && !q && statuses.length === 0 && !type && !mine
            ? 'No jobs yet on this cluster.'
            : 'No job matches these filters.'}
        </p>
      ) : null}
      {items.length > 0 ? (
        <table className="table" aria-describedby="jobs-title" data-testid="jobs-table">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all jobs on this page"
                  checked={selectedJobs.length === items.length}
                  onChange={(e) => setSelected(e.target.checked ? new Set(items.map((j) => j.id)) : new Set())}
                />
              </th>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              {withPeople ? <th scope="col">{t('jobs.submittedBy')}</th> : null}
              <th scope="col">Entrypoint</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
              <th scope="col">Duration</th>
              <th scope="col">Message</th>
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
            {pageStart + 1}–{pageStart + items.length} of {jobs.data.total}
          </span>
          <button
            type="button"
            className="button button-small"
            disabled={cursors.length === 0}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Previous page
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={!jobs.data.nextCursor}
            onClick={() => jobs.data?.nextCursor && setCursors((c) => [...c, jobs.data.nextCursor!])}
          >
            Next page
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
  const mine =
    permissions.person !== undefined &&
    job.submittedBy?.issuer === permissions.person.issuer &&
    job.submittedBy.subject === permissions.person.subject;
  return (
    <tr data-job-id={job.id}>
      <td>
        <input
          type="checkbox"
          aria-label={`Select job ${job.id}`}
          checked={selected}
          onChange={(e) => onSelect(e.target.checked)}
        />
      </td>
      <td>
        <Link to={`/clusters/${encodeURIComponent(clusterId)}/jobs/${encodeURIComponent(job.id)}`}>{job.id}</Link>
        <span className="sub">
          {job.type === 'DRIVER' ? 'Driver script' : 'Submitted'}
          {job.jobId && job.jobId !== job.id ? ` · job ${job.jobId}` : ''}
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
      <td>{formatTime(job.startTime)}</td>
      <td>{formatTime(job.endTime)}</td>
      <td>{formatDuration(job.durationMs)}</td>
      <td>
        {job.status === 'FAILED' && job.errorType ? <strong>{job.errorType} </strong> : null}
        {isTerminalJobStatus(job.status) || job.status === 'PENDING' ? (job.message ?? '') : ''}
      </td>
    </tr>
  );
}
