import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ActorSummary, FailedTask } from '@ray-console/shared';
import { ErrorPanel } from '../../../components/error-panel';
import { logPageHref } from '../../logs/log-link';
import { formatTime } from '../format';
import { jobFailuresQuery } from '../debug-api';
import { exceptionLine } from './debug-view';
import { NodeLabel } from './node-label';

const PAGE = 100;

/** Failed task attempts and dead actors: error type, message, traceback, where it ran, and its log. */
export function FailuresSection({ clusterId, jobId }: { clusterId: string; jobId: string }) {
  const [limit, setLimit] = useState(PAGE);
  const failures = useQuery(jobFailuresQuery(clusterId, jobId, limit));
  if (failures.isPending) return <p aria-busy="true">Loading failures…</p>;
  if (failures.isError && !failures.data)
    return <ErrorPanel error={failures.error} onRetry={() => void failures.refetch()} />;
  const data = failures.data!;
  return (
    <>
      <section aria-labelledby="failed-tasks-title">
        <h3 id="failed-tasks-title">Failed tasks ({data.failedTasks.total.toLocaleString('en-US')})</h3>
        {data.failedTasks.items.length === 0 ? (
          <p className="muted">No task of this job has failed.</p>
        ) : (
          <ul className="failure-list" data-testid="failed-tasks">
            {data.failedTasks.items.map((t) => (
              <FailedTaskItem key={`${t.taskId}:${t.attemptNumber}`} clusterId={clusterId} task={t} />
            ))}
          </ul>
        )}
        <MoreButton
          shown={data.failedTasks.items.length}
          total={data.failedTasks.total}
          truncated={data.failedTasks.truncated}
          limit={limit}
          onMore={setLimit}
          what="failed tasks"
        />
      </section>
      <section aria-labelledby="dead-actors-title">
        <h3 id="dead-actors-title">Dead actors ({data.deadActors.total.toLocaleString('en-US')})</h3>
        {data.deadActors.items.length === 0 ? (
          <p className="muted">No actor of this job has died.</p>
        ) : (
          <ul className="failure-list" data-testid="dead-actors">
            {data.deadActors.items.map((a) => (
              <DeadActorItem key={a.actorId} clusterId={clusterId} actor={a} />
            ))}
          </ul>
        )}
        <MoreButton
          shown={data.deadActors.items.length}
          total={data.deadActors.total}
          truncated={data.deadActors.truncated}
          limit={limit}
          onMore={setLimit}
          what="dead actors"
        />
      </section>
    </>
  );
}

function FailedTaskItem({ clusterId, task }: { clusterId: string; task: FailedTask }) {
  const headingId = `failed-${task.taskId}-${task.attemptNumber}`;
  const line = exceptionLine(task.errorMessage, task.exceptionType);
  const at = line ? { find: line } : {};
  return (
    <li className="failure" aria-labelledby={headingId} data-task-id={task.taskId}>
      <h4 id={headingId}>
        <code>{task.name}</code> · {task.exceptionType ?? task.errorType ?? 'Failed'}
        <span className="muted">
          {' '}
          · attempt {task.attemptNumber + 1}
          {task.retried ? ' (Ray retried it)' : ''}
        </span>
      </h4>
      <dl className="details details-compact">
        <dt>Error type</dt>
        <dd>{task.errorType ?? '—'}</dd>
        <dt>Node</dt>
        <dd>
          <NodeLabel nodeId={task.nodeId} nodeIp={task.nodeIp} />
        </dd>
        <dt>Worker</dt>
        <dd>
          {task.workerPid === undefined && !task.workerId ? '—' : null}
          {task.workerPid !== undefined ? `pid ${task.workerPid} ` : null}
          {task.workerId ? (
            <code className="sub" title={task.workerId}>
              {task.workerId.slice(0, 8)}
            </code>
          ) : null}
        </dd>
        <dt>Ended</dt>
        <dd>{formatTime(task.endTimeMs)}</dd>
        <dt>Task id</dt>
        <dd>
          <code>{task.taskId}</code>
        </dd>
      </dl>
      {task.errorMessage ? (
        <details open>
          <summary>Traceback</summary>
          <pre className="traceback" tabIndex={0} aria-label={`Traceback of ${task.name}`}>
            {task.errorMessage}
          </pre>
        </details>
      ) : null}
      <p className="link-row">
        {task.taskLog ? (
          <Link className="button button-small" to={logPageHref(clusterId, task.taskLog, at, task)}>
            Log of this attempt
          </Link>
        ) : null}
        {task.workerLog ? (
          <Link className="button button-small" to={logPageHref(clusterId, task.workerLog, at)}>
            Worker’s error log
          </Link>
        ) : null}
      </p>
    </li>
  );
}

function DeadActorItem({ clusterId, actor }: { clusterId: string; actor: ActorSummary }) {
  const headingId = `dead-${actor.actorId}`;
  return (
    <li className="failure" aria-labelledby={headingId} data-actor-id={actor.actorId}>
      <h4 id={headingId}>
        <code>{actor.className}</code>
        {actor.name ? <span> “{actor.name}”</span> : null} · {actor.death?.kind.replace(/_/g, ' ') ?? 'dead'}
      </h4>
      <dl className="details details-compact">
        <dt>Node</dt>
        <dd>
          <NodeLabel nodeId={actor.nodeId} nodeIp={actor.nodeIp} />
        </dd>
        <dt>Worker</dt>
        <dd>{actor.pid !== undefined ? `pid ${actor.pid}` : '—'}</dd>
        <dt>Restarts</dt>
        <dd>{actor.numRestarts}</dd>
        <dt>Actor id</dt>
        <dd>
          <code>{actor.actorId}</code>
        </dd>
      </dl>
      {actor.death?.message ? (
        <details open>
          <summary>Why it died</summary>
          <pre className="traceback" tabIndex={0} aria-label={`Why ${actor.className} died`}>
            {actor.death.message}
          </pre>
        </details>
      ) : null}
      {actor.log ? (
        <p className="link-row">
          <Link className="button button-small" to={logPageHref(clusterId, actor.log)}>
            Actor’s log
          </Link>
        </p>
      ) : null}
    </li>
  );
}

/** Lists are bounded; a reader asks for more, up to the BFF's limit of 1,000. */
export function MoreButton({
  shown,
  total,
  truncated,
  limit,
  onMore,
  what,
}: {
  shown: number;
  total: number;
  truncated: boolean;
  limit: number;
  onMore: (limit: number) => void;
  what: string;
}) {
  if (!truncated) return null;
  return (
    <p className="pager">
      <span className="muted">
        Showing {shown.toLocaleString('en-US')} of {total.toLocaleString('en-US')} {what}.
      </span>
      {limit < 1000 ? (
        <button type="button" className="button button-small" onClick={() => onMore(Math.min(1000, limit * 2))}>
          Show more
        </button>
      ) : (
        <span className="muted"> The console shows at most 1,000.</span>
      )}
    </p>
  );
}
