import { Router } from 'express';
import type { SessionInfo, SignOutResponse } from '@ray-console/shared';
import type { CsrfTokens } from '../../session/csrf.js';
import type { ClusterCredentials } from '../../session/cluster-credentials.js';
import type { AuditRecorder } from '../../lib/audit.js';
import type { OidcIdentity } from '../../identity/oidc-identity.js';

export function sessionRouter(
  credentials: ClusterCredentials,
  csrf: CsrfTokens,
  audit: AuditRecorder,
  identity?: OidcIdentity,
  /** How the console acts on Kubernetes as the person (issue 12); undefined when it does not. */
  kubeActAs?: SessionInfo['kubernetes'],
): Router {
  const router = Router();

  router.get('/session', (req, res) => {
    const body: SessionInfo = {
      csrfToken: csrf.tokenFor(req, res),
      clusters: credentials.sessionClusters(req),
      ...(req.session.person ? { person: req.session.person } : {}),
      ...(kubeActAs ? { kubernetes: kubeActAs } : {}),
    };
    res.json(body);
  });

  router.post('/logout', async (req, res) => {
    // Read before the session is gone: each cluster it was signed in to gets its own sign-out event.
    const clusters = credentials.sessionClusters(req).map((c) => c.id);
    // The person too: once the session is destroyed it no longer says who signed out.
    const person = req.session.person;
    const idToken = req.session.oidcIdToken;
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
    if (!identity) return void res.status(204).end();
    if (person) await audit.recordPerson(req, { action: 'sign-out', outcome: 'success', reason: 'user', person });
    // The console's session is over; the provider's ends when the browser opens this (id_token_hint
    // lets the provider end it without asking again).
    const signOutUrl = await identity.signOutUrl(idToken);
    const body: SignOutResponse = signOutUrl ? { signOutUrl } : {};
    res.json(body);
  });

  return router;
}
