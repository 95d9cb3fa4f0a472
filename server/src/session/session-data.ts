import type { AuthMode, SignOutReason } from '@ray-console/shared';

/** What the session holds for one cluster. The token is sealed (see TokenSeal); `null` for auth-disabled clusters. */
export interface ClusterCredential {
  sealedToken: string | null;
  authMode: Exclude<AuthMode, 'unknown'>;
  rayVersion: string;
  signedInAt: number;
}

declare module 'express-session' {
  interface SessionData {
    /** When the session began, for the absolute lifetime (the cookie's maxAge only covers idleness). */
    createdAt: number;
    csrfToken: string;
    clusters: Record<string, ClusterCredential>;
    /** Clusters whose stored token a head rejected, so the prompt can tell the user why. */
    signOutReasons: Record<string, SignOutReason>;
  }
}
