import { Router } from 'express';
import { z } from 'zod';
import { DeleteRayClusterRequest } from '@ray-console/shared';
import { isAppError } from '../../lib/app-error.js';
import type { AuditRecorder } from '../../lib/audit.js';
import { parseInput } from '../../lib/parse.js';
import type { PersonKubeOf } from '../../kubernetes/person-kube.js';
import { isDnsLabel, isDnsSubdomain } from '../kubernetes/kube-names.js';
import { clusterIdOf } from '../kubernetes/raycluster-view.js';
import { deleteRayCluster, rayClusterYaml, readProgress } from './raycluster-progress.service.js';

export interface RayClusterProgressRouterDeps {
  /** The person's Kubernetes; it answers `kube_identity_required` (saying how to get one) when there is none. */
  personKube: PersonKubeOf;
  audit?: AuditRecorder;
}

/** A namespace and a RayCluster name, checked before they go into an API path or a field selector. */
const ObjectParams = z.object({
  namespace: z.string().refine(isDnsLabel, 'Use a namespace name: lower-case letters, digits and "-" (at most 63).'),
  name: z
    .string()
    .refine(isDnsSubdomain, 'Use a RayCluster name: lower-case letters, digits, "-" and "." (at most 253).'),
});

/**
 * A RayCluster's progress (`GET`), its delete after typing its name (`DELETE`) and its YAML export
 * (`GET .../yaml`), under `/api/kubernetes/rayclusters/:namespace/:name`, each as the signed-in person.
 */
export function rayClusterProgressRouter({ personKube, audit }: RayClusterProgressRouterDeps): Router {
  const router = Router();
  const base = '/kubernetes/rayclusters/:namespace/:name';

  router.get(base, async (req, res) => {
    const { namespace, name } = parseInput(ObjectParams, req.params, 'RayCluster');
    res.json(await readProgress(await personKube(req), namespace, name));
  });

  router.get(`${base}/yaml`, async (req, res) => {
    const { namespace, name } = parseInput(ObjectParams, req.params, 'RayCluster');
    const yaml = await rayClusterYaml(await personKube(req), namespace, name);
    res.type('text/yaml').set('Content-Disposition', `attachment; filename="${name}.yaml"`).send(yaml);
  });

  router.delete(base, async (req, res) => {
    const { namespace, name } = parseInput(ObjectParams, req.params, 'RayCluster');
    const { confirmName } = parseInput(DeleteRayClusterRequest, req.body ?? {}, 'delete request');
    const kube = await personKube(req);
    const clusterId = clusterIdOf(namespace, name);
    try {
      await deleteRayCluster(kube, namespace, name, confirmName);
    } catch (err) {
      // A name typed wrong never reached the API server: nothing happened worth a trail entry.
      if (!isAppError(err, 'validation')) {
        const reason = isAppError(err) ? err.code : 'internal';
        await audit?.record(req, { clusterId, action: 'raycluster.delete', outcome: 'failure', reason });
      }
      throw err;
    }
    await audit?.record(req, { clusterId, action: 'raycluster.delete', outcome: 'success' });
    res.status(204).end();
  });

  return router;
}
