import { Router, type Request } from 'express';
import {
  JobId,
  RayJobCreateRequest,
  RayJobListQuery,
  RayJobParams,
  RayJobPreviewRequest,
  RayJobSuspendRequest,
  type RayJobPreview,
  type AuditAction,
  type RayJobDeleted,
  type RayJobDetail,
  type RayJobList,
  type RayJobYaml,
} from '@ray-console/shared';
import { isAppError } from '../../lib/app-error.js';
import type { AuditRecorder } from '../../lib/audit.js';
import { parseInput } from '../../lib/parse.js';
import type { PersonKube, PersonKubeOf } from '../../kubernetes/person-kube.js';
import { isDnsLabel } from '../kubernetes/kube-names.js';
import { clusterIdOf } from '../kubernetes/raycluster-view.js';
import { manifestForApply } from './manifest-yaml.js';
import { createRayJob, rayJobFromForm } from './rayjob-create.js';
import { rayJobManifest } from './rayjob-manifest.js';
import { byNewest, detailOf, RayJobObject, summaryOf } from './rayjob-view.js';
import { rayJobFromYaml } from './rayjob-yaml.js';

export interface RayJobsRouterDeps {
  /** The person's Kubernetes (issue 12); rejects with `kube_identity_required` when there is none. */
  personKube: PersonKubeOf;
  /** Whether discovery lists a console cluster id, so a RayJob links to its Ray job only where that works. */
  isKnownCluster: (clusterId: string) => boolean;
  /** The namespaces listed when the request names none (discovery's; `default` when it searches all). */
  namespaces: readonly string[];
  audit: AuditRecorder;
}

/**
 * RayJobs as the signed-in person: create ("on a new cluster", with preview and dry run), list,
 * details, YAML export, suspend/resume and delete. Every call
 * goes through the person's `PersonKube`, so the API server decides with their RBAC and its 403 names
 * the verb and resource it refused.
 */
