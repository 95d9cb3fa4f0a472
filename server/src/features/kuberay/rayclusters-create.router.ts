import { Router } from 'express';
import { RayClusterCreateRequest, RayClusterPreviewRequest } from '@ray-console/shared';
import type { AuditRecorder } from '../../lib/audit.js';
import { AppError } from '../../lib/app-error.js';
import { parseInput } from '../../lib/parse.js';
import type { PersonKubeOf } from '../../kubernetes/person-kube.js';
import { clusterIdOf } from '../kubernetes/raycluster-view.js';
import { createRayCluster, fromForm, previewOf } from './raycluster-create.js';
import { rayClusterFromYaml } from './raycluster-yaml.js';

export interface RayClustersCreateDeps {
  /** The person's Kubernetes (or a `kube_identity_required` error saying how to get one). */
  personKubeOf: PersonKubeOf;
  audit: AuditRecorder;
}

/**
 * `POST /api/kubernetes/rayclusters/preview` (form → YAML) and `POST /api/kubernetes/rayclusters`
 * (form or edited YAML, dry run or create, as the person). Creates are audited with the person and the
 * Kubernetes user; dry runs store nothing and are not.
 */
export function rayClustersCreateRouter({ personKubeOf, audit }: RayClustersCreateDeps): Router {
  const router = Router();

  router.post('/kubernetes/rayclusters/preview', (req, res) => {
    const { form } = parseInput(RayClusterPreviewRequest, req.body, 'RayCluster form');
    res.json(previewOf(form));
  });

  router.post('/kubernetes/rayclusters', async (req, res) => {
    const body = parseInput(RayClusterCreateRequest, req.body, 'RayCluster request');
    const target = body.form ? fromForm(body.form) : rayClusterFromYaml(body.yaml ?? '');
    const kube = await personKubeOf(req);
    const options = {
      dryRun: body.dryRun,
      viaForm: body.form !== undefined,
      fixedReplicas: body.form?.worker.scaling.mode === 'fixed',
    };
    const record = { clusterId: clusterIdOf(target.namespace, target.name), action: 'raycluster.create' as const };
    try {
      const created = await createRayCluster(kube, target, options);
      if (!body.dryRun) await audit.record(req, { ...record, outcome: 'success', kubeUser: kube.user });
      res.status(body.dryRun ? 200 : 201).json(created);
    } catch (err) {
      if (!body.dryRun)
        await audit.record(req, {
          ...record,
          outcome: 'failure',
          reason: err instanceof AppError ? err.code : 'internal',
          kubeUser: kube.user,
        });
      throw err;
    }
  });

  return router;
}
