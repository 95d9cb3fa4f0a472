import type { Request } from 'express';
import { decodeJwt } from 'jose';
import { AuthenticationV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Person } from '@ray-console/shared';
import type { KubeIdentityConfig } from '../config.js';
import { AppError } from '../lib/app-error.js';
import { KubeTokens } from '../session/kube-tokens.js';
import { TokenSeal } from '../session/token-seal.js';
import { SERVICE_ACCOUNT_DIR, describeFailure, loadKubeConfig } from './kube-client.js';
import { callOptions, PersonHttpLibrary } from './kube-http.js';
import { ClientNodePersonKube } from './person-kube-client.js';
import type { PersonKubeOf } from './person-kube.js';

/** How to enable Kubernetes actions when this console has no way to act as the person (for messages and the identity page). */
export type KubeIdentityEnable = 'configure' | 'sign_in' | 'paste_token';

/** The error every Kubernetes action answers when there is no identity to act with (401 `kube_identity_required`). */
export function kubeIdentityRequired(mode: KubeIdentityConfig['mode'] | 'off'): AppError {
  const how: Record<typeof mode, string> = {
    off: 'This console does not act on Kubernetes for people: the operator enables it with KUBERNETES_ACT_AS (a kubeconfig, impersonation with OIDC sign-in, or pasted tokens).',
    kubeconfig: 'The console has no kubeconfig to act with.',
    impersonate: 'Sign in first: the console acts on Kubernetes as the person signed in.',
    token: 'Paste a Kubernetes token first (Kubernetes identity page): the console acts on Kubernetes with it.',
  };
  return new AppError('kube_identity_required', how[mode], undefined, { params: { mode } });
}

/**
 * Builds the {@link PersonKubeOf} for the configured mode, or undefined when KUBERNETES_ACT_AS is off
 * (routes then answer {@link kubeIdentityRequired}). Throws a plain Error naming the file when the
 * kubeconfig cannot be read, for the boot to print.
 */
export function createPersonKubeOf(config: KubeIdentityConfig, tokens: KubeTokens): PersonKubeOf {
  const { timeoutMs } = config;
  if (config.mode === 'kubeconfig') {
    const kc = loadKubeConfig(config.source);
    const whoami = new WhoAmI(kc, timeoutMs);
    return async () => {
      const { user, groups } = await whoami.get();
      return new ClientNodePersonKube(kc, 'kubeconfig', user, groups, { timeoutMs });
    };
  }
  if (config.mode === 'impersonate') {
    const kc = loadKubeConfig(config.source);
    const { userClaim, userPrefix, groupsPrefix } = config.impersonation;
    return async (req: Request) => {
      const person = req.session.person;
      if (!person) throw kubeIdentityRequired('impersonate');
      const user = `${userPrefix}${impersonatedUser(person, userClaim)}`;
      const groups = person.groups.map((g) => `${groupsPrefix}${g}`);
      return new ClientNodePersonKube(kc, 'impersonate', user, groups, { timeoutMs, impersonate: { user, groups } });
    };
  }
  const base = clusterOnly(config);
  return async (req: Request) => {
    const held = await tokens.open(req);
    if (!held) throw kubeIdentityRequired('token');
    return new ClientNodePersonKube(withToken(base, held.token), 'token', held.user, held.groups, {
      timeoutMs,
      onTokenRejected: () => tokens.forget(req),
    });
  };
}

/** The person's value sent as `Impersonate-User`; a person without an email cannot be impersonated by email. */
function impersonatedUser(person: Person, claim: KubeIdentityConfig['impersonation']['userClaim']): string {
  if (claim === 'email') {
    if (!person.email) {
      throw new AppError(
        'kube_identity_required',
        'Your sign-in carries no email, and this console acts on Kubernetes as your email: ask the operator to have the identity provider send it.',
        undefined,
        { params: { mode: 'impersonate' } },
      );
    }
    return person.email;
  }
  return claim === 'name' ? person.name : person.subject;
}

/**
 * The API server of the configured source (its address and CA), without the console's credentials:
 * a pasted token must be the only credential of a person's call.
 */
