import type { RayClusterProgress, ReadRefusal } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { KubernetesError } from '../../kubernetes/kube-client.js';
import { RayClusterObject, parseItems } from '../../kubernetes/kube-objects.js';
import type { PersonKube } from '../../kubernetes/person-kube.js';
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

/** The API server's 403, as what it refused and to whom; `undefined` for any other failure. */
function refusalOf(err: unknown, verb: string, resource: string, user: string): ReadRefusal | undefined {
  if (!(err instanceof KubernetesError) || err.failure !== 'forbidden') return undefined;
  const p = err.params ?? {};
  const text = (key: string, fallback: string) => (typeof p[key] === 'string' ? p[key] : fallback);
  return {
    verb: text('verb', verb),
    resource: text('resource', resource),
    user: text('user', user),
    message: err.message,
  };
}

async function readable<T>(
  read: () => Promise<T[]>,
  what: { verb: string; resource: string; user: string },
): Promise<T[] | ReadRefusal> {
  try {
    return await read();
  } catch (err) {
    const refusal = refusalOf(err, what.verb, what.resource, what.user);
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
  const user = kube.user;
  const [pods, clusterEvents, canDelete] = await Promise.all([
    readable(
      async () =>
        parseItems(PodObject, { items: await kube.list('Pod', namespace, { labelSelector: labelSelectorOf(name) }) })
          .items,
      {
        verb: 'list',
        resource: 'pods',
        user,
      },
    ),
    readable(
      async () =>
        parseItems(EventObject, {
          items: await kube.list('Event', namespace, {
            fieldSelector: `involvedObject.kind=RayCluster,involvedObject.name=${name}`,
          }),
        }).items,
      { verb: 'list', resource: 'events', user },
    ),
    // A failed review only hides the button; the API server still decides at the delete itself.
    kube.allowed('delete', 'RayCluster', namespace, name).catch(() => false),
  ]);
  let events = clusterEvents;
  if (Array.isArray(events) && Array.isArray(pods)) {
    const notReady = pods.filter((p) => !p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const podEvents = await Promise.all(
      notReady.slice(0, PODS_WITH_EVENTS).map((pod) =>
        kube
          .list('Event', namespace, {
            fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${pod.metadata.name}`,
          })
          .then((items) => parseItems(EventObject, { items }).items),
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
