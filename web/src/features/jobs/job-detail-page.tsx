import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isTerminalJobStatus, type JobDetails } from '@ray-console/shared';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorBoundary } from '../../components/error-boundary';
import { ErrorPanel } from '../../components/error-panel';
import { SectionTabs, tabFromSearch } from '../../components/section-tabs';
import { formatDateTime, formatDuration } from '../../i18n/format';
import { useT } from '../../i18n/use-t';
import { jobDetailQuery, useDeleteJob, useStopJob } from './api';
import { useClusterPermissions } from '../clusters/permissions';
import { jobFailuresQuery, jobWaitsQuery } from './debug-api';
import { ActorsSection } from './debug/actors-section';
import { FailuresSection } from './debug/failures-section';
import { FirstFailurePanel } from './debug/first-failure';
import { ProgressSection } from './debug/progress-section';
import { WaitsSection } from './debug/waits-section';
import { CopyAsCli } from './cli-dialog';
import { statusTone } from './format';
import { requestFromJob } from './request-from-job';
import { LogViewer } from '../logs/log-viewer';
import { logDownloadHref, useJobLog } from './use-job-log';
import { useClusterTitle } from '../clusters/use-cluster-title';

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
  useClusterTitle('title.job', { id: jobId });
  const job = useQuery(jobDetailQuery(clusterId, jobId));
  const { t } = useT('jobs');
  if (job.isPending) return <p aria-busy="true">{t('detail.loading')}</p>;
  if (job.isError) return <ErrorPanel error={job.error} onRetry={() => void job.refetch()} />;
  return <JobDetailView clusterId={clusterId} job={job.data} />;
}

