import type { AuthMode, Person, SignOutReason } from '@ray-console/shared';
import type { PendingSignIn } from '../identity/oidc-identity.js';

/** What the session holds for one cluster. The token is sealed (see TokenSeal); `null` for auth-disabled clusters. */
export interface ClusterCredential {
  sealedToken: string | null;
  authMode: Exclude<AuthMode, 'unknown'>;
  rayVersion: string;
  signedInAt: number;
  /**
   * Where the token was verified (`endpointAddress`: header and base URL); it is also sealed with the
   * token, so a token opens only for requests to that address. Absent in sessions stored by a console
   * from before tokens were bound: those tokens are never used (see ClusterCredentials).
   */
  address?: string;
}

declare module 'express-session' {
  interface SessionData {
    /** When the session began, for the absolute lifetime (the cookie's maxAge only covers idleness). */
    createdAt: number;
    csrfToken: string;
    /** The person signed in at the identity provider (OIDC mode only; absent in anonymous mode). */
    person: Person;
    /**
     * Sign-ins sent to the provider and not back yet (OIDC mode): `state`, `nonce` and the PKCE verifier
     * stay here, on the server, never in a cookie. A few at most (one per tab that started one).
     */
    oidcPending: PendingSignIn[];
    /** The ID token of the person's sign-in: the `id_token_hint` of the provider's sign-out. Never sent to the browser by the console. */
    oidcIdToken: string;
    clusters: Record<string, ClusterCredential>;
    /** Clusters this session was signed out of by the console (token rejected, address changed), so the prompt can tell the user why. */
    signOutReasons: Record<string, SignOutReason>;
  }
}
