import { RAYJOB_NAME_MAX } from '@ray-console/shared';
import { checkIdentity, invalidYaml, objAt, oneObjectFromYaml, type EditedKind, type Obj } from './edited-yaml.js';
import { checkRayVersion } from './raycluster-yaml.js';

/**
 * The RayJob YAML a person edited in the preview, read as untrusted input: one document, a `ray.io/v1`
 * RayJob with a name KubeRay accepts, a namespace, an entrypoint, and a cluster of its own with token
 * authentication (`rayClusterSpec.authOptions.mode: token`, Ray ≥ 2.52). The API server checks the rest
 * as the person in the dry run. Errors are keyed by API path, as the API server names them.
 */

export interface RayJobToCreate {
  namespace: string;
  name: string;
  object: Record<string, unknown>;
}

const RAYJOB: EditedKind = { kind: 'RayJob', noun: 'the RayJob', maxName: RAYJOB_NAME_MAX };

export function rayJobFromYaml(text: string): RayJobToCreate {
  return checked(oneObjectFromYaml(text, RAYJOB));
}

function checked(object: Obj): RayJobToCreate {
  const fields: Record<string, string> = {};
  const { name, namespace } = checkIdentity(object, RAYJOB, fields);
  const spec = objAt(object, 'spec');
  if (!spec) fields.spec = 'The RayJob needs a spec (entrypoint, rayClusterSpec).';
  else {
    if (typeof spec.entrypoint !== 'string' || spec.entrypoint.trim() === '')
      fields['spec.entrypoint'] = 'Give the command that starts the job (spec.entrypoint).';
    if (spec.clusterSelector !== undefined)
      fields['spec.clusterSelector'] =
        'This form runs the job on a new cluster: remove clusterSelector and keep rayClusterSpec.';
    const cluster = objAt(spec, 'rayClusterSpec');
    if (!cluster) fields['spec.rayClusterSpec'] = 'Describe the cluster the job runs on (spec.rayClusterSpec).';
    else {
      if (objAt(cluster, 'authOptions')?.mode !== 'token')
        fields['spec.rayClusterSpec.authOptions'] =
          "The job's cluster must check tokens: set spec.rayClusterSpec.authOptions.mode: token (KubeRay 1.5.1 or later).";
      checkRayVersion(cluster, fields, 'spec.rayClusterSpec.rayVersion');
    }
  }
  if (Object.keys(fields).length > 0) throw invalidYaml(RAYJOB, fields);
  // What the API server writes is not the person's to send: a pasted export keeps working.
  const { status: _status, ...rest } = object;
  return { namespace, name, object: rest };
}
