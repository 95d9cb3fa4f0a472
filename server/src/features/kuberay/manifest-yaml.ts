import { stringify } from 'yaml';

/**
 * The metadata the API server writes on every object. `kubectl apply -f` of an exported object must
 * create it again elsewhere (another namespace, another cluster), so these go: with a stale
 * `resourceVersion` or `uid` the apply would be refused or would fight the original.
 */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'ownerReferences',
  'finalizers',
] as const;

/** The annotation kubectl keeps the last applied manifest in: a second copy of the whole object. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * An object read from the API server as the YAML `kubectl apply -f` takes: `apiVersion`, `kind`,
 * `metadata` (name, namespace, labels, annotations) and `spec`, without `status` and the server's
 * bookkeeping. Used by every "Export as YAML" (RayCluster, RayJob, RayService), so the console teaches
 * the manifests a person would write.
 */
export function manifestForApply(object: Record<string, unknown>): string {
  const { apiVersion, kind, metadata, spec } = object;
  const meta: Record<string, unknown> = { ...(metadata as Record<string, unknown> | undefined) };
  for (const key of SERVER_METADATA) delete meta[key];
  const annotations = meta.annotations as Record<string, string> | undefined;
  if (annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _dropped, ...rest } = annotations;
    if (Object.keys(rest).length > 0) meta.annotations = rest;
    else delete meta.annotations;
  }
  return stringify({ apiVersion, kind, metadata: meta, ...(spec === undefined ? {} : { spec }) });
}
