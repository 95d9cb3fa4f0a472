import { Router, type Request } from 'express';
import { RayServiceListQuery, RayServiceParams, type RayServiceYaml } from '@ray-console/shared';
import { parseInput } from '../../lib/parse.js';
import type { PersonKubeOf } from '../../kubernetes/person-kube.js';
import { getRayService, listRayServices, rayServiceYaml } from './rayservices.service.js';

export interface RayServicesRouterDeps {
  /** Kubernetes as the signed-in person (rejects with `kube_identity_required` when the console has none for them). */
  personKube: PersonKubeOf;
  /** Where to look without `?namespace=`: the namespaces of the discovered clusters this person sees, sorted. */
  discoveredNamespaces: (req: Request) => readonly string[];
}

/** `GET /kubernetes/rayservices[...]`: read-only, as the person (their RBAC decides what they see). */
export function rayServicesRouter({ personKube: kubeOf, discoveredNamespaces }: RayServicesRouterDeps): Router {
  const router = Router();

  router.get('/kubernetes/rayservices', async (req, res) => {
    const { namespace } = parseInput(RayServiceListQuery, req.query, 'query');
    const kube = await kubeOf(req);
    const namespaces = namespace ? [namespace] : discoveredNamespaces(req);
    res.json(await listRayServices(kube, namespaces, { explicit: namespace !== undefined }));
  });

  router.get('/kubernetes/rayservices/:namespace/:name', async (req, res) => {
    const { namespace, name } = parseInput(RayServiceParams, req.params, 'RayService');
    res.json(await getRayService(await kubeOf(req), namespace, name));
  });

  router.get('/kubernetes/rayservices/:namespace/:name/yaml', async (req, res) => {
    const { namespace, name } = parseInput(RayServiceParams, req.params, 'RayService');
    const body: RayServiceYaml = { yaml: await rayServiceYaml(await kubeOf(req), namespace, name) };
    res.json(body);
  });

  return router;
}
