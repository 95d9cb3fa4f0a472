import { parseAllDocuments } from 'yaml';
import { RAYCLUSTER_NAME_MAX, MIN_TOKEN_AUTH_RAY_VERSION, supportsTokenAuth } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { isDnsLabel, isDnsSubdomain, isSecretKey, shown } from '../kubernetes/kube-names.js';

/**
 * The RayCluster YAML a person edited in the preview, read as untrusted input: one document, a
 * `ray.io/v1` RayCluster with a name KubeRay accepts and a namespace, and token authentication on.
 * The API server checks the rest as the person (types, enums, unknown fields) in the dry run; what it
 * does not check and KubeRay refuses only later, in an Event (a Ray version without tokens, negative
 * CPUs or replicas: the CRD allows them), is checked here, keyed by the API path as the API server
 * would name it, so the page shows both kinds of errors the same way.
 */

/** How the cluster gets its token: KubeRay's `authOptions`, or the manual way's Secret. */
export type TokenWay = { way: 'authOptions' } | { way: 'secret-env'; secret: { name: string; key: string } };

export interface RayClusterToCreate {
  namespace: string;
  name: string;
  object: Record<string, unknown>;
  auth: TokenWay;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objAt = (v: unknown, key: string): Obj | undefined => (isObj(v) && isObj(v[key]) ? v[key] : undefined);
const arrayAt = (v: unknown, key: string): unknown[] => (isObj(v) && Array.isArray(v[key]) ? v[key] : []);

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Reads the one RayCluster in `text`, or a `validation` error with every problem on its path. */
export function rayClusterFromYaml(text: string): RayClusterToCreate {
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(docs)) throw invalid({ yaml: 'Paste or write the RayCluster YAML.' });
  const filled = docs.filter((d) => d.contents !== null || d.errors.length > 0);
  for (const doc of filled) {
    const problem = doc.errors[0];
    if (problem) {
      const line = text.slice(0, problem.pos[0]).split('\n').length;
      throw invalid({ yaml: `The YAML cannot be read (line ${line}): ${problem.message}` });
    }
  }
  if (filled.length !== 1)
    throw invalid({
      yaml: `The YAML holds ${filled.length} documents: keep exactly one, the RayCluster (the console makes any Secret itself).`,
    });
  const object: unknown = filled[0]!.toJS({ maxAliasCount: 50 });
  if (!isObj(object))
    throw invalid({ yaml: 'The YAML must be a RayCluster object (apiVersion, kind, metadata, spec).' });
  return checked(object);
}

function checked(object: Obj): RayClusterToCreate {
  const fields: Record<string, string> = {};
  if (object.kind !== 'RayCluster') fields.kind = 'Set kind: RayCluster (this page creates RayClusters only).';
  if (object.apiVersion !== 'ray.io/v1') fields.apiVersion = 'Set apiVersion: ray.io/v1.';
  const metadata = objAt(object, 'metadata');
  const name = typeof metadata?.name === 'string' ? metadata.name : '';
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : '';
  if (!name) fields['metadata.name'] = 'Give the cluster a name (metadata.name).';
  else if (name.length > RAYCLUSTER_NAME_MAX)
    fields['metadata.name'] = `KubeRay accepts names of at most ${RAYCLUSTER_NAME_MAX} characters: shorten it.`;
  else if (!DNS_1035_LABEL.test(name))
    fields['metadata.name'] =
      'Use lower-case letters, digits and "-", starting with a letter and ending with a letter or digit.';
  if (!namespace) fields['metadata.namespace'] = 'Set metadata.namespace to the namespace to create the cluster in.';
  else if (!isDnsLabel(namespace))
    fields['metadata.namespace'] = `The namespace ${shown(namespace)} is not a valid name.`;
  const spec = objAt(object, 'spec');
  if (!spec) fields.spec = 'The RayCluster needs a spec (headGroupSpec, workerGroupSpecs, rayVersion).';

  const auth = spec ? tokenWayOf(spec, fields) : undefined;
  if (spec && auth) checkRayVersion(spec, fields);
  if (spec) checkAmounts(spec, fields);

  if (Object.keys(fields).length > 0 || !auth) throw invalid(fields);
  // What the API server writes is not the person's to send: a pasted export keeps working.
  const { status: _status, ...rest } = object;
  return { namespace, name, object: rest, auth };
}

