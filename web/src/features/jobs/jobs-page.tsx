import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { JobStatus, JobType, isTerminalJobStatus, type JobSort, type JobSummary } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { BulkActions } from './bulk-actions';
import { jobListQuery } from './api';
import { jobListParams, jobListSearch, readJobListView, type JobListView } from './job-list-url';
import { useUrlText } from '../../lib/url-text';
import { formatDuration, formatTime, statusTone } from './format';
import { useClusterTitle } from '../clusters/use-cluster-title';

const SORTS: { value: JobSort; label: string }[] = [
  { value: '-startTime', label: 'Newest first' },
  { value: 'startTime', label: 'Oldest first' },
  { value: '-durationMs', label: 'Longest first' },
  { value: 'status', label: 'Status' },
  { value: 'id', label: 'Id' },
];

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
  const jobs = useQuery(jobListQuery(clusterId, jobListParams(view)));

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
          Jobs
        </h2>
        <span className="toolbar-gap" />
        <Link className="button button-primary" to={`/clusters/${encodeURIComponent(clusterId)}/jobs/new`}>
          Submit a job
        </Link>
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
          <select value={type} onChange={(e) => show({ type: e.target.value as JobType | '' })}>
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
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </label>
        <label>
          <span className="visually-hidden">Sort</span>
          <select value={sort} onChange={(e) => show({ sort: e.target.value as JobSort })}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>

      <BulkActions clusterId={clusterId} jobs={selectedJobs} onDone={() => setSelected(new Set())} />

      {jobs.isError ? <ErrorPanel error={jobs.error} onRetry={() => void jobs.refetch()} /> : null}
      {jobs.isPending ? <p aria-busy="true">Loading jobs…</p> : null}
      {jobs.data && items.length === 0 ? (
        <p className="panel">
          {jobs.data.total === 0 && !q && statuses.length === 0 && !type
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
            onClick={() => show({ cursors: cursors.slice(0, -1) })}
          >
            Previous page
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={!jobs.data.nextCursor}
            onClick={() => jobs.data?.nextCursor && show({ cursors: [...cursors, jobs.data.nextCursor] })}
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
  selected,
  onSelect,
}: {
  clusterId: string;
  job: JobSummary;
  selected: boolean;
  onSelect: (on: boolean) => void;
}) {
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
