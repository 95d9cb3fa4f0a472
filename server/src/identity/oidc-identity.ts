import * as client from 'openid-client';
// jose's remote key set takes a custom fetch under its `customFetch` symbol.
import { createRemoteJWKSet, customFetch as customFetchOf, jwtVerify } from 'jose';
import type { Logger } from 'pino';
import type { Person } from '@ray-console/shared';
import type { OidcConfig } from '../config.js';
import { AppError } from '../lib/app-error.js';
import { personFromClaims } from './person-from-claims.js';

/** What the console keeps in the session between sending a browser to the provider and its return. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A same-origin path (see safeReturnTo) to open once signed in. */
  returnTo: string;
  startedAt: number;
}

export interface CompletedSignIn {
  person: Person;
  /** Kept in the server-side session only, as the `id_token_hint` of the provider's sign-out. */
  idToken: string;
}

export interface OidcIdentityOptions {
  /**
   * The fetch used for every request to the provider (default: the global one). Tests use it to stand
   * between the console and the real provider; production never sets it.
   */
  fetch?: typeof fetch;
  /**
   * Seconds to add to this machine's clock when checking token times (openid-client's `clockSkew`): for a
   * host whose clock is known to be off, and for tests that need a token to be expired from the console's
   * point of view.
   */
  clockSkewSeconds?: number;
  /** Longest wait between discovery attempts while the provider cannot be reached (default 30 s). */
  maxRetryMs?: number;
}

/**
 * The one door to the OpenID Provider (openid-client, OpenID Certified): discovery from the issuer, the
 * authorization code flow with PKCE, `state` and `nonce`, the ID token's checks (issuer, audience, expiry,
 * nonce, and its signature against the provider's published keys), and the provider's sign-out URL.
 *
 * Discovery starts at boot and retries with backoff while the provider cannot be reached: the console
 * starts anyway, sign-in answers "the identity provider cannot be reached" (503) meanwhile, and works as
 * soon as the provider answers again, with nothing restarted.
 */
export class OidcIdentity {
  private configuration: client.Configuration | undefined;
  private inflight: Promise<client.Configuration> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = 1000;
  private failing = false;
  private closed = false;
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  private readonly log: Logger;

  constructor(
    private readonly config: OidcConfig,
    logger: Logger,
    private readonly options: OidcIdentityOptions = {},
  ) {
    this.log = logger.child({ component: 'oidc' });
  }

  /** Begins discovery in the background (and keeps retrying until it succeeds). */
  start(): void {
    this.discover().catch(() => undefined);
  }

  /** Stops retrying discovery. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }

  /** The start of a sign-in: the provider's authorization URL and what to keep until the browser returns. */
  async beginSignIn(returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
    const configuration = await this.discovered();
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier,
      returnTo,
      startedAt: Date.now(),
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUri,
      scope: this.config.scopes,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /**
   * The browser's return from the provider: `params` are the callback's query parameters. Checks them
   * against what was kept (`state`), exchanges the code (with the PKCE verifier), validates the ID token,
   * and returns the person it names. Every refusal is an AppError that says what happened.
   */
  async completeSignIn(params: URLSearchParams, pending: PendingSignIn): Promise<CompletedSignIn> {
    const configuration = await this.discovered();
    // The URL the provider redirected to, rebuilt from the configured redirect URI (the request's own
    // URL may be an internal one behind a proxy) and the OAuth parameters only.
    const current = new URL(this.config.redirectUri);
    for (const key of ['code', 'state', 'iss', 'session_state', 'error', 'error_description']) {
      const value = params.get(key);
      if (value !== null) current.searchParams.set(key, value);
    }
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw this.signInError(err);
    }
    const idToken = tokens.id_token;
    const claims = tokens.claims();
    if (!idToken || !claims) throw refused('no_id_token', 'the provider sent no ID token');
    await this.verifySignature(idToken, configuration);
    const { person, groupsClaimIgnored } = personFromClaims(claims, this.config.groupsClaim);
    if (groupsClaimIgnored) {
      this.log.warn(
        { event: 'oidc-groups-claim-ignored', claim: this.config.groupsClaim },
        `the ID token's "${this.config.groupsClaim}" claim is not a list of strings; the person gets no groups (check OIDC_GROUPS_CLAIM and the provider's mapper)`,
      );
    }
    return { person, idToken };
  }

