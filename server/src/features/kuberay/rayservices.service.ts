import type { RayServiceList, RayServiceView } from '@ray-console/shared';
import { isAppError } from '../../lib/app-error.js';
import type { PersonKube } from '../../kubernetes/person-kube.js';
import { manifestForApply } from './manifest-yaml.js';
import { parseRayService, rayServiceView } from './rayservice-view.js';

/**
 * RayServices, read as the person (read-only). With one namespace asked for, its refusal is the answer;
 * when looking in several (those the console discovered clusters in), a namespace the person may not
 * list is named in `problems` and the others are still shown.
 */
export async function listRayServices(
  kube: PersonKube,
  namespaces: readonly string[],
  { explicit }: { explicit: boolean },
): Promise<RayServiceList> {
  const results = await Promise.all(
    namespaces.map(async (namespace) => {
      try {
        const objects = await kube.list('RayService', namespace);
        // One odd object (a name that is no Kubernetes name) must not hide the others.
        const items = objects.flatMap((o) => {
          try {
            return [rayServiceView(parseRayService(o))];
          } catch {
            return [];
          }
        });
        return { items, problem: undefined };
      } catch (err) {
        if (explicit || !isAppError(err)) throw err;
        return { items: [], problem: { namespace, message: err.message } };
      }
    }),
  );
  const items = results
    .flatMap((r) => r.items)
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { items, namespaces: [...namespaces], problems: results.flatMap((r) => (r.problem ? [r.problem] : [])) };
}

export async function getRayService(kube: PersonKube, namespace: string, name: string): Promise<RayServiceView> {
  return rayServiceView(parseRayService(await kube.get('RayService', namespace, name)));
}

export async function rayServiceYaml(kube: PersonKube, namespace: string, name: string): Promise<string> {
  const object = await kube.get('RayService', namespace, name);
  // Parsed first: whatever came back must at least be a RayService before it is offered as one.
  parseRayService(object);
  return manifestForApply(object as Record<string, unknown>);
}