/** The cluster's token: `authOptions.mode: token`, or the manual env with a Secret; never none, never literal. */
function tokenWayOf(spec: Obj, fields: Record<string, string>): TokenWay | undefined {
  const authOptions = objAt(spec, 'authOptions');
  if (authOptions?.mode === 'token') return { way: 'authOptions' };
  const head = arrayAt(objAt(objAt(objAt(spec, 'headGroupSpec'), 'template'), 'spec'), 'containers')[0];
  const env = arrayAt(head, 'env').filter(isObj);
  const mode = env.find((e) => e.name === 'RAY_AUTH_MODE');
  const token = env.find((e) => e.name === 'RAY_AUTH_TOKEN');
  if (mode?.value === 'token' && token) {
    const ref = objAt(objAt(token, 'valueFrom'), 'secretKeyRef');
    const secretName = typeof ref?.name === 'string' ? ref.name : '';
    const key = typeof ref?.key === 'string' ? ref.key : '';
    const at = 'spec.headGroupSpec.template.spec.containers[0].env';
    if (!ref) {
      // A literal token in the spec is readable by everyone who may read RayClusters.
      fields[at] = 'Take RAY_AUTH_TOKEN from a Secret (valueFrom.secretKeyRef), not a value written in the manifest.';
      return undefined;
    }
    if (!isDnsSubdomain(secretName) || !isSecretKey(key)) {
      fields[at] = 'RAY_AUTH_TOKEN must name a Secret (secretKeyRef.name) and a key (secretKeyRef.key) that are valid.';
      return undefined;
    }
    return { way: 'secret-env', secret: { name: secretName, key } };
  }
  fields['spec.authOptions'] =
    'This page creates token-protected clusters: set spec.authOptions.mode: token (KubeRay 1.5.1 or later), or RAY_AUTH_MODE=token and RAY_AUTH_TOKEN from a Secret on the Ray containers.';
  return undefined;
}

function checkRayVersion(spec: Obj, fields: Record<string, string>): void {
  const version = spec.rayVersion;
  if (typeof version !== 'string' || !supportsTokenAuth(version))
    fields['spec.rayVersion'] =
      `Token authentication needs Ray ${MIN_TOKEN_AUTH_RAY_VERSION} or later: set rayVersion to a quoted version like "2.53.0".`;
}

/** A quantity the CRD's pattern allows but no node can give: negative. */
const isNegative = (v: unknown): boolean =>
  (typeof v === 'number' && v < 0) || (typeof v === 'string' && v.trim().startsWith('-'));

function checkAmounts(spec: Obj, fields: Record<string, string>): void {
  const groups: [string, unknown][] = [['spec.headGroupSpec', objAt(spec, 'headGroupSpec')]];
  arrayAt(spec, 'workerGroupSpecs').forEach((g, i) => groups.push([`spec.workerGroupSpecs[${i}]`, g]));
  for (const [groupPath, group] of groups) {
    arrayAt(objAt(objAt(group, 'template'), 'spec'), 'containers').forEach((container, c) => {
      for (const kind of ['requests', 'limits'] as const) {
        const amounts = objAt(objAt(container, 'resources'), kind);
        for (const resource of ['cpu', 'memory'] as const) {
          if (amounts && isNegative(amounts[resource]))
            fields[`${groupPath}.template.spec.containers[${c}].resources.${kind}.${resource}`] =
              `A ${resource === 'cpu' ? 'CPU' : 'memory'} amount cannot be negative: give a positive one.`;
        }
      }
    });
    if (groupPath === 'spec.headGroupSpec' || !isObj(group)) continue;
    for (const key of ['replicas', 'minReplicas', 'maxReplicas'] as const) {
      const n = group[key];
      if (typeof n === 'number' && n < 0) fields[`${groupPath}.${key}`] = 'A number of workers cannot be negative.';
    }
    const { minReplicas: min, maxReplicas: max } = group;
    if (typeof min === 'number' && typeof max === 'number' && min >= 0 && min > max)
      fields[`${groupPath}.maxReplicas`] = `maxReplicas must be at least minReplicas (${min}).`;
  }
}

function invalid(fields: Record<string, string>): AppError {
  const [first] = Object.entries(fields);
  const summary = first ? (first[0] === 'yaml' ? first[1] : `${first[0]}: ${first[1]}`) : 'invalid';
  return new AppError('validation', `The RayCluster YAML is not valid: ${summary}`, fields);
}
