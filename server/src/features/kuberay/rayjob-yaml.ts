import { parseAllDocuments } from 'yaml';
import { MIN_TOKEN_AUTH_RAY_VERSION, RAYJOB_NAME_MAX, supportsTokenAuth } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { isDnsLabel, shown } from '../kubernetes/kube-names.js';

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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objAt = (v: unknown, key: string): Obj | undefined => (isObj(v) && isObj(v[key]) ? v[key] : undefined);

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function rayJobFromYaml(text: string): RayJobToCreate {
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(docs)) throw invalid({ yaml: 'Paste or write the RayJob YAML.' });
  const filled = docs.filter((d) => d.contents !== null || d.errors.length > 0);
  for (const doc of filled) {
    const problem = doc.errors[0];
    if (problem) {
      const line = text.slice(0, problem.pos[0]).split('\n').length;
      throw invalid({ yaml: `The YAML cannot be read (line ${line}): ${problem.message}` });
    }
  }
  if (filled.length !== 1)
    throw invalid({ yaml: `The YAML holds ${filled.length} documents: keep exactly one, the RayJob.` });
  const object: unknown = filled[0]!.toJS({ maxAliasCount: 50 });
  if (!isObj(object)) throw invalid({ yaml: 'The YAML must be a RayJob object (apiVersion, kind, metadata, spec).' });
  return checked(object);
}

function checked(object: Obj): RayJobToCreate {
  const fields: Record<string, string> = {};
  if (object.kind !== 'RayJob') fields.kind = 'Set kind: RayJob (this form creates RayJobs only).';
  if (object.apiVersion !== 'ray.io/v1') fields.apiVersion = 'Set apiVersion: ray.io/v1.';
  const metadata = objAt(object, 'metadata');
  const name = typeof metadata?.name === 'string' ? metadata.name : '';
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : '';
  if (!name) fields['metadata.name'] = 'Give the RayJob a name (metadata.name).';
  else if (name.length > RAYJOB_NAME_MAX)
    fields['metadata.name'] = `KubeRay accepts RayJob names of at most ${RAYJOB_NAME_MAX} characters: shorten it.`;
  else if (!DNS_1035_LABEL.test(name))
    fields['metadata.name'] =
      'Use lower-case letters, digits and "-", starting with a letter and ending with a letter or digit.';
  if (!namespace) fields['metadata.namespace'] = 'Set metadata.namespace to the namespace to create the RayJob in.';
  else if (!isDnsLabel(namespace))
    fields['metadata.namespace'] = `The namespace ${shown(namespace)} is not a valid name.`;
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
      const version = cluster.rayVersion;
      if (typeof version !== 'string' || !supportsTokenAuth(version))
        fields['spec.rayClusterSpec.rayVersion'] =
          `Token authentication needs Ray ${MIN_TOKEN_AUTH_RAY_VERSION} or later: set rayVersion to a quoted version like "2.53.0".`;
    }
  }
  if (Object.keys(fields).length > 0) throw invalid(fields);
  // What the API server writes is not the person's to send: a pasted export keeps working.
  const { status: _status, ...rest } = object;
  return { namespace, name, object: rest };
}

function invalid(fields: Record<string, string>): AppError {
  const [first] = Object.entries(fields);
  const summary = first ? (first[0] === 'yaml' ? first[1] : `${first[0]}: ${first[1]}`) : 'invalid';
  return new AppError('validation', `The RayJob YAML is not valid: ${summary}`, fields);
}