export function rayJobsRouter({ personKube: kubeOf, isKnownCluster, namespaces, audit }: RayJobsRouterDeps): Router {
  const router = Router();

  const read = async (kube: PersonKube, namespace: string, name: string): Promise<RayJobObject> =>
    RayJobObject.parse(await kube.get('RayJob', namespace, name));

  /**
   * Runs a RayJob write and records it: in the trail of the cluster the RayJob made (where a person
   * debugging that cluster looks), or under the RayJob's own name before it has one.
   */
  async function audited<T>(
    req: Request,
    action: AuditAction,
    target: { namespace: string; name: string; rayClusterName?: string | undefined; jobId?: string | undefined },
    fn: () => Promise<T>,
    kubeUser: string,
  ): Promise<T> {
    // Both names come from the RayJob's status, which whoever may patch it writes: only well-formed ones.
    const cluster = target.rayClusterName && isDnsLabel(target.rayClusterName) ? target.rayClusterName : target.name;
    const clusterId = clusterIdOf(target.namespace, cluster);
    const jobId = target.jobId && JobId.safeParse(target.jobId).success ? { jobId: target.jobId } : {};
    try {
      const result = await fn();
      await audit.record(req, { clusterId, action, outcome: 'success', kubeUser, ...jobId });
      return result;
    } catch (err) {
      const reason = isAppError(err) ? err.code : 'internal';
      await audit.record(req, { clusterId, action, outcome: 'failure', reason, kubeUser, ...jobId });
      throw err;
    }
  }

  router.get('/kubernetes/rayjobs', async (req, res) => {
    const { namespace } = parseInput(RayJobListQuery, req.query, 'RayJob list query');
    const kube = await kubeOf(req);
    const listed = namespace ? [namespace] : namespaces.length > 0 ? [...namespaces] : ['default'];
    const items = (await Promise.all(listed.map((ns) => kube.list('RayJob', ns))))
      .flat()
      .map((item) => RayJobObject.safeParse(item))
      .filter((parsed) => parsed.success)
      .map((parsed) => summaryOf(parsed.data, isKnownCluster))
      .sort(byNewest);
    const body: RayJobList = { items, namespaces: listed };
    res.json(body);
  });

  router.post('/kubernetes/rayjobs/preview', (req, res) => {
    const { form } = parseInput(RayJobPreviewRequest, req.body, 'RayJob form');
    const body: RayJobPreview = {
      yaml: manifestForApply(rayJobManifest(form) as unknown as Record<string, unknown>),
    };
    res.json(body);
  });

  // A job "on a new cluster": the form or the edited YAML, dry-run or created as the person.
  router.post('/kubernetes/rayjobs', async (req, res) => {
    const request = parseInput(RayJobCreateRequest, req.body, 'RayJob request');
    const target = request.form ? rayJobFromForm(request.form) : rayJobFromYaml(request.yaml ?? '');
    const kube = await kubeOf(req);
    const create = () =>
      createRayJob(kube, target, {
        dryRun: request.dryRun,
        viaForm: request.form !== undefined,
        fixedReplicas: request.form?.cluster.worker.scaling.mode === 'fixed',
      });
    // Dry runs store nothing and are not recorded.
    const created = request.dryRun ? await create() : await audited(req, 'rayjob.create', target, create, kube.user);
    res.status(request.dryRun ? 200 : 201).json(created);
  });

  router.get('/kubernetes/rayjobs/:namespace/:name', async (req, res) => {
    const { namespace, name } = parseInput(RayJobParams, req.params, 'RayJob address');
    const kube = await kubeOf(req);
    const [job, patch, remove] = await Promise.all([
      read(kube, namespace, name),
      kube.allowed('patch', 'RayJob', namespace, name),
      kube.allowed('delete', 'RayJob', namespace, name),
    ]);
    const body: RayJobDetail = detailOf(job, isKnownCluster, { patch, delete: remove });
    res.json(body);
  });

  router.get('/kubernetes/rayjobs/:namespace/:name/yaml', async (req, res) => {
    const { namespace, name } = parseInput(RayJobParams, req.params, 'RayJob address');
    const kube = await kubeOf(req);
    const body: RayJobYaml = {
      yaml: manifestForApply((await kube.get('RayJob', namespace, name)) as Record<string, unknown>),
    };
    res.json(body);
  });

  // Suspend (true) or resume (false): a merge patch of `spec.suspend`. KubeRay then deletes the cluster
  // (suspend) or makes a new one and runs the job again (resume); docs/kuberay-behaviour.md.
  router.patch('/kubernetes/rayjobs/:namespace/:name', async (req, res) => {
    const { namespace, name } = parseInput(RayJobParams, req.params, 'RayJob address');
    const { suspend } = parseInput(RayJobSuspendRequest, req.body ?? {}, 'RayJob change');
    const kube = await kubeOf(req);
    // What the trail names; a person allowed to patch but not to read still gets the API server's answer.
    const before = await read(kube, namespace, name).catch(() => undefined);
    const target = { namespace, name, rayClusterName: before?.status?.rayClusterName, jobId: before?.status?.jobId };
    const patched = await audited(
      req,
      suspend ? 'rayjob.suspend' : 'rayjob.resume',
      target,
      () => kube.mergePatch('RayJob', namespace, name, { spec: { suspend } }),
      kube.user,
    );
    const [patch, remove] = await Promise.all([
      kube.allowed('patch', 'RayJob', namespace, name),
      kube.allowed('delete', 'RayJob', namespace, name),
    ]);
    const body: RayJobDetail = detailOf(RayJobObject.parse(patched), isKnownCluster, { patch, delete: remove });
    res.json(body);
  });

  router.delete('/kubernetes/rayjobs/:namespace/:name', async (req, res) => {
    const { namespace, name } = parseInput(RayJobParams, req.params, 'RayJob address');
    const kube = await kubeOf(req);
    // What the trail names (the cluster it made); a RayJob the person may not read is still deleted if
    // they may delete it, and recorded under its own name.
    const before = await read(kube, namespace, name).catch(() => undefined);
    const target = { namespace, name, rayClusterName: before?.status?.rayClusterName, jobId: before?.status?.jobId };
    await audited(req, 'rayjob.delete', target, () => kube.delete('RayJob', namespace, name), kube.user);
    const body: RayJobDeleted = { deleted: true };
    res.json(body);
  });

  return router;
}
