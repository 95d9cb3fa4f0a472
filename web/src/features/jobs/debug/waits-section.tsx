import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { JobWaits } from '@ray-console/shared';
import { ErrorPanel } from '../../../components/error-panel';
import { formatBytes } from '../../resources/format';
import type { T } from '../../../i18n/catalogs';
import { formatNumber } from '../../../i18n/format';
import { useT } from '../../../i18n/use-t';
import { jobWaitsQuery } from '../debug-api';
import { demandText } from './debug-view';
import { MoreButton } from './failures-section';

const PAGE = 100;
const demandLine = (d: { count: number; resources: Record<string, number> }, t: T<'debug'>) =>
  t('waits.demandLine', { count: d.count, demand: demandText(d.resources, formatBytes, t) });

/** "Why is it stuck": what each waiting task waits for, the autoscaler's demands, unplaced placement groups. */
export function WaitsSection({ clusterId, jobId }: { clusterId: string; jobId: string }) {
  const [limit, setLimit] = useState(PAGE);
  const waits = useQuery(jobWaitsQuery(clusterId, jobId, limit));
  const { t } = useT('debug');
  if (waits.isPending) return <p aria-busy="true">{t('waits.loading')}</p>;
  if (waits.isError && !waits.data) return <ErrorPanel error={waits.error} onRetry={() => void waits.refetch()} />;
  const data = waits.data!;
  return (
    <>
      <section aria-labelledby="waiting-tasks-title">
        <h3 id="waiting-tasks-title">{t('waits.waitingTasks', { count: formatNumber(data.waitingTasks.total) })}</h3>
        {data.waitingTasks.items.length === 0 ? (
          <p className="muted">{data.terminal ? t('waits.ended') : t('waits.none')}</p>
        ) : (
          <table className="table" data-testid="waiting-tasks">
            <caption className="visually-hidden">{t('waits.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('waits.columns.task')}</th>
                <th scope="col">{t('waits.columns.waitsFor')}</th>
                <th scope="col">{t('waits.columns.asksFor')}</th>
                <th scope="col">{t('waits.columns.why')}</th>
              </tr>
            </thead>
            <tbody>
              {data.waitingTasks.items.map((task) => (
                <tr key={`${task.taskId}:${task.attemptNumber}`} data-task-id={task.taskId}>
                  <th scope="row">
                    <code>{task.name}</code>
                    <span className="sub muted">{task.state}</span>
                  </th>
                  <td>{t(`waits.waitsFor.${task.waitsFor}`)}</td>
                  <td>{task.requiredResources ? demandText(task.requiredResources, formatBytes, t) : '—'}</td>
                  <td className={task.missingResources.length > 0 ? 'text-bad' : undefined} lang="en">
                    {task.explanation}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <MoreButton
          shown={data.waitingTasks.items.length}
          total={data.waitingTasks.total}
          truncated={data.waitingTasks.truncated}
          limit={limit}
          onMore={setLimit}
          what={t('more.waitingTasks')}
        />
      </section>
      <AutoscalerDemands data={data} />
      {data.placementGroups.length > 0 ? (
        <section aria-labelledby="pgs-title">
          <h3 id="pgs-title">{t('waits.pgs')}</h3>
          <ul>
            {data.placementGroups.map((pg) => (
              <li key={pg.placementGroupId}>
                <code>{pg.name || pg.placementGroupId.slice(0, 12)}</code> ({pg.state}
                {pg.strategy ? `, ${pg.strategy}` : ''}): {pg.explanation}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function AutoscalerDemands({ data }: { data: JobWaits }) {
  const { t } = useT('debug');
  return (
    <section aria-labelledby="demands-title">
      <h3 id="demands-title">{t('waits.cannotGive')}</h3>
      {!data.autoscalerReport ? (
        <p className="muted">{t('waits.noReport')}</p>
      ) : data.infeasible.length === 0 && data.pending.length === 0 ? (
        <p className="muted">{t('waits.noDemand')}</p>
      ) : (
        <>
          {data.infeasible.length > 0 ? (
            <div className="panel panel-error" data-testid="infeasible">
              <strong>{t('waits.infeasible')}</strong>
              <ul>
                {data.infeasible.map((d, i) => (
                  <li key={i}>{demandLine(d, t)}</li>
                ))}
              </ul>
              <p>{t('waits.infeasibleNext')}</p>
            </div>
          ) : null}
          {data.pending.length > 0 ? (
            <div className="panel panel-warning">
              <strong>{t('waits.pending')}</strong>
              <ul>
                {data.pending.map((d, i) => (
                  <li key={i}>{demandLine(d, t)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <p className="muted">{t('waits.wholeCluster')}</p>
        </>
      )}
    </section>
  );
}
