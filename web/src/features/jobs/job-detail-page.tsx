import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isTerminalJobStatus, type JobDetails } from '@ray-console/shared';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorBoundary } from '../../components/error-boundary';
import { ErrorPanel } from '../../components/error-panel';
import { SectionTabs, tabFromSearch } from '../../components/section-tabs';
import { jobDetailQuery, useDeleteJob, useStopJob } from './api';
import { useT } from '../../i18n/use-t';
import { useClusterPermissions } from '../clusters/permissions';
import { jobFailuresQuery, jobWaitsQuery } from './debug-api';
import { ActorsSection } from './debug/actors-section';
import { FailuresSection } from './debug/failures-section';
import { FirstFailurePanel } from './debug/first-failure';
import { ProgressSection } from './debug/progress-section';
import { WaitsSection } from './debug/waits-section';
import { CopyAsCli } from './cli-dialog';
import { formatDuration, formatTime, statusTone } from './format';
import { requestFromJob } from './request-from-job';
import { LogViewer } from '../logs/log-viewer';
import { logDownloadHref, useJobLog } from './use-job-log';

const SECTIONS = ['overview', 'failures', 'waiting', 'actors'] as const;
type Section = (typeof SECTIONS)[number];
/** The first page of failures and waits; the sections ask for the same, so they share one cached answer. */
const FIRST_PAGE = 100;

/**
 * One job at a deep link: what failed first, in plain words, then the job's progress, every field, the
 * actions and its log; its failures, waits and actors each in a section of their own (`?tab=`).
 */
export function JobDetailPage() {
  const { clusterId = '', jobId = '' } = useParams();
  const job = useQuery(jobDetailQuery(clusterId, jobId));
  if (job.isPending) return <p aria-busy="true">Loading the job…</p>;
  if (job.isError) return <ErrorPanel error={job.error} onRetry={() => void job.refetch()} />;
  return <JobDetailView clusterId={clusterId} job={job.data} />;
}

