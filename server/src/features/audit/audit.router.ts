import { Router } from 'express';
import { AuditQuery } from '@ray-console/shared';
import { parseInput } from '../../lib/parse.js';
import type { ClusterAccess } from '../clusters/cluster-access.js';
import type { AuditLog } from './audit-log.js';

/** `GET /clusters/:clusterId/audit`: only a session signed in to that cluster may read its trail. */
export function auditRouter(access: ClusterAccess, audit: AuditLog): Router {
  const router = Router();
  router.get('/clusters/:clusterId/audit', async (req, res) => {
    const query = parseInput(AuditQuery, req.query, 'audit query');
    // `run` refuses sessions not signed in to the cluster; the trail itself needs no call to Ray.
    const page = await access.run(req, ({ cluster }) => audit.page(cluster.id, query));
    res.json(page);
  });
  return router;
}
