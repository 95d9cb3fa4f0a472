import { Router } from 'express';
import type { SessionInfo } from '@ray-console/shared';
import type { CsrfTokens } from '../../session/csrf.js';
import type { ClusterCredentials } from '../../session/cluster-credentials.js';
import type { AuditRecorder } from '../../lib/audit.js';

export function sessionRouter(credentials: ClusterCredentials, csrf: CsrfTokens, audit: AuditRecorder): Router {
  const router = Router();

  router.get('/session', (req, res) => {
    const body: SessionInfo = { csrfToken: csrf.tokenFor(req, res), clusters: credentials.sessionClusters(req) };
    res.json(body);
  });

  router.post('/logout', async (req, res) => {
    // Read before the session is gone: each cluster it was signed in to gets its own sign-out event.
    const clusters = credentials.sessionClusters(req).map((c) => c.id);
    // The person too: once the session is destroyed it no longer says who signed out.
    const person = req.session.person;
    const recordAll = (outcome: 'success' | 'failure', reason: string) =>
      Promise.all(
        clusters.map((clusterId) =>
          audit.record(req, { clusterId, action: 'sign-out', outcome, reason, ...(person ? { person } : {}) }),
        ),
      );
    try {
      await credentials.signOutAll(req);
    } catch (err) {
      await recordAll('failure', 'unavailable');
      throw err;
    }
    await recordAll('success', 'user_all');
    res.status(204).end();
  });

  return router;
}