function JobDetailView({ clusterId, job }: { clusterId: string; job: JobDetails }) {
  const navigate = useNavigate();
  const stop = useStopJob(clusterId);
  const remove = useDeleteJob(clusterId);
  const [confirm, setConfirm] = useState<'stop' | 'delete' | undefined>();
  const [search] = useSearchParams();
  const section: Section = tabFromSearch(search.get('tab'), SECTIONS);
  const terminal = isTerminalJobStatus(job.status);
  const failures = useQuery(jobFailuresQuery(clusterId, job.id, FIRST_PAGE));
  const waits = useQuery({
    ...jobWaitsQuery(clusterId, job.id, FIRST_PAGE),
    enabled: !terminal || section === 'waiting',
  });
  const firstFailure = failures.data?.firstFailure;
  const firstFailedTask = failures.data?.failedTasks.items.find((t) => t.taskId === firstFailure?.taskId);
  const infeasibleWaits = waits.data?.waitingTasks.items.filter((t) => t.missingResources.length > 0) ?? [];
  const submitted = job.type === 'SUBMISSION';
  const base = `/clusters/${encodeURIComponent(clusterId)}`;
  const { t } = useT('roles');
  const permissions = useClusterPermissions(clusterId);
  // What this person may not do here, and why (with roles); undefined: they may.
  const cannotClone = permissions.may('operator') ? undefined : t('needs.operator');
  const cannotAct = permissions.mayActOn(job)
    ? undefined
    : permissions.may('operator')
      ? t('needs.ownJob')
      : t('needs.operator');

  return (
    <div className="job-detail">
      <p>
        <Link to={`${base}/jobs`}>← All jobs</Link>
      </p>
      <div className="toolbar">
        <h2 style={{ margin: 0 }}>
          <code>{job.id}</code>
        </h2>
        <span className={statusTone[job.status]} data-testid="job-status">
          {job.status}
        </span>
        <span className="toolbar-gap" />
        {submitted ? (
          <>
            {(cannotAct ?? cannotClone) ? (
              <span className="role-note" id="job-actions-note">
                {cannotAct ?? cannotClone}
              </span>
            ) : null}
            <button
              type="button"
              className="button"
              disabled={cannotClone !== undefined}
              title={cannotClone}
              onClick={() => void navigate(`${base}/jobs/new?clone=${encodeURIComponent(job.id)}`)}
            >
              Clone
            </button>
            <CopyAsCli clusterId={clusterId} request={requestFromJob(job)} />
            {!terminal ? (
              <button
                type="button"
                className="button button-danger"
                disabled={cannotAct !== undefined}
                title={cannotAct}
                onClick={() => setConfirm('stop')}
              >
                Stop
              </button>
            ) : (
              <button
                type="button"
                className="button button-danger"
                disabled={cannotAct !== undefined}
                title={cannotAct}
                onClick={() => setConfirm('delete')}
              >
                Delete
              </button>
            )}
          </>
        ) : null}
      </div>
      {stop.isError || remove.isError ? (
        <ErrorPanel error={stop.error ?? remove.error} title="The action failed" />
      ) : null}

      {firstFailure ? (
        <FirstFailurePanel
          clusterId={clusterId}
          failure={firstFailure}
          jobFailed={job.status === 'FAILED'}
          worker={firstFailedTask}
        />
      ) : job.status === 'FAILED' ? (
        <div className="panel panel-error" data-testid="failure">
          <strong>{job.errorType ?? 'Failed'}</strong>
          {job.driverExitCode !== undefined ? <span> · exit code {job.driverExitCode}</span> : null}
          <p>{job.message}</p>
        </div>
      ) : job.message ? (
        <p className="muted">{job.message}</p>
      ) : null}
      {!terminal && infeasibleWaits.length > 0 && section !== 'waiting' ? (
        <div className="panel panel-warning" role="status" data-testid="stuck-callout">
          <strong>
            {infeasibleWaits.length === 1 ? 'A task waits' : `${infeasibleWaits.length} tasks wait`} for resources no
            node has.
          </strong>{' '}
          {infeasibleWaits[0]!.explanation} <Link to={{ search: '?tab=waiting' }}>See what the job waits for</Link>
        </div>
      ) : null}

      <SectionTabs
        label="Job sections"
        current={section}
        tabs={[
          { key: 'overview', label: 'Overview' },
          {
            key: 'failures',
            label: 'Failures',
            count: failures.data ? failures.data.failedTasks.total + failures.data.deadActors.total : undefined,
          },
          { key: 'waiting', label: 'Waiting', count: waits.data?.waitingTasks.total },
          { key: 'actors', label: 'Actors' },
        ]}
      />
      {section === 'failures' ? (
        <ErrorBoundary title="The failures could not be shown">
          <FailuresSection clusterId={clusterId} jobId={job.id} />
        </ErrorBoundary>
      ) : section === 'waiting' ? (
        <ErrorBoundary title="What the job waits for could not be shown">
          <WaitsSection clusterId={clusterId} jobId={job.id} />
        </ErrorBoundary>
      ) : section === 'actors' ? (
        <ErrorBoundary title="The actors could not be shown">
          <ActorsSection clusterId={clusterId} jobId={job.id} terminal={terminal} />
        </ErrorBoundary>
      ) : (
        <JobOverview clusterId={clusterId} job={job} terminal={terminal} submitted={submitted} />
      )}

      <ConfirmDialog
        open={confirm !== undefined}
        title={confirm === 'stop' ? `Stop ${job.id}?` : `Delete ${job.id}?`}
        confirmLabel={confirm === 'stop' ? 'Stop job' : 'Delete job'}
        danger
        busy={stop.isPending || remove.isPending}
        onCancel={() => setConfirm(undefined)}
        onConfirm={() => {
          if (confirm === 'stop') stop.mutate(job.id, { onSettled: () => setConfirm(undefined) });
          else
            remove.mutate(job.id, {
              onSuccess: () => void navigate(`${base}/jobs`),
              onSettled: () => setConfirm(undefined),
            });
        }}
      >
        <p>
          {confirm === 'stop'
            ? 'Ray sends the job SIGTERM, then SIGKILL. Its work so far is lost.'
            : 'Ray forgets the job; its log stays on the cluster’s disk but can no longer be read here.'}
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** The overview section: the job's progress, its fields, and its log. */
function JobOverview({
  clusterId,
  job,
  terminal,
  submitted,
}: {
  clusterId: string;
  job: JobDetails;
  terminal: boolean;
  submitted: boolean;
}) {
  return (
    <>
      <ErrorBoundary title="The job's progress could not be shown">
        <ProgressSection clusterId={clusterId} jobId={job.id} ranFor={formatDuration(job.durationMs)} />
      </ErrorBoundary>
      <dl className="details">
        <dt>Entrypoint</dt>
        <dd>
          <code>{job.entrypoint}</code>
        </dd>
        <dt>Type</dt>
        <dd>{submitted ? 'Submitted through the Jobs API' : 'Driver script (started with ray.init())'}</dd>
        {job.submissionId ? (
          <>
            <dt>Submission id</dt>
            <dd>{job.submissionId}</dd>
          </>
        ) : null}
        {job.submittedBy ? <SubmittedByField name={job.submittedBy.name} /> : null}
        <dt>Job id</dt>
        <dd>{job.jobId ?? (terminal ? '—' : '— (the driver has not started yet)')}</dd>
        <dt>Started</dt>
        <dd>{formatTime(job.startTime)}</dd>
        <dt>Ended</dt>
        <dd>{formatTime(job.endTime)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(job.durationMs)}</dd>
        <dt>Driver exit code</dt>
        <dd data-testid="exit-code">{job.driverExitCode ?? '—'}</dd>
        {job.driverInfo ? (
          <>
            <dt>Driver</dt>
            <dd>
              pid {job.driverInfo.pid} on {job.driverInfo.nodeIpAddress}
            </dd>
          </>
        ) : null}
        {job.driverNodeId ? (
          <>
            <dt>Driver node</dt>
            <dd>
              <code>{job.driverNodeId}</code>
            </dd>
          </>
        ) : null}
        {job.driverAgentHttpAddress ? (
          <>
            <dt>Driver agent</dt>
            <dd>{job.driverAgentHttpAddress}</dd>
          </>
        ) : null}
      </dl>

      {job.metadata && Object.keys(job.metadata).length > 0 ? (
        <section aria-labelledby="metadata-title">
          <h3 id="metadata-title">Metadata</h3>
          <table className="table">
            <tbody>
              {Object.entries(job.metadata).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {job.runtimeEnv && Object.keys(job.runtimeEnv).length > 0 ? (
        <section aria-labelledby="runtime-env-title">
          <h3 id="runtime-env-title">Runtime environment</h3>
          <pre className="json">{JSON.stringify(job.runtimeEnv, null, 2)}</pre>
        </section>
      ) : null}

      <section aria-labelledby="log-title">
        <h3 id="log-title">Log</h3>
        {submitted ? (
          <ErrorBoundary title="The log could not be shown">
            <JobLog clusterId={clusterId} jobId={job.id} liveAtOpen={!terminal} />
          </ErrorBoundary>
        ) : (
          <p className="panel">
            Ray keeps no readable log for driver scripts through its Jobs API; see the driver's own output.
          </p>
        )}
      </section>
    </>
  );
}

/** Followed live if the job was running when the page opened; the whole log otherwise. */
function JobLog({ clusterId, jobId, liveAtOpen }: { clusterId: string; jobId: string; liveAtOpen: boolean }) {
  const [live] = useState(liveAtOpen);
  const { store, version } = useJobLog(clusterId, jobId, live);
  return <LogViewer store={store} version={version} downloadHref={logDownloadHref(clusterId, jobId)} />;
}

/** Who submitted the job through the console (OIDC), from the console's own metadata keys. */
function SubmittedByField({ name }: { name: string }) {
  const { t } = useT('roles');
  return (
    <>
      <dt>{t('jobs.submittedBy')}</dt>
      <dd data-testid="submitted-by">{name}</dd>
    </>
  );
}