export function clusterOnly(config: KubeIdentityConfig): KubeConfig {
  const full = loadKubeConfig(config.source);
  const cluster = full.getCurrentCluster();
  if (!cluster) throw new Error('Kubernetes: the kubeconfig has no current cluster; set KUBERNETES_CONTEXT.');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      config.source.kind === 'in-cluster'
        ? { ...cluster, name: 'api-server', caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt` }
        : { ...cluster, name: 'api-server' },
    ],
    users: [{ name: 'nobody' }],
    contexts: [{ name: 'person', cluster: 'api-server', user: 'nobody' }],
    currentContext: 'person',
  });
  return kc;
}

/** `base` (an API server without credentials) with one bearer token as its user. */
export function withToken(base: KubeConfig, token: string): KubeConfig {
  const cluster = base.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ ...cluster, name: 'api-server' }],
    users: [{ name: 'person', token }],
    contexts: [{ name: 'person', cluster: 'api-server', user: 'person' }],
    currentContext: 'person',
  });
  return kc;
}

/** Who a set of credentials is, as the API server sees it. */
export interface KubeUserInfo {
  user: string;
  groups: string[];
}

/**
 * Asks the API server who the credentials are (SelfSubjectReview, authentication.k8s.io/v1, Kubernetes
 * 1.28+). Undefined when the API server does not serve it; a rejected credential throws (ApiException 401).
 */
export async function selfSubjectReview(kc: KubeConfig, timeoutMs: number): Promise<KubeUserInfo | undefined> {
  const authn = kc.makeApiClient(AuthenticationV1Api);
  try {
    const review = await authn.createSelfSubjectReview(
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
      callOptions(timeoutMs, { httpApi: new PersonHttpLibrary(undefined) }),
    );
    const info = review.status?.userInfo;
    if (!info?.username) return undefined;
    return { user: info.username, groups: (info.groups ?? []).filter((g) => typeof g === 'string').slice(0, 500) };
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

/**
 * The kubeconfig user's name as the API server sees it, asked once and kept; until the API server answers
 * (or where it cannot say), the kubeconfig's own user entry name stands in, for messages only.
 */
class WhoAmI {
  private known: KubeUserInfo | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly timeoutMs: number,
  ) {}

  async get(): Promise<KubeUserInfo> {
    if (this.known) return this.known;
    try {
      const info = await selfSubjectReview(this.kc, this.timeoutMs);
      if (info) return (this.known = info);
    } catch {
      // The call that follows fails with a message that says why; this is only the name in it.
    }
    return { user: this.kc.getCurrentUser()?.name ?? 'the kubeconfig user', groups: [] };
  }
}

/**
 * The console's {@link PersonKubeOf} from its configuration (index.ts and the test consoles): undefined
 * when KUBERNETES_ACT_AS is off or there is nothing to act with.
 */
export function personKubeOfConfig(
  config: { kubeIdentity: KubeIdentityConfig | undefined },
  secrets: readonly string[],
): PersonKubeOf | undefined {
  if (!config.kubeIdentity) return undefined;
  return createPersonKubeOf(config.kubeIdentity, new KubeTokens(new TokenSeal(secrets)));
}

/**
 * Checks a pasted token against the API server and says who it is: a SelfSubjectReview (the user name
 * and groups; Kubernetes 1.28+), else a SelfSubjectAccessReview (only whether the API server accepts it;
 * the name then comes from the JWT's `sub`, as a service account token carries it). A token the API
 * server rejects answers `kube_token_rejected`; it is never echoed in any message.
 */
export class KubeTokenCheck {
  private base: KubeConfig | undefined;

  constructor(private readonly config: KubeIdentityConfig) {}

  async whoIs(token: string): Promise<KubeUserInfo> {
    this.base ??= clusterOnly(this.config);
    const kc = withToken(this.base, token);
    const server = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
    const fail = (err: unknown): never => {
      if (err instanceof AppError) throw err;
      if ((err as { code?: number }).code === 401) {
        throw new AppError('kube_token_rejected', 'The Kubernetes API server does not accept this token.', undefined, {
          cause: err,
          params: { server },
        });
      }
      throw describeFailure(err, 'the pasted token', server, this.config.timeoutMs);
    };
    const info = await selfSubjectReview(kc, this.config.timeoutMs).catch(fail);
    if (info) return info;
    // An API server without SelfSubjectReview: the token must at least be accepted.
    const person = new ClientNodePersonKube(kc, 'token', jwtSubject(token) ?? 'the pasted token', [], {
      timeoutMs: this.config.timeoutMs,
    });
    await person.allowed('get', 'RayCluster', 'default').catch(fail);
    return { user: person.user, groups: [] };
  }
}

/** The `sub` of a JWT (a service account token's is `system:serviceaccount:<namespace>:<name>`), unverified: for a name in messages only. */
function jwtSubject(token: string): string | undefined {
  try {
    const { sub } = decodeJwt(token);
    return sub ? sub.slice(0, 255) : undefined;
  } catch {
    return undefined;
  }
}
