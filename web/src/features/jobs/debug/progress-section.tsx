import { useQuery } from '@tanstack/react-query';
import type { JobTaskSummary } from '@ray-console/shared';
import { ErrorPanel } from '../../../components/error-panel';
import { StateBar } from '../../../components/state-bar';
import { formatNumber, formatPercent } from '../../../i18n/format';
import { Rich, useT } from '../../../i18n/use-t';
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
  const { t } = useT('debug');
  return (
    <section aria-labelledby="progress-title" data-testid="progress">
      <h3 id="progress-title">{t('progress.title')}</h3>
      {tasks.isPending ? (
        <p aria-busy="true">{t('progress.loading')}</p>
      ) : tasks.isError && !tasks.data ? (
        <ErrorPanel error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : (
        <ProgressView summary={tasks.data!} ranFor={ranFor} />
      )}
    </section>
  );
}

function ProgressView({ summary, ranFor }: { summary: JobTaskSummary; ranFor: string }) {
  const { t } = useT('debug');
  const timing = useT('taskTiming').t;
  if (summary.totals.total === 0) {
    return <p className="muted">{summary.rayJobId ? t('progress.noTasks') : t('progress.noDriver')}</p>;
  }
  const segments = progressSegments(summary.totals, t);
  // "Running for" counts from the first start to the moment of the answer (the page refetches while it runs).
  const now = summary.fetchedAt;
  return (
    <>
      <p>
        <Rich
          ns="debug"
          k="progress.ended"
          values={{ share: formatPercent(doneShare(summary.totals)), total: summary.totals.total }}
          components={{ strong: <strong /> }}
        />
        {summary.terminal ? t('progress.ranFor', { duration: ranFor }) : t('progress.runningFor', { duration: ranFor })}
      </p>
      <StateBar segments={segments} label={t('progress.allTasks')} />
      <ul className="legend" aria-label={t('progress.byState')}>
        {segments.map((s) =>
          s.count > 0 ? (
            <li key={s.key}>
              <span className={`legend-swatch ${s.tone}`} aria-hidden="true" />{' '}
              {t('progress.legend', { label: s.label, count: formatNumber(s.count) })}
            </li>
          ) : null,
        )}
      </ul>
      {summary.truncated ? <p className="panel panel-warning">{t('progress.truncated')}</p> : null}
      <table className="table" data-testid="task-groups">
        <caption className="visually-hidden">{t('progress.byGroup')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('progress.columns.name')}</th>
            <th scope="col">{t('progress.columns.kind')}</th>
            <th scope="col">{t('progress.columns.tasks')}</th>
            {TASK_STATES.map((s) => (
              <th scope="col" key={s.key}>
                {t(`states.${s.key}`)}
              </th>
            ))}
            <th scope="col">{t('progress.columns.progress')}</th>
            <th scope="col">{timing('column')}</th>
            <th scope="col">{t('progress.columns.retries')}</th>
          </tr>
        </thead>
        <tbody>
          {summary.groups.map((g) => (
            <tr key={`${g.type}:${g.name}`} data-group={g.name}>
              <th scope="row">
                <code>{g.name}</code>
              </th>
              <td>{taskTypeText(g.type, t)}</td>
              <td>{formatNumber(g.counts.total)}</td>
              {TASK_STATES.map((s) => (
                <td key={s.key} className={g.counts[s.key] > 0 && s.key === 'failed' ? 'text-bad' : undefined}>
                  {formatNumber(g.counts[s.key])}
                </td>
              ))}
              <td>
                <StateBar segments={progressSegments(g.counts, t)} label={t('progress.tasksOf', { name: g.name })} />
              </td>
              <td
                data-testid="group-time"
                title={g.timing ? timing('cellTitle', { count: g.timing.attemptsRead }) : undefined}
              >
                {groupTimeText(g, summary.terminal, now, timing)}
              </td>
              <td>{retriesText(g, t, summary.retriesTruncated)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{timing('footnote')}</p>
    </>
  );
}