  /**
   * Where to send the browser to end its session at the provider too (RP-initiated logout), or undefined
   * when the provider publishes no `end_session_endpoint` (or cannot be reached now).
   */
  async signOutUrl(idToken: string | undefined): Promise<string | undefined> {
    let configuration: client.Configuration;
    try {
      configuration = await this.discovered();
    } catch {
      return undefined;
    }
    if (!configuration.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(configuration, {
      client_id: this.config.clientId,
      post_logout_redirect_uri: this.config.postLogoutRedirectUri,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href;
  }

  /**
   * openid-client checks the ID token's claims, but trusts the signature of a token fetched from the
   * token endpoint over TLS, and its optional signature check refuses a new key for 60 s after reading
   * the key set: right after the provider rotates its keys, sign-ins would fail. jose's remote key set
   * reads the keys again as soon as a token names one it does not know (the token comes from the
   * provider's own token endpoint, so this cannot be used to make the console flood the provider).
   */
  private async verifySignature(idToken: string, configuration: client.Configuration): Promise<void> {
    const metadata = configuration.serverMetadata();
    if (!metadata.jwks_uri) throw refused('no_jwks', 'the provider publishes no signing keys (jwks_uri)');
    this.jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri), {
      cooldownDuration: 0,
      ...(this.options.fetch ? { [customFetchOf]: this.options.fetch } : {}),
    });
    try {
      await jwtVerify(idToken, this.jwks, {
        issuer: metadata.issuer,
        audience: this.config.clientId,
        clockTolerance: 30,
        currentDate: new Date(Date.now() + (this.options.clockSkewSeconds ?? 0) * 1000),
      });
    } catch (err) {
      this.log.warn({ event: 'oidc-id-token-signature', err: (err as Error).message }, 'ID token signature refused');
      throw refused('id_token_signature', "the ID token is not signed by one of the provider's keys");
    }
  }

  private signInError(err: unknown): AppError {
    if (err instanceof client.AuthorizationResponseError) {
      // The provider sent the browser back with an error (the person cancelled, or is not allowed).
      // Taken from the callback's query string, which anyone can write: only an OAuth error code's shape passes.
      const code = oauthErrorCode(err.error);
      this.log.info({ event: 'oidc-authorization-error', error: code }, 'the provider refused the sign-in');
      return refused(`provider_${code}`, `the identity provider answered "${code}"`);
    }
    if (err instanceof client.ResponseBodyError) {
      const code = oauthErrorCode(err.error);
      this.log.warn({ event: 'oidc-token-error', error: code, status: err.status }, 'the token endpoint refused');
      return refused(`provider_${code}`, `the identity provider refused the sign-in code ("${code}")`);
    }
    const code = (err as { code?: unknown }).code;
    // openid-client's ClientError says what kind of check failed; its cause (oauth4webapi's) says which claim.
    const cause = (err as { cause?: unknown }).cause;
    const message = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
    this.log.warn({ event: 'oidc-sign-in-refused', code, err: message }, 'sign-in refused');
    if (err instanceof TypeError || code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || /fetch failed/i.test(message)) {
      return new AppError(
        'unavailable',
        'The identity provider cannot be reached right now, so sign-in cannot finish; try again in a moment.',
        undefined,
        { cause: err, params: { issuer: this.config.issuerUrl } },
      );
    }
    if (/"state"/.test(message)) {
      return refused('state_mismatch', 'the answer does not belong to a sign-in started here');
    }
    if (/\bJWT\b|ID Token|"(aud|iss|exp|iat|nbf|nonce|azp|sub)"/i.test(message)) {
      return refused('id_token_invalid', `the ID token does not check out (${message})`);
    }
    return refused('invalid_response', `the answer does not check out (${message})`);
  }

  /** The discovered configuration; when discovery has not succeeded yet, one more try now. */
  private async discovered(): Promise<client.Configuration> {
    if (this.configuration) return this.configuration;
    try {
      return await this.discover();
    } catch (err) {
      throw new AppError(
        'unavailable',
        `The identity provider (${this.config.issuerUrl}) cannot be reached right now, so nobody can sign in; try again in a moment.`,
        undefined,
        { cause: err, params: { issuer: this.config.issuerUrl } },
      );
    }
  }

  private discover(): Promise<client.Configuration> {
    this.inflight ??= this.discoverOnce().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async discoverOnce(): Promise<client.Configuration> {
    const issuer = new URL(this.config.issuerUrl);
    const metadata: Partial<client.ClientMetadata> = {
      ...(this.options.clockSkewSeconds ? { [client.clockSkew]: this.options.clockSkewSeconds } : {}),
    };
    try {
      const configuration = await client.discovery(
        issuer,
        this.config.clientId,
        metadata,
        this.config.clientSecret ? client.ClientSecretBasic(this.config.clientSecret) : client.None(),
        {
          // Plain http only for a provider on this machine (config.ts refuses it elsewhere).
          ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
          ...(this.options.fetch ? { [client.customFetch]: this.options.fetch } : {}),
          timeout: 10,
        },
      );
      this.configuration = configuration;
      clearTimeout(this.retryTimer);
      if (this.failing)
        this.log.info({ event: 'oidc-discovery-recovered', issuer: issuer.href }, 'identity provider reachable again');
      this.failing = false;
      this.retryMs = 1000;
      return configuration;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!this.failing) {
        this.log.error(
          { event: 'oidc-discovery-failed', issuer: issuer.href, err: message },
          `the identity provider's discovery document (${issuer.href}/.well-known/openid-configuration) cannot be read; nobody can sign in until it can (check OIDC_ISSUER_URL and that the provider is up); retrying`,
        );
      }
      this.failing = true;
      this.scheduleRetry();
      throw err;
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.configuration && !this.closed) this.discover().catch(() => undefined);
    }, wait);
    this.retryTimer.unref();
  }
}

/** An OAuth error code (`access_denied`, `invalid_grant`, ...) as it may be shown and logged; else `other`. */
const oauthErrorCode = (value: unknown): string =>
  typeof value === 'string' && /^[a-z_]{1,64}$/.test(value) ? value : 'other';

/** A refused sign-in: 400 with the reason in `params.reason` and a message for the person. */
function refused(reason: string, what: string): AppError {
  return new AppError('bad_request', `Sign-in did not complete: ${what}. Start the sign-in again.`, undefined, {
    params: { reason },
  });
}
