import { useQuery } from '@tanstack/react-query';
import type { JobTaskSummary } from '@ray-console/shared';
import { ErrorPanel } from '../../../components/error-panel';
import { useT } from '../../../i18n/use-t';
import { StateBar } from '../../../components/state-bar';
import { jobTasksQuery } from '../debug-api';
import { TASK_STATES, doneShare, groupTimeText, progressSegments, retriesText, taskTypeText } from './debug-view';

/** The job's tasks grouped by function or class, with a progress bar; refreshes while the job runs. */
export function ProgressSection({
  clusterId,
  jobId,
  ranFor,
}: {
  clusterId: string;
  jobId: string;
  /** How long the job has run: Ray's task summary has no time per function, so the job's own is shown. */
  ranFor: string;
}) {
  const tasks = useQuery(jobTasksQuery(clusterId, jobId));
  return (
    <section aria-labelledby="progress-title" data-testid="progress">
      <h3 id="progress-title">Progress</h3>
      {tasks.isPending ? (
        <p aria-busy="true">Loading the job’s tasks…</p>
      ) : tasks.isError && !tasks.data ? (
        <ErrorPanel error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : (
        <ProgressView summary={tasks.data!} ranFor={ranFor} />
      )}
    </section>
  );
}

function ProgressView({ summary, ranFor }: { summary: JobTaskSummary; ranFor: string }) {
  const { t } = useT('taskTiming');
  if (summary.totals.total === 0) {
    return (
      <p className="muted">
        {summary.rayJobId
          ? 'This job has started no tasks or actors yet.'
          : 'The job’s driver has not started yet, so it has no tasks.'}
      </p>
    );
  }
  const share = Math.round(doneShare(summary.totals) * 100);
  // "Running for" counts from the first start to the moment of the answer (the page refetches while it runs).
  const now = summary.fetchedAt;
  return (
    <>
      <p>
        <strong>{share}%</strong> of {summary.totals.total.toLocaleString('en-US')} tasks have ended
        {summary.terminal ? ` · the job ran for ${ranFor}.` : ` · running for ${ranFor}, refreshing while it runs`}
      </p>
      <StateBar segments={progressSegments(summary.totals)} label="All tasks of the job" />
      <ul className="legend" aria-label="Tasks by state">
        {progressSegments(summary.totals).map((s) =>
          s.count > 0 ? (
            <li key={s.key}>
              <span className={`legend-swatch ${s.tone}`} aria-hidden="true" /> {s.label}:{' '}
              {s.count.toLocaleString('en-US')}
            </li>
          ) : null,
        )}
      </ul>
      {summary.truncated ? (
        <p className="panel panel-warning">
          Ray summarized fewer task attempts than this job has (it keeps a bounded number of task events), so these
          counts are lower bounds.
        </p>
      ) : null}
      <table className="table" data-testid="task-groups">
        <caption className="visually-hidden">Tasks by function or class</caption>
        <thead>
          <tr>
            <th scope="col">Function or class</th>
            <th scope="col">Kind</th>
            <th scope="col">Tasks</th>
            {TASK_STATES.map((s) => (
              <th scope="col" key={s.key}>
                {s.label}
              </th>
            ))}
            <th scope="col">Progress</th>
            <th scope="col">{t('column')}</th>
            <th scope="col">Retries</th>
          </tr>
        </thead>
        <tbody>
          {summary.groups.map((g) => (
            <tr key={`${g.type}:${g.name}`} data-group={g.name}>
              <th scope="row">
                <code>{g.name}</code>
              </th>
              <td>{taskTypeText(g.type)}</td>
              <td>{g.counts.total.toLocaleString('en-US')}</td>
              {TASK_STATES.map((s) => (
                <td key={s.key} className={g.counts[s.key] > 0 && s.key === 'failed' ? 'text-bad' : undefined}>
                  {g.counts[s.key].toLocaleString('en-US')}
                </td>
              ))}
              <td>
                <StateBar segments={progressSegments(g.counts)} label={`Tasks of ${g.name}`} />
              </td>
              <td
                data-testid="group-time"
                title={g.timing ? t('cellTitle', { count: g.timing.attemptsRead }) : undefined}
              >
                {groupTimeText(g, summary.terminal, now, t)}
              </td>
              <td>{retriesText(g, summary.retriesTruncated)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('footnote')}</p>
    </>
  );
}
