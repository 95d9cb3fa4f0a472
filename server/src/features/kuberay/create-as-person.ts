import { AppError, isAppError } from '../../lib/app-error.js';
import type { PersonKube, PersonKubeKind } from '../../kubernetes/person-kube.js';

/**
 * What creating a token-protected object as the person shares, whatever the kind (a RayCluster, a
 * RayJob with a cluster of its own): the API server's dry run comes first, and if the object it would
 * store has lost its token authentication (an operator whose CRD does not know `authOptions` prunes
 * it, or refuses it as an unknown field under strict validation), nothing is created.
 */
export async function createKeepingTokenAuth(
  kube: PersonKube,
  kind: PersonKubeKind,
  namespace: string,
  object: object,
  options: {
    dryRun: boolean;
    /** Whether the object as the API server would store it still turns token authentication on. */
    keepsTokenAuth: (stored: unknown) => boolean;
    /** The error that says the operator does not know `authOptions`, and what to do. */
    unsupported: () => AppError;
  },
): Promise<void> {
  let stored: unknown;
  try {
    stored = await kube.create(kind, namespace, object, { dryRun: true });
  } catch (err) {
    if (isAppError(err) && /unknown field "?spec\.(rayClusterSpec\.)?authOptions/.test(err.message))
      throw options.unsupported();
    throw err;
  }
  if (!options.keepsTokenAuth(stored)) throw options.unsupported();
  if (!options.dryRun) await kube.create(kind, namespace, object);
}

/**
 * An error whose fields are keyed by API path (the API server's 422 causes, the YAML checks), with each
 * path the form has an input for re-keyed to that input, so the page shows it there. Messages landing
 * on one input are joined.
 */
export function onFormInputs(err: unknown, inputOf: (apiPath: string) => string | undefined): unknown {
  if (!isAppError(err) || !err.fields) return err;
  const fields: Record<string, string> = {};
  for (const [path, message] of Object.entries(err.fields)) {
    const key = inputOf(path) ?? path;
    fields[key] = fields[key] ? `${fields[key]} ${message}` : message;
  }
  return new AppError(err.code, err.message, fields, { cause: err, ...(err.params ? { params: err.params } : {}) });
}
