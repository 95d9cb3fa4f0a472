import type { Request } from 'express';
import type { AuthMode, SessionInfo, SignOutReason } from '@ray-console/shared';
import type { TokenSeal } from './token-seal.js';
import { newCsrfToken } from './csrf.js';
import { destroySession, regenerate, saveSession } from './session-ops.js';
import type { ClusterCredential } from './session-data.js';

/** A cluster's credential as the rest of the server sees it: the token in clear, or null for auth-disabled heads. */
export interface OpenCredential {
  token: string | null;
  authMode: ClusterCredential['authMode'];
  rayVersion: string;
}

/**
 * The only code that reads or writes cluster tokens in the session. Tokens are sealed before they are
 * stored and opened only for the call that needs them; the session id is regenerated at every sign-in.
 */
export class ClusterCredentials {
  constructor(private readonly seal: TokenSeal) {}

  /** The credential for a cluster, or `undefined` when this session is not signed in to it. */
  get(req: Request, clusterId: string): OpenCredential | undefined {
    const entry = req.session.clusters?.[clusterId];
    if (!entry) return undefined;
    if (entry.sealedToken === null) return { token: null, authMode: entry.authMode, rayVersion: entry.rayVersion };
    const token = this.seal.open(entry.sealedToken, clusterId);
    // A token sealed with a retired secret cannot be opened: treat the cluster as signed out.
    if (token === undefined) return undefined;
    return { token, authMode: entry.authMode, rayVersion: entry.rayVersion };
  }

  async signIn(
    req: Request,
    clusterId: string,
    credential: { token: string | null; authMode: Exclude<AuthMode, 'unknown'>; rayVersion: string },
  ): Promise<void> {
    const { clusters = {}, signOutReasons = {}, createdAt } = req.session;
    // A new session id at sign-in defeats session fixation; what the old session held carries over,
    // except the CSRF token: a new one, so a token seen before the sign-in opens nothing after it.
    await regenerate(req);
    delete signOutReasons[clusterId];
    req.session.createdAt = createdAt ?? Date.now();
    req.session.csrfToken = newCsrfToken();
    req.session.signOutReasons = signOutReasons;
    req.session.clusters = {
      ...clusters,
      [clusterId]: {
        sealedToken: credential.token === null ? null : this.seal.seal(credential.token, clusterId),
        authMode: credential.authMode,
        rayVersion: credential.rayVersion,
        signedInAt: Date.now(),
      },
    };
    await saveSession(req);
  }

  /** Forgets one cluster's token; `reason` is kept so the prompt can say why the user must sign in again. */
  async signOut(req: Request, clusterId: string, reason?: SignOutReason): Promise<void> {
    const hadIt = req.session.clusters?.[clusterId] !== undefined;
    if (!hadIt && !reason) return;
    if (req.session.clusters) delete req.session.clusters[clusterId];
    if (reason) req.session.signOutReasons = { ...req.session.signOutReasons, [clusterId]: reason };
    await saveSession(req);
  }

  /** Ends the whole session: the store forgets it, so the old cookie opens nothing. */
  async signOutAll(req: Request): Promise<void> {
    await destroySession(req);
  }

  signOutReason(req: Request, clusterId: string): SignOutReason | undefined {
    return req.session.signOutReasons?.[clusterId];
  }

  sessionClusters(req: Request): SessionInfo['clusters'] {
    return Object.entries(req.session.clusters ?? {}).map(([id, c]) => ({
      id,
      signedIn: true,
      rayVersion: c.rayVersion,
    }));
  }
}
