import { Router, type RequestHandler } from 'express';
import { LoginRequest, type ClusterList, type DashboardAddress } from '@ray-console/shared';
import type { RoleGate } from '../../access/role-gate.js';
import type { AuditRecorder } from '../../lib/audit.js';
import { parseInput } from '../../lib/parse.js';
import type { ClusterCredentials } from '../../session/cluster-credentials.js';
import type { CsrfTokens } from '../../session/csrf.js';
import type { ClusterAccess } from './cluster-access.js';
import type { ClusterRegistry } from './cluster-registry.js';
import { auditedSignIn } from './keep-sign-in.js';

export interface ClustersRouterDeps {
  registry: ClusterRegistry;
  credentials: ClusterCredentials;
  csrf: CsrfTokens;
  access: ClusterAccess;
  audit: AuditRecorder;
  loginRateLimit: RequestHandler;
  /** Per-cluster roles: which clusters a person sees, and their role on each. */
  gate: RoleGate;
}

export function clustersRouter({
  registry,
  credentials,
  csrf,
  access,
  audit,
  loginRateLimit,
  gate,
}: ClustersRouterDeps): Router {
  const router = Router();

  router.get('/clusters', async (req, res) => {
    // A person sees only the clusters they have a role on (every cluster without roles).
    const visible = registry.list().flatMap((c) => {
      const role = gate.roleOn(req, c);
      return role === undefined ? [] : [{ c, role }];
    });
    const clusters = visible.map((v) => v.c);
    const modes = await Promise.all(clusters.map((c) => registry.authMode(c)));
    // Clusters whose address changed since this session signed in are signed out now, not on first use.
    for (const c of clusters) {
      const dropped = await credentials.dropUnusable(req, c);
      if (dropped)
        await audit.record(req, { clusterId: c.id, action: 'sign-out', outcome: 'success', reason: dropped });
    }
    const body: ClusterList = clusters.map((c, i) => {
      const reason = credentials.signOutReason(req, c);
      // With tokenPrompt: false a token of the session's own is not used, so it does not count.
      const signedIn = access.ownCredential(req, c) !== undefined;
      const usable = signedIn || c.managedToken !== undefined;
      const role = visible[i]!.role;
      return {
        id: c.id,
        displayName: c.displayName,
        authMode: modes[i] ?? 'unknown',
        signedIn,
        ...(c.tokenHint ? { tokenHint: c.tokenHint } : {}),
        ...(c.kubernetes ? { kubernetes: c.kubernetes } : {}),
        ...(c.misconfigured ? { misconfigured: c.misconfigured } : {}),
        // Only for a session that can use the cluster: where the head listens is nothing a visitor needs to know.
        ...(usable && c.dashboardAddress ? { dashboardAddress: publicAddress(c.dashboardAddress) } : {}),
        // That the console holds the token; never which file, never the token.
        ...(c.managedToken ? { managedToken: { tokenPrompt: c.managedToken.tokenPrompt } } : {}),
        ...(reason ? { signOutReason: reason } : {}),
        ...(role && role !== 'unrestricted' ? { role } : {}),
      };
    });
    res.json(body);
  });

  router.post('/clusters/:clusterId/login', loginRateLimit, gate.needs('viewer', 'sign-in'), async (req, res) => {
    const cluster = access.cluster(req);
    const deps = { registry, credentials, csrf, audit };
    res.json(
      await auditedSignIn(deps, req, res, cluster, {}, async () => {
        return parseInput(LoginRequest, req.body ?? {}, 'sign-in request').token;
      }),
    );
  });

  router.post('/clusters/:clusterId/logout', gate.needs('viewer'), async (req, res) => {
    const cluster = access.cluster(req);
    const signedIn = credentials.get(req, cluster) !== undefined;
    try {
      await credentials.signOut(req, cluster.id);
    } catch (err) {
      if (signedIn)
        await audit.record(req, {
          clusterId: cluster.id,
          action: 'sign-out',
          outcome: 'failure',
          reason: 'unavailable',
        });
      throw err;
    }
    if (signedIn)
      await audit.record(req, { clusterId: cluster.id, action: 'sign-out', outcome: 'success', reason: 'user' });
    res.status(204).end();
  });

  return router;
}

/** The address as a browser may see it: user and password of a URL (say, for a proxy in front of Ray) left out. */
function publicAddress(address: { url: string; inClusterOnly: boolean }): DashboardAddress {
  const url = new URL(address.url);
  if (!url.username && !url.password) return address;
  url.username = '';
  url.password = '';
  // URL adds a "/" to a bare origin; the address stays as the operator wrote it otherwise.
  const href = address.url.endsWith('/') ? url.href : url.href.replace(/\/$/, '');
  return { url: href, inClusterOnly: address.inClusterOnly };
}
