import { Router } from 'express';
import { OPEN_GATE, type RoleGate } from '../../access/role-gate.js';
import type { ClusterAccess } from '../clusters/cluster-access.js';
import { getClusterResources } from './resources.service.js';

export function resourcesRouter(access: ClusterAccess, gate: RoleGate = OPEN_GATE): Router {
  const router = Router();
  router.get('/clusters/:clusterId/resources', gate.needs('viewer'), async (req, res) => {
    res.json(await access.run(req, getClusterResources));
  });
  return router;
}
