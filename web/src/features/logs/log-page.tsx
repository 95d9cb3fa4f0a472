import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorPanel } from '../../components/error-panel';
import { ApiError } from '../../lib/api-error';
import { logFilePaths } from './api';
import { logPageHref, logRefFromSearch, nodeLogsHref, type LogTarget } from './log-link';
import { LogViewer } from './log-viewer';
import { useLogFile } from './use-log-file';
import { useClusterTitle } from '../clusters/use-cluster-title';

/** What a log is, said for its heading. */
function logTitle(ref: LogTarget): string {
  if (ref.filename) return ref.filename;
  const stream = ref.suffix === 'err' ? 'errors (stderr)' : 'output (stdout)';
  if (ref.taskId) return `Task ${ref.taskId.slice(0, 12)}…, attempt ${(ref.attemptNumber ?? 0) + 1}: ${stream}`;
  return `Actor ${ref.actorId?.slice(0, 12) ?? ''}…: ${stream}`;
}

/**
 * One log at a deep link (`/logs/view?node=…&file=…`, `?task=…&attempt=…`, `?actor=…`), opened at a line
 * or a search (`&line=`, `&find=`), in the same viewer as job logs: the last lines, or followed live.
 */
export function LogPage() {
  const { clusterId = '' } = useParams();
  const [search] = useSearchParams();
  const target = logRefFromSearch(search);
  useClusterTitle(target ? 'title.log' : 'title.noLog', target ? { name: logTitle(target.ref) } : undefined);
  if (!target) {
    return (
      <p className="panel panel-error" role="alert">
        This link names no log. Open one from a node’s log list, a failed task or an actor.
      </p>
    );
  }
  const follow = search.get('follow') === '1';
  // Which log and how it is read are the key: a new log or mode remounts the viewer with a store of its
  // own. The place in the log (`find`, `line`) is not: moving in the log keeps the lines loaded.
  const key = new URLSearchParams(search);
  key.delete('find');
  key.delete('line');
  return (
    <LogView
      key={key.toString()}
      clusterId={clusterId}
      target={target.ref}
      follow={follow}
      {...(target.find ? { find: target.find } : {})}
      {...(target.worker ? { worker: target.worker } : {})}
    />
  );
}

function LogView({
  clusterId,
  target,
  follow,
  find,
  worker,
}: {
  clusterId: string;
  target: LogTarget;
  follow: boolean;
  find?: string;
  worker?: { nodeId: string; workerId: string };
}) {
  const paths = logFilePaths(clusterId, target);
  const { store, version, error, retrying } = useLogFile(paths, follow, {
    retryNotFound: target.taskId !== undefined || target.actorId !== undefined,
  });
  const here = (change: Partial<LogTarget>, opts: { follow?: boolean } = {}) => {
    const href = logPageHref(clusterId, { ...target, ...change }, find ? { find } : {}, worker);
    return opts.follow ? `${href}&follow=1` : href;
  };
  const unsupported = error instanceof ApiError && error.code === 'unsupported_by_ray_version';
  const title = logTitle(target);
  return (
    <div className="log-page">
      <p>
        {target.nodeId ? (
          <Link to={`/clusters/${encodeURIComponent(clusterId)}/logs?node=${encodeURIComponent(target.nodeId)}`}>
            ← Logs of this node
          </Link>
        ) : (
          <Link to={`/clusters/${encodeURIComponent(clusterId)}/logs`}>← Logs by node</Link>
        )}
      </p>
      <h2>
        <code>{title}</code>
      </h2>
      <div className="toolbar" role="group" aria-label="Which part of the log">
        {target.filename ? null : (
          <>
            <Link
              className="button button-small"
              aria-current={target.suffix !== 'err' ? 'page' : undefined}
              to={here({ suffix: 'out' })}
            >
              Output (stdout)
            </Link>
            <Link
              className="button button-small"
              aria-current={target.suffix === 'err' ? 'page' : undefined}
              to={here({ suffix: 'err' })}
            >
              Errors (stderr)
            </Link>
          </>
        )}
        <span className="toolbar-gap" />
        {follow ? (
          <Link className="button button-small" to={here({})}>
            Stop the live tail
          </Link>
        ) : (
          <Link className="button button-small" to={here({}, { follow: true })}>
            Live tail
          </Link>
        )}
      </div>
      {unsupported ? (
        <div className="panel panel-warning" role="status" data-testid="log-unsupported">
          <strong>This cluster’s Ray version cannot serve this log to the console.</strong>
          <p>{error.message}</p>
        </div>
      ) : retrying ? (
        <p className="muted" role="status" aria-busy="true">
          Ray has not indexed this log yet (it learns where a task wrote a moment after the task ends); asking again…
        </p>
      ) : error instanceof ApiError && error.code === 'not_found' && target.taskId ? (
        <div className="panel panel-warning" role="status" data-testid="task-log-unknown">
          <strong>Ray does not know where this task attempt wrote its output.</strong>
          <p>
            A worker tells Ray where a task’s lines are in its log files about once a second; a worker stopped right
            after its task (when the job ended, say) can take that last report with it. The worker’s own files are kept
            on its node.
          </p>
          {worker ? (
            <p>
              <Link className="button" to={nodeLogsHref(clusterId, worker.nodeId, worker.workerId, find)}>
                Open the worker’s files
              </Link>
            </p>
          ) : null}
        </div>
      ) : error && store.lines.length === 0 ? (
        <ErrorPanel error={error} title="The log could not be loaded" />
      ) : (
        <LogViewer store={store} version={version} downloadHref={paths.download} label={title} />
      )}
      {!follow && !unsupported ? (
        <p className="muted">
          Shows the last 5,000 lines; Download gives up to the last 50,000. The live tail shows new lines as they are
          written.
        </p>
      ) : null}
    </div>
  );
}
