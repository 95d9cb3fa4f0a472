import { parseAllDocuments } from 'yaml';
import { AppError } from '../../lib/app-error.js';
import { isDnsLabel, shown } from '../kubernetes/kube-names.js';

/**
 * What every "edit the YAML, then create" page (RayCluster, RayJob) checks first in the text a person
 * edited: untrusted input, read as exactly one YAML document holding one object (aliases bounded), with a
 * `ray.io/v1` kind, a name KubeRay accepts and a namespace. The kind's own checks follow in its module.
 * Errors are keyed by the API path the API server would use, so the page shows both the same way.
 */

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const objAt = (v: unknown, key: string): Obj | undefined => (isObj(v) && isObj(v[key]) ? v[key] : undefined);

/** DNS-1035 label: KubeRay names Services after these objects, so a letter must come first. */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export interface EditedKind {
  kind: 'RayCluster' | 'RayJob';
  /** How the messages name it: "the cluster", "the RayJob". */
  noun: string;
  /** The longest name KubeRay accepts for it. */
  maxName: number;
  /** Added to the "keep exactly one document" message. */
  oneDocumentHint?: string;
}

/** The one object in `text`, or a `validation` error saying what to change. */
export function oneObjectFromYaml(text: string, what: EditedKind): Obj {
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(docs)) throw invalidYaml(what, { yaml: `Paste or write the ${what.kind} YAML.` });
  const filled = docs.filter((d) => d.contents !== null || d.errors.length > 0);
  for (const doc of filled) {
    const problem = doc.errors[0];
    if (problem) {
      const line = text.slice(0, problem.pos[0]).split('\n').length;
      throw invalidYaml(what, { yaml: `The YAML cannot be read (line ${line}): ${problem.message}` });
    }
  }
  if (filled.length !== 1)
    throw invalidYaml(what, {
      yaml: `The YAML holds ${filled.length} documents: keep exactly one, the ${what.kind}${what.oneDocumentHint ?? ''}.`,
    });
  const object: unknown = filled[0]!.toJS({ maxAliasCount: 50 });
  if (!isObj(object))
    throw invalidYaml(what, { yaml: `The YAML must be a ${what.kind} object (apiVersion, kind, metadata, spec).` });
  return object;
}

/** Checks kind, apiVersion, metadata.name and metadata.namespace into `fields`; returns the name and namespace. */
export function checkIdentity(
  object: Obj,
  what: EditedKind,
  fields: Record<string, string>,
): { name: string; namespace: string } {
  if (object.kind !== what.kind) fields.kind = `Set kind: ${what.kind} (this page creates ${what.kind}s only).`;
  if (object.apiVersion !== 'ray.io/v1') fields.apiVersion = 'Set apiVersion: ray.io/v1.';
  const metadata = objAt(object, 'metadata');
  const name = typeof metadata?.name === 'string' ? metadata.name : '';
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : '';
  if (!name) fields['metadata.name'] = `Give ${what.noun} a name (metadata.name).`;
  else if (name.length > what.maxName)
    fields['metadata.name'] = `KubeRay accepts ${what.kind} names of at most ${what.maxName} characters: shorten it.`;
  else if (!DNS_1035_LABEL.test(name))
    fields['metadata.name'] =
      'Use lower-case letters, digits and "-", starting with a letter and ending with a letter or digit.';
  if (!namespace) fields['metadata.namespace'] = `Set metadata.namespace to the namespace to create ${what.noun} in.`;
  else if (!isDnsLabel(namespace))
    fields['metadata.namespace'] = `The namespace ${shown(namespace)} is not a valid name.`;
  return { name, namespace };
}

export function invalidYaml(what: EditedKind, fields: Record<string, string>): AppError {
  const [first] = Object.entries(fields);
  const summary = first ? (first[0] === 'yaml' ? first[1] : `${first[0]}: ${first[1]}`) : 'invalid';
  return new AppError('validation', `The ${what.kind} YAML is not valid: ${summary}`, fields);
}
