import { useT } from '../../../i18n/use-t';

/** A node as a reader recognizes it: its address, with the id (cut short) for telling nodes apart. */
export function NodeLabel({ nodeId, nodeIp }: { nodeId?: string | undefined; nodeIp?: string | undefined }) {
  const { t } = useT('debug');
  if (!nodeId && !nodeIp) return <span className="muted">—</span>;
  return (
    <span>
      {nodeIp ?? t('node')}{' '}
      {nodeId ? (
        <code className="sub" title={nodeId}>
          {nodeId.slice(0, 8)}
        </code>
      ) : null}
    </span>
  );
}
