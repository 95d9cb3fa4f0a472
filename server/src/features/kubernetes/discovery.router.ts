import { Router } from 'express';
import type { DiscoveryStatus } from '@ray-console/shared';
import type { DiscoveryStatusSource } from './kubernetes-discovery.js';

const DISABLED: DiscoveryStatus = { state: 'disabled', namespaces: [], clusterCount: 0 };

/** `GET /api/discovery`: whether Kubernetes discovery works, so the cluster list can say why clusters are missing. */
export function discoveryRouter(discovery: DiscoveryStatusSource | undefined): Router {
  const router = Router();
  router.get('/discovery', (_req, res) => {
    const body: DiscoveryStatus = discovery?.status() ?? DISABLED;
    res.json(body);
  });
  return router;
}
