import { Router } from 'express';
import type { SessionInfo } from '@ray-console/shared';
import { csrfTokenOf } from '../../session/csrf.js';
import type { ClusterCredentials } from '../../session/cluster-credentials.js';

export function sessionRouter(credentials: ClusterCredentials): Router {
  const router = Router();

  router.get('/session', (req, res) => {
    const body: SessionInfo = { csrfToken: csrfTokenOf(req), clusters: credentials.sessionClusters(req) };
    res.json(body);
  });

  router.post('/logout', async (req, res) => {
    await credentials.signOutAll(req);
    res.status(204).end();
  });

  return router;
}
