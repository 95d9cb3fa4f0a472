import { Router, type RequestHandler } from 'express';
import { LoginRequest, type ClusterList, type LoginResponse } from '@ray-console/shared';
import { parseInput } from '../../lib/parse.js';
import type { ClusterCredentials } from '../../session/cluster-credentials.js';
import type { ClusterAccess } from './cluster-access.js';
import type { ClusterRegistry } from './cluster-registry.js';
import { verifyToken } from './sign-in.service.js';

export interface ClustersRouterDeps {
  registry: ClusterRegistry;
  credentials: ClusterCredentials;
  access: ClusterAccess;
  loginRateLimit: RequestHandler;
}

export function clustersRouter({ registry, credentials, access, loginRateLimit }: ClustersRouterDeps): Router {
  const router = Router();

  router.get('/clusters', async (req, res) => {
    const clusters = registry.list();
    const modes = await Promise.all(clusters.map((c) => registry.authMode(c)));
    const body: ClusterList = clusters.map((c, i) => {
      const reason = credentials.signOutReason(req, c.id);
      return {
        id: c.id,
        displayName: c.displayName,
        authMode: modes[i] ?? 'unknown',
        signedIn: credentials.get(req, c.id) !== undefined,
        ...(c.tokenHint ? { tokenHint: c.tokenHint } : {}),
        ...(reason ? { signOutReason: reason } : {}),
      };
    });
    res.json(body);
  });

  router.post('/clusters/:clusterId/login', loginRateLimit, async (req, res) => {
    const cluster = access.cluster(req);
    const { token } = parseInput(LoginRequest, req.body ?? {}, 'sign-in request');
    const verified = await verifyToken(registry.client(cluster), token);
    registry.rememberAuthMode(cluster.id, verified.authMode);
    await credentials.signIn(req, cluster.id, verified);
    const body: LoginResponse = { id: cluster.id, rayVersion: verified.rayVersion, authMode: verified.authMode };
    res.json(body);
  });

  router.post('/clusters/:clusterId/logout', async (req, res) => {
    const cluster = access.cluster(req);
    await credentials.signOut(req, cluster.id);
    res.status(204).end();
  });

  return router;
}
