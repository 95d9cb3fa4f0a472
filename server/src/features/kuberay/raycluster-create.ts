import { stringify } from 'yaml';
import {
  AUTH_OPTIONS_UNSUPPORTED,
  type RayClusterCreated,
  type RayClusterForm,
  type RayClusterPreview,
} from '@ray-console/shared';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { PersonKube } from '../../kubernetes/person-kube.js';
import { clusterIdOf } from '../kubernetes/raycluster-view.js';
import { manifestForApply } from './manifest-yaml.js';
import { newAuthToken, rayClusterManifest, tokenSecretOf, TOKEN_PLACEHOLDER } from './raycluster-manifest.js';
import { createKeepingTokenAuth, onFormInputs } from './create-as-person.js';
import { formFieldOf } from './raycluster-fields.js';
import type { RayClusterToCreate } from './raycluster-yaml.js';

/**
 * Creating a token-protected RayCluster as the person: the dry run, the create, the token Secret of
 * the manual way. Everything goes through the person's {@link PersonKube}, so the API server decides
 * with their RBAC; the token made here goes to the API server only.
 */

/** The form as the objects a create sends (the Secret's token is made at create time). */
export function fromForm(form: RayClusterForm): RayClusterToCreate {
  const { rayCluster } = rayClusterManifest(form, { token: TOKEN_PLACEHOLDER });
  return {
    namespace: form.namespace,
    name: form.name,
    object: rayCluster as unknown as Record<string, unknown>,
    auth:
      form.auth === 'authOptions'
        ? { way: 'authOptions' }
        : { way: 'secret-env', secret: { name: form.name, key: 'auth_token' } },
  };
}

/** The preview: the RayCluster as `kubectl apply -f` takes it, and the Secret with its token left out. */
export function previewOf(form: RayClusterForm): RayClusterPreview {
  const { rayCluster, secret } = rayClusterManifest(form, { token: TOKEN_PLACEHOLDER });
  return {
    yaml: manifestForApply(rayCluster as unknown as Record<string, unknown>),
    ...(secret ? { secret: { name: form.name, yaml: stringify(secret) } } : {}),
  };
}

const authOptionsUnsupported = (viaForm: boolean) => {
  const message =
    "This Kubernetes cluster's KubeRay does not know spec.authOptions (KubeRay before 1.5.1 drops it, and the cluster would run without a token). Use the Secret and env way instead.";
  return new AppError(
    'validation',
    message,
    { [viaForm ? 'form.auth' : 'spec.authOptions']: message },
    {
      params: { unsupported: AUTH_OPTIONS_UNSUPPORTED },
    },
  );
};

/** Whether the object the API server would store still has token auth (an old CRD prunes `authOptions`). */
function keepsAuthOptions(stored: unknown): boolean {
  const spec = (stored as { spec?: { authOptions?: { mode?: unknown } } } | undefined)?.spec;
  return spec?.authOptions?.mode === 'token';
}

const isAlreadyExists = (err: unknown): boolean => isAppError(err, 'conflict');

export interface CreateOptions {
  dryRun: boolean;
  /** The request came from the form: errors are keyed by form input where there is one. */
  viaForm: boolean;
  /** The form's worker group has a fixed size (replicas, min and max are the same input). */
  fixedReplicas?: boolean;
}

/**
 * Dry-runs or creates the cluster (and for the manual way its token Secret) as the person. For
 * `authOptions` a dry run always comes first: if the stored object would lose `authOptions`, nothing is
 * created and the error offers the manual way.
 */
export async function createRayCluster(
  kube: PersonKube,
  target: RayClusterToCreate,
  options: CreateOptions,
): Promise<RayClusterCreated> {
  const { namespace, name, object, auth } = target;
  const result: RayClusterCreated = {
    namespace,
    name,
    clusterId: clusterIdOf(namespace, name),
    dryRun: options.dryRun,
    user: kube.user,
  };
  try {
    if (auth.way === 'authOptions') {
      await createKeepingTokenAuth(kube, 'RayCluster', namespace, object, {
        dryRun: options.dryRun,
        keepsTokenAuth: keepsAuthOptions,
        unsupported: () => authOptionsUnsupported(options.viaForm),
      });
      return result;
    }
    return { ...result, tokenSecret: await createWithSecret(kube, target, auth.secret, options.dryRun) };
  } catch (err) {
    throw options.viaForm ? onFormInputs(err, (path) => formFieldOf(path, options.fixedReplicas ?? false)) : err;
  }
}

/**
 * The manual way: the cluster first, then its Secret owned by it (so deleting the cluster deletes the
 * token). The Pods wait for the Secret; a Secret of that name that exists already is used as it is.
 * If the Secret cannot be made, the cluster is deleted again rather than left without its token.
 */
async function createWithSecret(
  kube: PersonKube,
  { namespace, name, object }: RayClusterToCreate,
  secret: { name: string; key: string },
  dryRun: boolean,
): Promise<{ name: string; created: boolean }> {
  const created = (await kube.create('RayCluster', namespace, object, { dryRun })) as {
    metadata?: { uid?: string };
  };
  const body = tokenSecretOf(namespace, secret.name, dryRun ? TOKEN_PLACEHOLDER : newAuthToken());
  if (secret.key !== 'auth_token')
    body.stringData = { [secret.key]: (body.stringData as Record<string, string>).auth_token };
  const uid = created?.metadata?.uid;
  if (uid)
    (body.metadata as Record<string, unknown>).ownerReferences = [
      { apiVersion: 'ray.io/v1', kind: 'RayCluster', name, uid },
    ];
  try {
    await kube.create('Secret', namespace, body, { dryRun });
    return { name: secret.name, created: true };
  } catch (err) {
    if (isAlreadyExists(err)) return { name: secret.name, created: false };
    if (!dryRun) await kube.delete('RayCluster', namespace, name).catch(() => undefined);
    throw err;
  }
}
