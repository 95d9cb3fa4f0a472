import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ActorSummary, FailedTask } from '@ray-console/shared';
import { ErrorPanel } from '../../../components/error-panel';
import { logPageHref } from '../../logs/log-link';
import { formatDateTime, formatNumber } from '../../../i18n/format';
import { useT } from '../../../i18n/use-t';
import { jobFailuresQuery } from '../debug-api';
import { exceptionLine } from './debug-view';
import { NodeLabel } from './node-label';

const PAGE = 100;

/** Failed task attempts and dead actors: error type, message, traceback, where it ran, and its log. */
export function FailuresSection({ clusterId, jobId }: { clusterId: string; jobId: string }) {
  const [limit, setLimit] = useState(PAGE);
  const failures = useQuery(jobFailuresQuery(clusterId, jobId, limit));
  const { t } = useT('debug');
  if (failures.isPending) return <p aria-busy="true">{t('failures.loading')}</p>;
  if (failures.isError && !failures.data)
    return <ErrorPanel error={failures.error} onRetry={() => void failures.refetch()} />;
  const data = failures.data!;
  return (
    <>
      <section aria-labelledby="failed-tasks-title">
        <h3 id="failed-tasks-title">{t('failures.failedTasks', { count: formatNumber(data.failedTasks.total) })}</h3>
        {data.failedTasks.items.length === 0 ? (
          <p className="muted">{t('failures.noFailedTasks')}</p>
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
          what={t('more.failedTasks')}
        />
      </section>
      <section aria-labelledby="dead-actors-title">
        <h3 id="dead-actors-title">{t('failures.deadActors', { count: formatNumber(data.deadActors.total) })}</h3>
        {data.deadActors.items.length === 0 ? (
          <p className="muted">{t('failures.noDeadActors')}</p>
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
          what={t('more.deadActors')}
        />
      </section>
    </>
  );
}

function FailedTaskItem({ clusterId, task }: { clusterId: string; task: FailedTask }) {
  const headingId = `failed-${task.taskId}-${task.attemptNumber}`;
  const line = exceptionLine(task.errorMessage, task.exceptionType);
  const at = line ? { find: line } : {};
  const { t } = useT('debug');
  return (
    <li className="failure" aria-labelledby={headingId} data-task-id={task.taskId}>
      <h4 id={headingId}>
        <code>{task.name}</code> · {task.exceptionType ?? task.errorType ?? t('failures.failed')}
        <span className="muted">
          {t('failures.attempt', { attempt: task.attemptNumber + 1 })}
          {task.retried ? t('failures.retried') : ''}
        </span>
      </h4>
      <dl className="details details-compact">
        <dt>{t('failures.fields.errorType')}</dt>
        <dd>{task.errorType ?? '—'}</dd>
        <dt>{t('failures.fields.node')}</dt>
        <dd>
          <NodeLabel nodeId={task.nodeId} nodeIp={task.nodeIp} />
        </dd>
        <dt>{t('failures.fields.worker')}</dt>
        <dd>
          {task.workerPid === undefined && !task.workerId ? '—' : null}
          {task.workerPid !== undefined ? `${t('failures.pid', { pid: task.workerPid })} ` : null}
          {task.workerId ? (
            <code className="sub" title={task.workerId}>
              {task.workerId.slice(0, 8)}
            </code>
          ) : null}
        </dd>
        <dt>{t('failures.fields.ended')}</dt>
        <dd>{formatDateTime(task.endTimeMs)}</dd>
        <dt>{t('failures.fields.taskId')}</dt>
        <dd>
          <code>{task.taskId}</code>
        </dd>
      </dl>
      {task.errorMessage ? (
        <details open>
          <summary>{t('failures.traceback')}</summary>
          <pre className="traceback" tabIndex={0} aria-label={t('failures.tracebackOf', { name: task.name })}>
            {task.errorMessage}
          </pre>
        </details>
      ) : null}
      <p className="link-row">
        {task.taskLog ? (
          <Link className="button button-small" to={logPageHref(clusterId, task.taskLog, at, task)}>
            {t('failures.attemptLog')}
          </Link>
        ) : null}
        {task.workerLog ? (
          <Link className="button button-small" to={logPageHref(clusterId, task.workerLog, at)}>
            {t('failures.workerErrLog')}
          </Link>
        ) : null}
      </p>
    </li>
  );
}

function DeadActorItem({ clusterId, actor }: { clusterId: string; actor: ActorSummary }) {
  const headingId = `dead-${actor.actorId}`;
  const { t } = useT('debug');
  return (
    <li className="failure" aria-labelledby={headingId} data-actor-id={actor.actorId}>
      <h4 id={headingId}>
        <code>{actor.className}</code>
        {actor.name ? <span> “{actor.name}”</span> : null} ·{' '}
        {actor.death ? t(`deathKinds.${actor.death.kind}`) : t('failures.dead')}
      </h4>
      <dl className="details details-compact">
        <dt>{t('failures.fields.node')}</dt>
        <dd>
          <NodeLabel nodeId={actor.nodeId} nodeIp={actor.nodeIp} />
        </dd>
        <dt>{t('failures.fields.worker')}</dt>
        <dd>{actor.pid !== undefined ? t('failures.pid', { pid: actor.pid }) : '—'}</dd>
        <dt>{t('failures.fields.restarts')}</dt>
        <dd>{formatNumber(actor.numRestarts)}</dd>
        <dt>{t('failures.fields.actorId')}</dt>
        <dd>
          <code>{actor.actorId}</code>
        </dd>
      </dl>
      {actor.death?.message ? (
        <details open>
          <summary>{t('failures.whyDied')}</summary>
          <pre className="traceback" tabIndex={0} aria-label={t('failures.whyDiedOf', { name: actor.className })}>
            {actor.death.message}
          </pre>
        </details>
      ) : null}
      {actor.log ? (
        <p className="link-row">
          <Link className="button button-small" to={logPageHref(clusterId, actor.log)}>
            {t('failures.actorLog')}
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
  const { t } = useT('debug');
  if (!truncated) return null;
  return (
    <p className="pager">
      <span className="muted">
        {t('more.showing', { shown: formatNumber(shown), total: formatNumber(total), what })}
      </span>
      {limit < 1000 ? (
        <button type="button" className="button button-small" onClick={() => onMore(Math.min(1000, limit * 2))}>
          {t('more.showMore')}
        </button>
      ) : (
        <span className="muted">{t('more.atMost')}</span>
      )}
    </p>
  );
}
