import { Router } from 'express';
import type { ClustersRouterDeps } from '../clusters/clusters.router.js';
import type { PersonKubeOf } from '../../kubernetes/person-kube.js';
import { auditedSignIn } from '../clusters/keep-sign-in.js';
import { noTokenSecret, readTokenFromSecret, signInOptions, tokenSecretOf } from './secret-sign-in.js';

export interface SecretSignInRouterDeps extends ClustersRouterDeps {
  /** Kubernetes as the signed-in person (rejects with `kube_identity_required` when the console has none for them). */
  personKube: PersonKubeOf;
}

/**
 * `GET /clusters/:id/sign-in/options` and `POST /clusters/:id/sign-in/kubernetes-secret` ("Sign in as
 * me"). The same role gate, rate limit and audit as signing in with a pasted token.
 */
export function secretSignInRouter(deps: SecretSignInRouterDeps): Router {
  const { access, gate, personKube } = deps;
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
      const body = await auditedSignIn(
        deps,
        req,
        res,
        cluster,
        { tokenSource: 'kubernetes-secret' },
        async (source) => {
          const secret = tokenSecretOf(cluster);
          if (!secret) throw noTokenSecret(cluster);
          const kube = await personKube(req);
          source.kubeUser = kube.user;
          return readTokenFromSecret(kube, secret);
        },
      );
      res.json(body);
    },
  );

  return router;
}
