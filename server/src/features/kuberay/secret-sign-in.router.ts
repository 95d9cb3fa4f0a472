import { Router, type RequestHandler } from 'express';
import type { RoleGate } from '../../access/role-gate.js';
import { isAppError } from '../../lib/app-error.js';
import type { AuditRecorder } from '../../lib/audit.js';
import type { PersonKubeOf } from '../../kubernetes/person-kube.js';
import type { ClusterCredentials } from '../../session/cluster-credentials.js';
import type { CsrfTokens } from '../../session/csrf.js';
import type { ClusterAccess } from '../clusters/cluster-access.js';
import type { ClusterRegistry } from '../clusters/cluster-registry.js';
import { keepSignIn, refuseWhenSignInOff } from '../clusters/keep-sign-in.js';
import { verifyToken } from '../clusters/sign-in.service.js';
import { noTokenSecret, readTokenFromSecret, signInOptions, tokenSecretOf } from './secret-sign-in.js';

export interface SecretSignInRouterDeps {
  registry: ClusterRegistry;
  credentials: ClusterCredentials;
  csrf: CsrfTokens;
  access: ClusterAccess;
  audit: AuditRecorder;
  loginRateLimit: RequestHandler;
  gate: RoleGate;
  /** Kubernetes as the signed-in person (rejects with `kube_identity_required` when the console has none for them). */
  personKube: PersonKubeOf;
}

/**
 * `GET /clusters/:id/sign-in/options` and `POST /clusters/:id/sign-in/kubernetes-secret` ("Sign in as
 * me"). The same role gate, rate limit and audit as signing in with a pasted token.
 */
export function secretSignInRouter(deps: SecretSignInRouterDeps): Router {
  const { registry, access, audit, gate, personKube } = deps;
  const router = Router();

  router.get('/clusters/:clusterId/sign-in/options', gate.needs('viewer'), async (req, res) => {
    const cluster = access.cluster(req);
    res.json(await signInOptions(cluster, () => personKube(req)));
  });

  router.post(
    '/clusters/:clusterId/sign-in/kubernetes-secret',
    deps.loginRateLimit,
    gate.needs('viewer', 'sign-in'),
    async (req, res) => {
      const cluster = access.cluster(req);
      let kubernetesUser: string | undefined;
      try {
        refuseWhenSignInOff(cluster);
        const secret = tokenSecretOf(cluster);
        if (!secret) throw noTokenSecret(cluster);
        const kube = await personKube(req);
        kubernetesUser = kube.user;
        const token = await readTokenFromSecret(kube, secret);
        const verified = await verifyToken(registry.client(cluster), token);
        const body = await keepSignIn(deps, req, res, cluster, verified);
        await audit.record(req, {
          clusterId: cluster.id,
          action: 'sign-in',
          outcome: 'success',
          tokenSource: 'kubernetes-secret',
          kubernetesUser,
        });
        res.json(body);
      } catch (err) {
        // As for a pasted token: the reason is the error code, never a message (nor anything read from the Secret).
        await audit.record(req, {
          clusterId: cluster.id,
          action: 'sign-in',
          outcome: 'failure',
          reason: isAppError(err) ? err.code : 'internal',
          tokenSource: 'kubernetes-secret',
          ...(kubernetesUser ? { kubernetesUser } : {}),
        });
        throw err;
      }
    },
  );

  return router;
}
