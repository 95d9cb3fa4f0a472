import type { Request, Response } from 'express';
import type { LoginResponse } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import type { ClusterCredentials } from '../../session/cluster-credentials.js';
import { CSRF_HEADER, type CsrfTokens } from '../../session/csrf.js';
import type { ClusterRecord, ClusterRegistry } from './cluster-registry.js';
import type { VerifiedCredential } from './sign-in.service.js';

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
