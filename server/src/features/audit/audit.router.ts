import { Router } from 'express';
import { AuditQuery } from '@ray-console/shared';
import { OPEN_GATE, type RoleGate } from '../../access/role-gate.js';
import { parseInput } from '../../lib/parse.js';
import type { ClusterAccess } from '../clusters/cluster-access.js';
import type { AuditLog } from './audit-log.js';

/**
 * `GET /clusters/:clusterId/audit`: only a session signed in to that cluster may read its trail, and
 * with per-cluster roles only an admin of it.
 */
export function auditRouter(access: ClusterAccess, audit: AuditLog, gate: RoleGate = OPEN_GATE): Router {
  const router = Router();
  router.get('/clusters/:clusterId/audit', gate.needs('admin', 'audit.read'), async (req, res) => {
    const query = parseInput(AuditQuery, req.query, 'audit query');
    // `run` refuses sessions not signed in to the cluster; the trail itself needs no call to Ray.
    const page = await access.run(req, ({ cluster }) => audit.page(cluster.id, query));
    res.json(page);
  });
  return router;
}
