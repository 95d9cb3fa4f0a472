import { useQuery } from '@tanstack/react-query';
import { useT } from '../../i18n/use-t';
import { rayClusterProgressQuery } from './api';
import { summaryText } from './summary-text';

/**
 * A discovered cluster's one-line progress on the cluster list, while it is not ready: what it waits
 * for (read as the person, so it says nothing when they may not read it: the readiness badge beside it
 * still does).
 */
export function ProgressLine({ namespace, name }: { namespace: string; name: string }) {
  const { t } = useT('kuberayCluster');
  const progress = useQuery(rayClusterProgressQuery(namespace, name));
  if (!progress.data || progress.data.ready) return null;
  return <p className="cluster-problem muted">{summaryText(progress.data.summary, t)}</p>;
}
