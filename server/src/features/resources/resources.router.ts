import { Router } from 'express';
import type { ClusterAccess } from '../clusters/cluster-access.js';
import { getClusterResources } from './resources.service.js';

export function resourcesRouter(access: ClusterAccess): Router {
  const router = Router();
  router.get('/clusters/:clusterId/resources', async (req, res) => {
    res.json(await access.run(req, getClusterResources));
  });
  return router;
}