function JobDetailView({ clusterId, job }: { clusterId: string; job: JobDetails }) {
  const navigate = useNavigate();
  const { t } = useT('jobs');
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
  const roleText = useT('roles').t;
  const permissions = useClusterPermissions(clusterId);
  // What this person may not do here, and why (with roles); undefined: they may.
  const cannotClone = permissions.may('operator') ? undefined : roleText('needs.operator');
  const cannotAct = permissions.mayActOn(job)
    ? undefined
    : permissions.may('operator')
      ? roleText('needs.ownJob')
      : roleText('needs.operator');

  return (
    <div className="job-detail">
      <p>
        <Link to={`${base}/jobs`}>{t('detail.allJobs')}</Link>
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
              {t('detail.clone')}
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
                {t('detail.stop')}
              </button>
            ) : (
              <button
                type="button"
                className="button button-danger"
                disabled={cannotAct !== undefined}
                title={cannotAct}
                onClick={() => setConfirm('delete')}
              >
                {t('detail.delete')}
              </button>
            )}
          </>
        ) : null}
      </div>
      {stop.isError || remove.isError ? (
        <ErrorPanel error={stop.error ?? remove.error} title={t('detail.actionFailed')} />
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
          <strong>{job.errorType ?? t('detail.failed')}</strong>
          {job.driverExitCode !== undefined ? <span>{t('detail.exitCode', { code: job.driverExitCode })}</span> : null}
          <p>{job.message}</p>
        </div>
      ) : job.message ? (
        <p className="muted">{job.message}</p>
      ) : null}
      {!terminal && infeasibleWaits.length > 0 && section !== 'waiting' ? (
        <div className="panel panel-warning" role="status" data-testid="stuck-callout">
          <strong>{t('detail.stuck', { count: infeasibleWaits.length })}</strong>{' '}
          <span lang="en">{infeasibleWaits[0]!.explanation}</span>{' '}
          <Link to={{ search: '?tab=waiting' }}>{t('detail.seeWaits')}</Link>
        </div>
      ) : null}

      <SectionTabs
        label={t('detail.sections')}
        current={section}
        tabs={[
          { key: 'overview', label: t('detail.tabs.overview') },
          {
            key: 'failures',
            label: t('detail.tabs.failures'),
            count: failures.data ? failures.data.failedTasks.total + failures.data.deadActors.total : undefined,
          },
          { key: 'waiting', label: t('detail.tabs.waiting'), count: waits.data?.waitingTasks.total },
          { key: 'actors', label: t('detail.tabs.actors') },
        ]}
      />
      {section === 'failures' ? (
        <ErrorBoundary title={t('detail.failuresError')}>
          <FailuresSection clusterId={clusterId} jobId={job.id} />
        </ErrorBoundary>
      ) : section === 'waiting' ? (
        <ErrorBoundary title={t('detail.waitsError')}>
          <WaitsSection clusterId={clusterId} jobId={job.id} />
        </ErrorBoundary>
      ) : section === 'actors' ? (
        <ErrorBoundary title={t('detail.actorsError')}>
          <ActorsSection clusterId={clusterId} jobId={job.id} terminal={terminal} />
        </ErrorBoundary>
      ) : (
        <JobOverview clusterId={clusterId} job={job} terminal={terminal} submitted={submitted} />
      )}

      <ConfirmDialog
        open={confirm !== undefined}
        title={confirm === 'stop' ? t('detail.stopTitle', { id: job.id }) : t('detail.deleteTitle', { id: job.id })}
        confirmLabel={confirm === 'stop' ? t('detail.stopConfirm') : t('detail.deleteConfirm')}
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
        <p>{confirm === 'stop' ? t('bulk.stopText', { count: 1 }) : t('bulk.deleteText', { count: 1 })}</p>
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
  const { t } = useT('jobs');
  return (
    <>
      <ErrorBoundary title={t('detail.progressError')}>
        <ProgressSection clusterId={clusterId} jobId={job.id} ranFor={formatDuration(job.durationMs)} />
      </ErrorBoundary>
      <dl className="details">
        <dt>{t('detail.fields.entrypoint')}</dt>
        <dd>
          <code>{job.entrypoint}</code>
        </dd>
        <dt>{t('detail.fields.type')}</dt>
        <dd>{submitted ? t('detail.fields.typeSubmitted') : t('detail.fields.typeDriver')}</dd>
        {job.submissionId ? (
          <>
            <dt>{t('detail.fields.submissionId')}</dt>
            <dd>{job.submissionId}</dd>
          </>
        ) : null}
        {job.submittedBy ? <SubmittedByField name={job.submittedBy.name} /> : null}
        <dt>{t('detail.fields.jobId')}</dt>
        <dd>{job.jobId ?? (terminal ? '—' : t('detail.fields.jobIdPending'))}</dd>
        <dt>{t('detail.fields.started')}</dt>
        <dd>{formatDateTime(job.startTime)}</dd>
        <dt>{t('detail.fields.ended')}</dt>
        <dd>{formatDateTime(job.endTime)}</dd>
        <dt>{t('detail.fields.duration')}</dt>
        <dd>{formatDuration(job.durationMs)}</dd>
        <dt>{t('detail.fields.exitCode')}</dt>
        <dd data-testid="exit-code">{job.driverExitCode ?? '—'}</dd>
        {job.driverInfo ? (
          <>
            <dt>{t('detail.fields.driver')}</dt>
            <dd>{t('detail.fields.driverPid', { pid: job.driverInfo.pid, address: job.driverInfo.nodeIpAddress })}</dd>
          </>
        ) : null}
        {job.driverNodeId ? (
          <>
            <dt>{t('detail.fields.driverNode')}</dt>
            <dd>
              <code>{job.driverNodeId}</code>
            </dd>
          </>
        ) : null}
        {job.driverAgentHttpAddress ? (
          <>
            <dt>{t('detail.fields.driverAgent')}</dt>
            <dd>{job.driverAgentHttpAddress}</dd>
          </>
        ) : null}
      </dl>

      {job.metadata && Object.keys(job.metadata).length > 0 ? (
        <section aria-labelledby="metadata-title">
          <h3 id="metadata-title">{t('detail.metadata')}</h3>
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
          <h3 id="runtime-env-title">{t('detail.runtimeEnv')}</h3>
          <pre className="json">{JSON.stringify(job.runtimeEnv, null, 2)}</pre>
        </section>
      ) : null}

      <section aria-labelledby="log-title">
        <h3 id="log-title">{t('detail.log')}</h3>
        {submitted ? (
          <ErrorBoundary title={t('detail.logError')}>
            <JobLog clusterId={clusterId} jobId={job.id} liveAtOpen={!terminal} />
          </ErrorBoundary>
        ) : (
          <p className="panel">{t('detail.noDriverLog')}</p>
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
  const roleText = useT('roles').t;
  return (
    <>
      <dt>{roleText('jobs.submittedBy')}</dt>
      <dd data-testid="submitted-by">{name}</dd>
    </>
  );
}
