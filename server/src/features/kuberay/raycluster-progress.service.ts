import type { z } from 'zod';
import type { RayClusterProgress, ReadRefusal } from '@ray-console/shared';
import { AppError, isAppError } from '../../lib/app-error.js';
import { RayClusterObject, parseItems } from '../../kubernetes/kube-objects.js';
import type { KubeListOptions, PersonKube, PersonKubeKind } from '../../kubernetes/person-kube.js';
import { manifestForApply } from './manifest-yaml.js';
import { EventObject, PodObject } from './progress-objects.js';
import { progressOf } from './raycluster-progress.js';

/**
 * A RayCluster's progress, delete and YAML export, as the person (every call through their
 * {@link PersonKube}, so the API server decides with their RBAC). Reading the Pods and Events is
 * optional: a person who may read the RayCluster but not its Pods still gets the conditions, and is told
 * what was refused.
 */

/** Pods whose own Events are read: the stuck ones say why; a 200-worker cluster must not cost 200 calls. */
const PODS_WITH_EVENTS = 5;

/**
 * The API server's 403 to the person, as what it refused and to whom; `undefined` for any other failure
 * (among them a 403 to the console's own identity, which may not impersonate: that is not the person's).
 */
function refusalOf(err: unknown): ReadRefusal | undefined {
  if (!isAppError(err, 'kube_forbidden')) return undefined;
  const p = err.params ?? {};
  const text = (key: string) => (typeof p[key] === 'string' ? p[key] : undefined);
  const user = text('user');
  return {
    verb: text('verb') ?? 'list',
    resource: text('resource') ?? '',
    ...(user ? { user } : {}),
    message: err.message,
  };
}

/** The list, or the API server's refusal of it to the person. */
async function readable<T>(read: () => Promise<T[]>): Promise<T[] | ReadRefusal> {
  try {
    return await read();
  } catch (err) {
    const refusal = refusalOf(err);
    if (refusal) return refusal;
    throw err;
  }
}

const labelSelectorOf = (name: string) => `ray.io/cluster=${name}`;

/** Reads the RayCluster (its 404 and 403 are the answer's), then its Pods, Events and the delete right. */
export async function readProgress(kube: PersonKube, namespace: string, name: string): Promise<RayClusterProgress> {
  const parsed = RayClusterObject.safeParse(await kube.get('RayCluster', namespace, name));
  if (!parsed.success) {
    throw new AppError('internal', `The RayCluster ${namespace}/${name} could not be read as one.`, undefined, {
      cause: parsed.error,
    });
  }
  const rayCluster = parsed.data;
  const listed = async <S extends z.ZodType>(schema: S, kind: PersonKubeKind, options: KubeListOptions) =>
    parseItems(schema, { items: await kube.list(kind, namespace, options) }).items;
  const [pods, clusterEvents, canDelete] = await Promise.all([
    readable(() => listed(PodObject, 'Pod', { labelSelector: labelSelectorOf(name) })),
    // The name is a checked DNS subdomain: no "," or "=" to widen the selector.
    readable(() =>
      listed(EventObject, 'Event', { fieldSelector: `involvedObject.kind=RayCluster,involvedObject.name=${name}` }),
    ),
    // A failed review only hides the button; the API server still decides at the delete itself.
    kube.allowed('delete', 'RayCluster', namespace, name).catch(() => false),
  ]);
  let events = clusterEvents;
  if (Array.isArray(events) && Array.isArray(pods)) {
    const notReady = pods.filter((p) => !p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const podEvents = await Promise.all(
      notReady.slice(0, PODS_WITH_EVENTS).map((pod) =>
        listed(EventObject, 'Event', {
          fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${pod.metadata.name}`,
        }),
      ),
    );
    events = [...events, ...podEvents.flat()];
  }
  return progressOf({ rayCluster, pods, events, canDelete });
}

/**
 * Deletes the RayCluster once the person has typed its name again: a slip of the mouse on the wrong row
 * must not take a cluster (and every job on it) away.
 */
export async function deleteRayCluster(
  kube: PersonKube,
  namespace: string,
  name: string,
  confirmName: string,
): Promise<void> {
  if (confirmName !== name) {
    throw new AppError(
      'validation',
      `To delete the RayCluster, type its name "${name}" exactly.`,
      { confirmName: `Type "${name}" to delete this RayCluster.` },
      { params: { name } },
    );
  }
  await kube.delete('RayCluster', namespace, name);
}

/** The RayCluster as the YAML `kubectl apply -f` takes. */
export async function rayClusterYaml(kube: PersonKube, namespace: string, name: string): Promise<string> {
  const object = await kube.get('RayCluster', namespace, name);
  return manifestForApply(object as Record<string, unknown>);
}
