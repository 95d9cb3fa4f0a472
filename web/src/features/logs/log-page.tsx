import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorPanel, ErrorText } from '../../components/error-panel';
import type { T } from '../../i18n/catalogs';
import { useT } from '../../i18n/use-t';
import { ApiError } from '../../lib/api-error';
import { logFilePaths } from './api';
import { logPageHref, logRefFromSearch, nodeLogsHref, type LogTarget } from './log-link';
import { LogViewer } from './log-viewer';
import { useLogFile } from './use-log-file';
import { useClusterTitle } from '../clusters/use-cluster-title';

/** What a log is, said for its heading. */
function logTitle(ref: LogTarget, t: T<'logs'>): string {
  if (ref.filename) return ref.filename;
  const stream = ref.suffix === 'err' ? t('page.stderr') : t('page.stdout');
  if (ref.taskId)
    return t('page.taskTitle', { id: ref.taskId.slice(0, 12), attempt: (ref.attemptNumber ?? 0) + 1, stream });
  return t('page.actorTitle', { id: ref.actorId?.slice(0, 12) ?? '', stream });
}

/**
 * One log at a deep link (`/logs/view?node=…&file=…`, `?task=…&attempt=…`, `?actor=…`), opened at a line
 * or a search (`&line=`, `&find=`), in the same viewer as job logs: the last lines, or followed live.
 */
export function LogPage() {
  const { clusterId = '' } = useParams();
  const [search] = useSearchParams();
  const target = logRefFromSearch(search);
  const { t } = useT('logs');
  useClusterTitle(target ? 'title.log' : 'title.noLog', target ? { name: logTitle(target.ref, t) } : undefined);
  if (!target) {
    return (
      <p className="panel panel-error" role="alert">
        {t('page.noTarget')}
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
  const { t } = useT('logs');
  const { store, version, error, retrying } = useLogFile(paths, follow, {
    retryNotFound: target.taskId !== undefined || target.actorId !== undefined,
  });
  const here = (change: Partial<LogTarget>, opts: { follow?: boolean } = {}) => {
    const href = logPageHref(clusterId, { ...target, ...change }, find ? { find } : {}, worker);
    return opts.follow ? `${href}&follow=1` : href;
  };
  const unsupported = error instanceof ApiError && error.code === 'unsupported_by_ray_version';
  const title = logTitle(target, t);
  return (
    <div className="log-page">
      <p>
        {target.nodeId ? (
          <Link to={`/clusters/${encodeURIComponent(clusterId)}/logs?node=${encodeURIComponent(target.nodeId)}`}>
            {t('page.backToNode')}
          </Link>
        ) : (
          <Link to={`/clusters/${encodeURIComponent(clusterId)}/logs`}>{t('page.backToNodes')}</Link>
        )}
      </p>
      <h2>
        <code>{title}</code>
      </h2>
      <div className="toolbar" role="group" aria-label={t('page.whichPart')}>
        {target.filename ? null : (
          <>
            <Link
              className="button button-small"
              aria-current={target.suffix !== 'err' ? 'page' : undefined}
              to={here({ suffix: 'out' })}
            >
              {t('page.output')}
            </Link>
            <Link
              className="button button-small"
              aria-current={target.suffix === 'err' ? 'page' : undefined}
              to={here({ suffix: 'err' })}
            >
              {t('page.errors')}
            </Link>
          </>
        )}
        <span className="toolbar-gap" />
        {follow ? (
          <Link className="button button-small" to={here({})}>
            {t('page.stopTail')}
          </Link>
        ) : (
          <Link className="button button-small" to={here({}, { follow: true })}>
            {t('page.liveTail')}
          </Link>
        )}
      </div>
      {unsupported ? (
        <div className="panel panel-warning" role="status" data-testid="log-unsupported">
          <strong>{t('page.unsupported')}</strong>
          <p>
            <ErrorText error={error} />
          </p>
        </div>
      ) : retrying ? (
        <p className="muted" role="status" aria-busy="true">
          {t('page.notIndexed')}
        </p>
      ) : error instanceof ApiError && error.code === 'not_found' && target.taskId ? (
        <div className="panel panel-warning" role="status" data-testid="task-log-unknown">
          <strong>{t('page.taskUnknown')}</strong>
          <p>{t('page.taskUnknownWhy')}</p>
          {worker ? (
            <p>
              <Link className="button" to={nodeLogsHref(clusterId, worker.nodeId, worker.workerId, find)}>
                {t('page.openWorkerFiles')}
              </Link>
            </p>
          ) : null}
        </div>
      ) : error && store.lines.length === 0 ? (
        <ErrorPanel error={error} title={t('page.loadFailed')} />
      ) : (
        <LogViewer store={store} version={version} downloadHref={paths.download} label={title} />
      )}
      {!follow && !unsupported ? <p className="muted">{t('page.limits')}</p> : null}
    </div>
  );
}
