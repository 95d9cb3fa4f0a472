import type { Request } from 'express';
import type { AuthMode, SessionInfo, SignOutReason } from '@ray-console/shared';
import { endpointAddress, type RayEndpoint } from '../ray/ray-dashboard-client.js';
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

/** A cluster as the credentials see it: its id and where its requests go now (none when misconfigured). */
export interface CredentialTarget {
  id: string;
  endpoint?: Pick<RayEndpoint, 'baseUrl' | 'tokenHeader'> | undefined;
}

/** The sealed data is bound to the cluster and to the address the token was verified at. */
const sealedFor = (clusterId: string, address: string) => `${clusterId}\n${address}`;

/**
 * The only code that reads or writes cluster tokens in the session. Tokens are sealed before they are
 * stored and opened only for the call that needs them; the session id is regenerated at every sign-in.
 *
 * A token is bound to the address it was verified at: the address is kept beside it and sealed with it,
 * and the token opens only while the cluster's address is the same. A cluster whose address changes (a
 * RayCluster whose head Service is renamed, a configured URL edited between restarts) would otherwise
 * receive every signed-in user's token at its new host on their next call. Tokens stored by a console
 * from before this binding have no address; binding them to today's address would trust whatever the
 * address has become since, so they are not used either, and the user is asked to sign in again.
 */
export class ClusterCredentials {
  /**
   * Tokens opened for a request, kept for as long as the request lives (a WeakMap: gone with it), so a
   * request that asks more than once (the cluster list, an audited write) decrypts each token once. Keyed
   * by the sealed value, so a sign-in or sign-out in the same request is never answered from it.
   */
  private readonly opened = new WeakMap<Request, Map<string, OpenCredential | undefined>>();

  constructor(private readonly seal: TokenSeal) {}

  /** The credential for a cluster at its current address, or `undefined` when there is none to use. */
  get(req: Request, cluster: CredentialTarget): OpenCredential | undefined {
    const entry = req.session.clusters?.[cluster.id];
    if (!entry || entry.address === undefined || mismatchOf(entry.address, cluster)) return undefined;
    if (entry.sealedToken === null) return { token: null, authMode: entry.authMode, rayVersion: entry.rayVersion };
    let opened = this.opened.get(req);
    if (!opened) this.opened.set(req, (opened = new Map()));
    const key = `${cluster.id}\n${entry.address}\n${entry.sealedToken}`;
    if (opened.has(key)) return opened.get(key);
    const token = this.seal.open(entry.sealedToken, sealedFor(cluster.id, entry.address));
    // A token sealed with a retired secret cannot be opened: treat the cluster as signed out.
    const credential =
      token === undefined ? undefined : { token, authMode: entry.authMode, rayVersion: entry.rayVersion };
    opened.set(key, credential);
    return credential;
  }

  /**
   * Signs the session out of a cluster whose stored credential does not fit the cluster's current
   * address, so it stays signed out even if the address changes back; returns the reason when it did.
   */
  async dropUnusable(req: Request, cluster: CredentialTarget): Promise<SignOutReason | undefined> {
    const entry = req.session.clusters?.[cluster.id];
    const reason = entry ? mismatchOf(entry.address, cluster) : undefined;
    if (reason) await this.signOut(req, cluster.id, reason);
    return reason;
  }

  async signIn(
    req: Request,
    clusterId: string,
    credential: { token: string | null; authMode: Exclude<AuthMode, 'unknown'>; rayVersion: string; address: string },
  ): Promise<void> {
    const { clusters = {}, signOutReasons = {}, createdAt, person, kubeToken } = req.session;
    // A new session id at sign-in defeats session fixation; what the old session held carries over,
    // except the CSRF token: a new one, so a token seen before the sign-in opens nothing after it.
    await regenerate(req);
    delete signOutReasons[clusterId];
    req.session.createdAt = createdAt ?? Date.now();
    // The person signed in with OIDC stays signed in: a cluster sign-in is not a new identity.
    if (person) req.session.person = person;
    // A pasted Kubernetes token (issue 12) is the person's too, and stays (sealed, as it was).
    if (kubeToken) req.session.kubeToken = kubeToken;
    req.session.csrfToken = newCsrfToken();
    req.session.signOutReasons = signOutReasons;
    req.session.clusters = {
      ...clusters,
      [clusterId]: {
        sealedToken:
          credential.token === null ? null : this.seal.seal(credential.token, sealedFor(clusterId, credential.address)),
        authMode: credential.authMode,
        rayVersion: credential.rayVersion,
        signedInAt: Date.now(),
        address: credential.address,
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

  /** Why the session is not (or no longer usefully) signed in to a cluster, for the prompt. */
  signOutReason(req: Request, cluster: CredentialTarget): SignOutReason | undefined {
    const entry = req.session.clusters?.[cluster.id];
    const mismatch = entry ? mismatchOf(entry.address, cluster) : undefined;
    return mismatch ?? req.session.signOutReasons?.[cluster.id];
  }

  sessionClusters(req: Request): SessionInfo['clusters'] {
    return Object.entries(req.session.clusters ?? {}).map(([id, c]) => ({
      id,
      signedIn: true,
      rayVersion: c.rayVersion,
    }));
  }
}

/** Why a credential stored for `address` may not be used for the cluster as it is now. */
function mismatchOf(address: string | undefined, cluster: CredentialTarget): SignOutReason | undefined {
  if (address === undefined) return 'endpoint_unbound';
  if (!cluster.endpoint || endpointAddress(cluster.endpoint) !== address) return 'endpoint_changed';
  return undefined;
}
