import type { Request, Response } from 'express';
import type { LoginResponse } from '@ray-console/shared';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { AuditRecord, AuditRecorder } from '../../lib/audit.js';
import type { ClusterCredentials } from '../../session/cluster-credentials.js';
import { CSRF_HEADER, type CsrfTokens } from '../../session/csrf.js';
import type { ClusterRecord, ClusterRegistry } from './cluster-registry.js';
import { verifyToken, type VerifiedCredential } from './sign-in.service.js';

/**
 * The end of every sign-in to a cluster, whichever way the token came (pasted, or read from its
 * Kubernetes Secret as the person): keep it sealed in the session, bound to the address it was checked
 * at, and hand the page the session's new CSRF token. The answer never holds the token.
 */
export async function keepSignIn(
  deps: { registry: ClusterRegistry; credentials: ClusterCredentials; csrf: CsrfTokens },
  req: Request,
  res: Response,
  cluster: ClusterRecord,
  verified: VerifiedCredential,
): Promise<LoginResponse> {
  deps.registry.rememberAuthMode(cluster, verified.authMode);
  await deps.credentials.signIn(req, cluster.id, verified);
  // Sign-in gave the session a new CSRF token; the page takes it from here for its next write.
  res.set(CSRF_HEADER, deps.csrf.tokenFor(req, res));
  return { id: cluster.id, rayVersion: verified.rayVersion, authMode: verified.authMode };
}

/** A cluster whose token only the console holds (`tokenPrompt: false`) takes no sign-in of a session's own. */
export function refuseWhenSignInOff(cluster: ClusterRecord): void {
  if (cluster.managedToken?.tokenPrompt !== false) return;
  throw new AppError(
    'conflict',
    `The console uses its own token for the cluster "${cluster.displayName}", and signing in with a token is turned off for it (tokenPrompt: false). Open the cluster without signing in.`,
    undefined,
    { params: { cluster: cluster.displayName } },
  );
}

/** What the audit event of a sign-in says of where its token came from (absent: pasted by the person). */
export type SignInSource = Pick<AuditRecord, 'tokenSource' | 'kubeUser'>;

/**
 * A whole sign-in to a cluster: refused when the console holds the cluster's only token, the token
 * (pasted, or read from a Secret) checked with the head and kept, and one audit event either way. The
 * event's reason is the error code, never a message nor anything read with the token. `token` may add
 * to `source` as it learns more (the Kubernetes user a Secret was read as), so a failure says it too.
 */
export async function auditedSignIn(
  deps: { registry: ClusterRegistry; credentials: ClusterCredentials; csrf: CsrfTokens; audit: AuditRecorder },
  req: Request,
  res: Response,
  cluster: ClusterRecord,
  source: SignInSource,
  token: (source: SignInSource) => Promise<string>,
): Promise<LoginResponse> {
  try {
    refuseWhenSignInOff(cluster);
    const verified = await verifyToken(deps.registry.client(cluster), await token(source));
    const body = await keepSignIn(deps, req, res, cluster, verified);
    await deps.audit.record(req, { clusterId: cluster.id, action: 'sign-in', outcome: 'success', ...source });
    return body;
  } catch (err) {
    const reason = isAppError(err) ? err.code : 'internal';
    await deps.audit.record(req, { clusterId: cluster.id, action: 'sign-in', outcome: 'failure', reason, ...source });
    throw err;
  }
}
