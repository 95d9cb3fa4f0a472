import { Router, type Request } from 'express';
import { KubeCanI, KubeCanIQuery, KubeIdentity, KubeTokenPaste } from '@ray-console/shared';
import type { KubeIdentityConfig } from '../../config.js';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { AuditRecorder } from '../../lib/audit.js';
import { parseInput } from '../../lib/parse.js';
import { KubeTokenCheck } from '../../kubernetes/person-kube-of.js';
import type { PersonKubeOf } from '../../kubernetes/person-kube.js';
import { jwtExpiry, type KubeTokens } from '../../session/kube-tokens.js';

/**
 * `GET /api/kubernetes/identity`: whose Kubernetes identity the console acts with for this person, or
 * how to get one. `PUT /api/kubernetes/identity/token` (KUBERNETES_ACT_AS=token): a pasted Kubernetes
 * token, checked with the API server and sealed in the session; `DELETE` forgets it. The token is never
 * in any answer, log line or audit event; the audit names the person and the Kubernetes user.
 */
export function kubeIdentityRouter(deps: {
  mode: KubeIdentityConfig['mode'] | 'off';
  personKube: PersonKubeOf;
  kubeTokens: KubeTokens;
  audit: AuditRecorder;
  identityConfig?: KubeIdentityConfig;
}): Router {
  const router = Router();
  const check = deps.mode === 'token' && deps.identityConfig ? new KubeTokenCheck(deps.identityConfig) : undefined;

  const describe = async (req: Request): Promise<KubeIdentity> => {
    const { mode } = deps;
    if (mode === 'off') return { mode: 'none', configured: 'off', enable: 'configure' };
    if (mode === 'token') {
      const held = deps.kubeTokens.describe(req);
      if (!held || (held.expiresAt !== undefined && held.expiresAt <= Date.now())) {
        if (held) await deps.kubeTokens.forget(req);
        return { mode: 'none', configured: 'token', enable: 'paste_token' };
      }
      return {
        mode: 'token',
        configured: 'token',
        user: held.user,
        groups: held.groups,
        ...(held.expiresAt !== undefined ? { expiresAt: new Date(held.expiresAt).toISOString() } : {}),
      };
    }
    try {
      const kube = await deps.personKube(req);
      return { mode: kube.mode, configured: mode, user: kube.user, groups: [...kube.groups] };
    } catch (err) {
      if (isAppError(err, 'kube_identity_required')) return { mode: 'none', configured: mode, enable: 'sign_in' };
      throw err;
    }
  };

  router.get('/kubernetes/identity', async (req, res) => {
    res.json(KubeIdentity.parse(await describe(req)));
  });

  router.get('/kubernetes/identity/can-i', async (req, res) => {
    const query = parseInput(KubeCanIQuery, req.query, 'question');
    const kube = await deps.personKube(req);
    const allowed = await kube.allowed(query.verb, query.kind, query.namespace, query.name);
    res.json(KubeCanI.parse({ allowed }));
  });

  router.put('/kubernetes/identity/token', async (req, res) => {
    if (!check) {
      throw new AppError(
        'conflict',
        deps.mode === 'off'
          ? 'This console does not act on Kubernetes for people (KUBERNETES_ACT_AS=off).'
          : `This console acts on Kubernetes ${deps.mode === 'kubeconfig' ? 'with its kubeconfig' : 'as the signed-in person'}; a pasted token is not used.`,
        undefined,
        { params: { mode: deps.mode } },
      );
    }
    const { token } = parseInput(KubeTokenPaste, req.body, 'token');
    const expiresAt = jwtExpiry(token);
    if (expiresAt !== undefined && expiresAt <= Date.now()) {
      throw new AppError(
        'kube_token_expired',
        'This Kubernetes token has already expired; create a new one.',
        undefined,
        {
          params: { expiredAt: new Date(expiresAt).toISOString() },
        },
      );
    }
    let who;
    try {
      who = await check.whoIs(token);
    } catch (err) {
      await deps.audit.recordPerson(req, {
        action: 'kube-token.paste',
        outcome: 'failure',
        reason: isAppError(err) ? err.code : 'error',
      });
      throw err;
    }
    await deps.kubeTokens.store(req, token, who);
    await deps.audit.recordPerson(req, { action: 'kube-token.paste', outcome: 'success', kubeUser: who.user });
    res.json(KubeIdentity.parse(await describe(req)));
  });

  router.delete('/kubernetes/identity/token', async (req, res) => {
    const held = deps.kubeTokens.describe(req);
    await deps.kubeTokens.forget(req);
    if (held) {
      await deps.audit.recordPerson(req, { action: 'kube-token.forget', outcome: 'success', kubeUser: held.user });
    }
    res.status(204).end();
  });

  return router;
}
