import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { JobWaits } from '@ray-console/shared';
import { ErrorPanel } from '../../../components/error-panel';
import { formatBytes } from '../../resources/format';
import { jobWaitsQuery } from '../debug-api';
import { demandText } from './debug-view';
import { MoreButton } from './failures-section';

const PAGE = 100;
const demandLine = (d: { count: number; resources: Record<string, number> }) =>
  `${d.count === 1 ? '1 request' : `${d.count.toLocaleString('en-US')} requests`} for ${demandText(d.resources, formatBytes)}`;

const waitsForText = {
  resources: 'Resources',
  arguments: 'Arguments',
  object_store: 'Object store memory',
  other: 'Other',
};

/** "Why is it stuck": what each waiting task waits for, the autoscaler's demands, unplaced placement groups. */
export function WaitsSection({ clusterId, jobId }: { clusterId: string; jobId: string }) {
  const [limit, setLimit] = useState(PAGE);
  const waits = useQuery(jobWaitsQuery(clusterId, jobId, limit));
  if (waits.isPending) return <p aria-busy="true">Loading what the job waits for…</p>;
  if (waits.isError && !waits.data) return <ErrorPanel error={waits.error} onRetry={() => void waits.refetch()} />;
  const data = waits.data!;
  return (
    <>
      <section aria-labelledby="waiting-tasks-title">
        <h3 id="waiting-tasks-title">Waiting tasks ({data.waitingTasks.total.toLocaleString('en-US')})</h3>
        {data.waitingTasks.items.length === 0 ? (
          <p className="muted">
            {data.terminal ? 'The job has ended; nothing waits.' : 'No task of this job is waiting.'}
          </p>
        ) : (
          <table className="table" data-testid="waiting-tasks">
            <caption className="visually-hidden">Tasks of the job that wait, and what for</caption>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Waits for</th>
                <th scope="col">Asks for</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {data.waitingTasks.items.map((t) => (
                <tr key={`${t.taskId}:${t.attemptNumber}`} data-task-id={t.taskId}>
                  <th scope="row">
                    <code>{t.name}</code>
                    <span className="sub muted">{t.state}</span>
                  </th>
                  <td>{waitsForText[t.waitsFor]}</td>
                  <td>{t.requiredResources ? demandText(t.requiredResources, formatBytes) : '—'}</td>
                  <td className={t.missingResources.length > 0 ? 'text-bad' : undefined}>{t.explanation}</td>
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
          what="waiting tasks"
        />
      </section>
      <AutoscalerDemands data={data} />
      {data.placementGroups.length > 0 ? (
        <section aria-labelledby="pgs-title">
          <h3 id="pgs-title">Placement groups not yet placed</h3>
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
  return (
    <section aria-labelledby="demands-title">
      <h3 id="demands-title">What the cluster cannot give right now</h3>
      {!data.autoscalerReport ? (
        <p className="muted">The head gave no autoscaler report, so cluster-wide demands are unknown.</p>
      ) : data.infeasible.length === 0 && data.pending.length === 0 ? (
        <p className="muted">The autoscaler reports no waiting demand.</p>
      ) : (
        <>
          {data.infeasible.length > 0 ? (
            <div className="panel panel-error" data-testid="infeasible">
              <strong>Requests no node of this cluster can ever satisfy</strong>
              <ul>
                {data.infeasible.map((d, i) => (
                  <li key={i}>{demandLine(d)}</li>
                ))}
              </ul>
              <p>
                They wait until a node with these resources joins. Add such a node (or a node type the autoscaler may
                start), or ask for less.
              </p>
            </div>
          ) : null}
          {data.pending.length > 0 ? (
            <div className="panel panel-warning">
              <strong>Requests waiting for resources to free up or nodes to start</strong>
              <ul>
                {data.pending.map((d, i) => (
                  <li key={i}>{demandLine(d)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <p className="muted">Ray reports these for the whole cluster, not per job.</p>
        </>
      )}
    </section>
  );
}
