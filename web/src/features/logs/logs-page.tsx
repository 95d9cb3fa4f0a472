import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { NodeLogList } from '@ray-console/shared';
import { useUrlText } from '../../lib/url-text';
import { ErrorBoundary } from '../../components/error-boundary';
import { ErrorPanel } from '../../components/error-panel';
import { formatNumber } from '../../i18n/format';
import { Rich, useT } from '../../i18n/use-t';
import { resourcesQuery } from '../resources/api';
import { nodeLogsQuery } from './api';
import { logPageHref } from './log-link';
import { useClusterTitle } from '../clusters/use-cluster-title';

/** The logs browser: pick a node, then one of the files Ray lists on it, grouped by what wrote it. */
export function LogsPage() {
  const { clusterId = '' } = useParams();
  useClusterTitle('title.logs');
  const [search] = useSearchParams();
  const resources = useQuery(resourcesQuery(clusterId));
  const nodes = resources.data?.nodes ?? [];
  const selected = search.get('node') ?? nodes.find((n) => n.isHead)?.nodeId;
  const { t } = useT('logs');
  return (
    <div className="logs-browser">
      <h2>{t('browser.title')}</h2>
      {resources.isPending ? (
        <p aria-busy="true">{t('browser.loadingNodes')}</p>
      ) : resources.isError && !resources.data ? (
        <ErrorPanel error={resources.error} onRetry={() => void resources.refetch()} />
      ) : (
        <nav className="tabs section-tabs" aria-label={t('browser.nodes')}>
          {nodes.map((n) => (
            <Link
              key={n.nodeId}
              to={{ search: `?node=${encodeURIComponent(n.nodeId)}` }}
              aria-current={n.nodeId === selected ? 'page' : undefined}
              className={n.nodeId === selected ? 'active' : undefined}
            >
              {n.ip} {n.isHead ? t('browser.head') : ''}
              {n.state !== 'ALIVE' ? ` · ${n.state}` : ''}
            </Link>
          ))}
        </nav>
      )}
      <LogByIdForm clusterId={clusterId} />
      {selected ? (
        <ErrorBoundary title={t('browser.listFailed')}>
          <NodeLogs key={selected} clusterId={clusterId} nodeId={selected} find={search.get('find') ?? undefined} />
        </ErrorBoundary>
      ) : null}
    </div>
  );
}

function NodeLogs({ clusterId, nodeId, find }: { clusterId: string; nodeId: string; find?: string | undefined }) {
  const logs = useQuery(nodeLogsQuery(clusterId, nodeId));
  const { t } = useT('logs');
  const [search] = useSearchParams();
  const navigate = useNavigate();
  // The filter is in the URL (`filter`), so a link lists the same files; typing replaces the history entry.
  const [filter, setFilter] = useUrlText(
    search.get('filter') ?? '',
    (text) => {
      const next = new URLSearchParams(search);
      if (text) next.set('filter', text);
      else next.delete('filter');
      void navigate({ search: `?${next.toString()}` }, { replace: true });
    },
    250,
  );
  if (logs.isPending) return <p aria-busy="true">{t('browser.loadingFiles')}</p>;
  if (logs.isError && !logs.data) return <ErrorPanel error={logs.error} onRetry={() => void logs.refetch()} />;
  return (
    <section aria-labelledby="node-logs-title">
      <h3 id="node-logs-title">
        <Rich
          ns="logs"
          k="browser.filesOn"
          values={{ id: nodeId.slice(0, 12) }}
          components={{ code: <code title={nodeId} /> }}
        />
      </h3>
      <div className="field">
        <label htmlFor="log-file-filter">{t('browser.filter')}</label>
        <input
          id="log-file-filter"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder={t('browser.filterPlaceholder')}
        />
      </div>
      <LogGroups clusterId={clusterId} nodeId={nodeId} list={logs.data!} filter={filter} find={find} />
    </section>
  );
}

function LogGroups({
  clusterId,
  nodeId,
  list,
  filter,
  find,
}: {
  clusterId: string;
  nodeId: string;
  list: NodeLogList;
  filter: string;
  find?: string | undefined;
}) {
  const { t } = useT('logs');
  const needle = filter.trim().toLowerCase();
  const groups = list.groups
    .map((g) => ({ ...g, shown: needle ? g.files.filter((f) => f.toLowerCase().includes(needle)) : g.files }))
    .filter((g) => g.shown.length > 0);
  if (groups.length === 0) {
    return <p className="muted">{needle ? t('browser.noMatch') : t('browser.noFiles')}</p>;
  }
  return (
    <div className="log-groups" data-testid="log-groups">
      {groups.map((g) => (
        <details key={g.group} open={g.shown.length <= 30 || needle !== ''}>
          <summary>
            {t(g.truncated ? 'browser.groupTruncated' : 'browser.group', {
              name: t(`browser.groups.${g.group}`),
              count: formatNumber(g.shown.length),
            })}
          </summary>
          <ul className="file-list">
            {g.shown.map((f) => (
              <li key={f}>
                <Link to={logPageHref(clusterId, { nodeId, filename: f }, find ? { find } : {})}>{f}</Link>
              </li>
            ))}
          </ul>
        </details>
      ))}
    </div>
  );
}

/** Ray's task ids are 48 hex digits (24 bytes), actor ids 32 (16 bytes). */
const TASK_ID = /^[0-9a-f]{48}$/i;
const ACTOR_ID = /^[0-9a-f]{32}$/i;

/** Opens a task's or an actor's log by its id, as `ray logs task --id` or `ray logs actor --id` would. */
function LogByIdForm({ clusterId }: { clusterId: string }) {
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const [problem, setProblem] = useState<string>();
  const inputId = useId();
  const problemId = useId();
  const { t } = useT('logs');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = id.trim();
    if (TASK_ID.test(value)) void navigate(logPageHref(clusterId, { taskId: value.toLowerCase() }));
    else if (ACTOR_ID.test(value)) void navigate(logPageHref(clusterId, { actorId: value.toLowerCase() }));
    else setProblem(t('browser.badId'));
  };
  return (
    <form className="input-row log-by-id" onSubmit={submit} noValidate>
      <label htmlFor={inputId}>{t('browser.byId')}</label>
      <input
        id={inputId}
        value={id}
        onChange={(e) => {
          setId(e.target.value);
          setProblem(undefined);
        }}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
      />
      <button type="submit" className="button">
        {t('browser.open')}
      </button>
      {problem ? (
        <p id={problemId} className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
