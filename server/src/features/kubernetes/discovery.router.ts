import { Router } from 'express';
import type { DiscoveryState, DiscoveryStatus } from '@ray-console/shared';
import type { DiscoveryStatusSource } from './kubernetes-discovery.js';

const DISABLED: DiscoveryStatus = { state: 'disabled', namespaces: [], clusterCount: 0 };

/**
 * What an anonymous visitor reads instead of a failure's details. The details name the API server's
 * address and quote its answer (which names the console's service account): a map of the cluster's
 * inside for whoever can reach the sign-in page. They go to the console's log and to signed-in users.
 */
const SUMMARY: Partial<Record<DiscoveryState, string>> = {
  forbidden: 'Kubernetes discovery is not permitted to list RayClusters.',
  unauthorized: "The Kubernetes API server does not accept the console's credentials.",
  unreachable: 'The Kubernetes API server cannot be reached; the console keeps trying.',
  error: 'Kubernetes discovery fails.',
};
const MORE =
  'Sign in to a cluster, or read the console log, for the details. Clusters configured by hand keep working.';

function withoutDetails(status: DiscoveryStatus): DiscoveryStatus {
  if (status.message === undefined) return status;
  return { ...status, message: `${SUMMARY[status.state] ?? 'Kubernetes discovery reports a problem.'} ${MORE}` };
}

/**
 * `GET /api/discovery`: whether Kubernetes discovery works, so the cluster list can say why clusters are
 * missing. The details of a failure only reach sessions signed in to a cluster, unless `details` is
 * `everyone` (DISCOVERY_DETAILS).
 */
export function discoveryRouter(
  discovery: DiscoveryStatusSource | undefined,
  { details = 'signed-in' }: { details?: 'signed-in' | 'everyone' } = {},
): Router {
  const router = Router();
  router.get('/discovery', (req, res) => {
    const status: DiscoveryStatus = discovery?.status() ?? DISABLED;
    const signedIn = Object.keys(req.session?.clusters ?? {}).length > 0;
    res.json(details === 'everyone' || signedIn ? status : withoutDetails(status));
  });
  return router;
}
