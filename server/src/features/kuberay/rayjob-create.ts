import type { RayJobCreated, RayJobForm } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import type { PersonKube } from '../../kubernetes/person-kube.js';
import { createKeepingTokenAuth, onFormInputs } from './create-as-person.js';
import { rayJobFormFieldOf, rayJobManifest } from './rayjob-manifest.js';
import type { RayJobToCreate } from './rayjob-yaml.js';

/** The form as what a create sends. */
export function rayJobFromForm(form: RayJobForm): RayJobToCreate {
  return {
    namespace: form.namespace,
    name: form.name,
    object: rayJobManifest(form) as unknown as Record<string, unknown>,
  };
}

const authOptionsUnsupported = (viaForm: boolean) => {
  const message =
    "This Kubernetes cluster's KubeRay does not know authOptions (KubeRay before 1.5.1 drops it, and the job's cluster would run without a token). Ask for KubeRay 1.5.1 or later.";
  return new AppError('validation', message, {
    [viaForm ? 'form.cluster.auth' : 'spec.rayClusterSpec.authOptions']: message,
  });
};

/** Whether the RayJob the API server would store still gives its cluster token auth (an old CRD prunes it). */
function keepsAuthOptions(stored: unknown): boolean {
  const spec = (stored as { spec?: { rayClusterSpec?: { authOptions?: { mode?: unknown } } } } | undefined)?.spec;
  return spec?.rayClusterSpec?.authOptions?.mode === 'token';
}

export interface RayJobCreateOptions {
  dryRun: boolean;
  /** From the form: errors are keyed by form input where there is one. */
  viaForm: boolean;
  fixedReplicas?: boolean;
}

/**
 * Dry-runs, then (unless a dry run was asked for) creates the RayJob as the person. The dry run always
 * comes first: if the stored object would lose `authOptions`, nothing is created.
 */
export async function createRayJob(
  kube: PersonKube,
  { namespace, name, object }: RayJobToCreate,
  options: RayJobCreateOptions,
): Promise<RayJobCreated> {
  try {
    await createKeepingTokenAuth(kube, 'RayJob', namespace, object, {
      dryRun: options.dryRun,
      keepsTokenAuth: keepsAuthOptions,
      unsupported: () => authOptionsUnsupported(options.viaForm),
    });
    return { namespace, name, dryRun: options.dryRun, user: kube.user };
  } catch (err) {
    throw options.viaForm ? onFormInputs(err, (path) => rayJobFormFieldOf(path, options.fixedReplicas ?? false)) : err;
  }
}
