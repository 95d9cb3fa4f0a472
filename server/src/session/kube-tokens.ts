import { decodeJwt } from 'jose';
import type { Request } from 'express';
import { AppError } from '../lib/app-error.js';
import { saveSession } from './session-ops.js';
import type { TokenSeal } from './token-seal.js';
import './session-data.js';

/** A pasted Kubernetes token as the session keeps it: sealed, beside who the API server said it is. */
export interface StoredKubeToken {
  sealed: string;
  user: string;
  groups: string[];
  /** Epoch ms from the JWT's `exp`; absent when the token is not a JWT or has no expiry. */
  expiresAt?: number;
  pastedAt: number;
}

declare module 'express-session' {
  interface SessionData {
    /** The Kubernetes token the person pasted (KUBERNETES_ACT_AS=token); never sent to the browser. */
    kubeToken: StoredKubeToken;
  }
}

/** Sealed for this purpose only: a sealed Ray token can never be opened as a Kubernetes token, nor back. */
const AAD = 'kubernetes-person-token';

/** The expiry of a JWT (`exp`, epoch seconds) in epoch ms, unverified (the API server checks the token); undefined for opaque tokens or JWTs without one. */
export function jwtExpiry(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The only code that reads or writes the pasted Kubernetes token in the session. It is sealed like a
 * Ray token (AES-GCM, keys from the session secrets), opened only for the call that needs it, and
 * forgotten when its expiry passes or the API server rejects it: the person is then asked again.
 */
export class KubeTokens {
  constructor(
    private readonly seal: TokenSeal,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The token and who it is, or undefined when none was pasted. An expired token is forgotten and answers
   * `kube_token_expired` (401), so the page asks for a new one instead of sending it to be refused.
   */
  async open(req: Request): Promise<{ token: string; user: string; groups: string[] } | undefined> {
    const held = req.session.kubeToken;
    if (!held) return undefined;
    if (held.expiresAt !== undefined && held.expiresAt <= this.now()) {
      await this.forget(req);
      throw new AppError('kube_token_expired', 'Your Kubernetes token has expired; paste a new one.', undefined, {
        params: { user: held.user, expiredAt: new Date(held.expiresAt).toISOString() },
      });
    }
    const token = this.seal.open(held.sealed, AAD);
    if (token === undefined) {
      // Sealed with a secret that was retired since: as good as absent.
      await this.forget(req);
      return undefined;
    }
    return { token, user: held.user, groups: held.groups };
  }

  /** What the identity page shows (never the token). */
  describe(req: Request): Omit<StoredKubeToken, 'sealed'> | undefined {
    const held = req.session.kubeToken;
    if (!held) return undefined;
    const { sealed: _sealed, ...shown } = held;
    return shown;
  }

  async store(req: Request, token: string, who: { user: string; groups: string[] }): Promise<StoredKubeToken> {
    const expiresAt = jwtExpiry(token);
    const stored: StoredKubeToken = {
      sealed: this.seal.seal(token, AAD),
      user: who.user,
      groups: who.groups,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      pastedAt: this.now(),
    };
    req.session.kubeToken = stored;
    await saveSession(req);
    return stored;
  }

  async forget(req: Request): Promise<void> {
    if (!req.session.kubeToken) return;
    delete req.session.kubeToken;
    await saveSession(req);
  }
}
