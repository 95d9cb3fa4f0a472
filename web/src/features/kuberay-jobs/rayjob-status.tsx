import type { RayJobSummary } from '@ray-console/shared';

/** KubeRay's deployment statuses that mean "ended well", "ended badly", and the rest (on its way). */
const GOOD = new Set(['Complete']);
const BAD = new Set(['Failed', 'ValidationFailed']);

/** The deployment status as KubeRay wrote it, coloured by what it means; the Ray job's status beside it. */
export function RayJobStatus({ job }: { job: Pick<RayJobSummary, 'deploymentStatus' | 'jobStatus'> }) {
  const status = job.deploymentStatus;
  if (!status) return <span className="badge">—</span>;
  const tone = GOOD.has(status) ? ' badge-ok' : BAD.has(status) ? ' badge-bad' : '';
  return (
    <span className={`badge${tone}`} data-status={status}>
      {status}
    </span>
  );
}
