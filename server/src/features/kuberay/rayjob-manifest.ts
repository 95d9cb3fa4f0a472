import { stringify } from 'yaml';
import type { RayJobForm } from '@ray-console/shared';
import { rayClusterSpecOf, type RayClusterSpec } from './raycluster-manifest.js';
import { formFieldOf } from './raycluster-fields.js';

/**
 * A job "on a new cluster" as the RayJob KubeRay runs: the job part of the submit form, and the cluster
 * spec of the "New RayCluster" form (raycluster-manifest.ts, embedded as `spec.rayClusterSpec`, so the
 * cluster gets `authOptions.mode: token` the same way). Pure; the routes decide what is sent where.
 */

export interface RayJobObjectToCreate {
  apiVersion: 'ray.io/v1';
  kind: 'RayJob';
  metadata: { name: string; namespace: string };
  spec: {
    entrypoint: string;
    runtimeEnvYAML?: string;
    metadata?: Record<string, string>;
    entrypointNumCpus?: number;
    entrypointNumGpus?: number;
    shutdownAfterJobFinishes: boolean;
    ttlSecondsAfterFinished: number;
    backoffLimit: number;
    activeDeadlineSeconds?: number;
    rayClusterSpec: RayClusterSpec;
  };
}

export function rayJobManifest(form: RayJobForm): RayJobObjectToCreate {
  const hasRuntimeEnv = form.runtimeEnv && Object.keys(form.runtimeEnv).length > 0;
  const hasMetadata = form.metadata && Object.keys(form.metadata).length > 0;
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: { name: form.name, namespace: form.namespace },
    spec: {
      entrypoint: form.entrypoint,
      // KubeRay takes the runtime environment as YAML text (and passes it to Ray's job submission).
      ...(hasRuntimeEnv ? { runtimeEnvYAML: stringify(form.runtimeEnv) } : {}),
      ...(hasMetadata ? { metadata: form.metadata } : {}),
      ...(form.entrypointNumCpus !== undefined ? { entrypointNumCpus: form.entrypointNumCpus } : {}),
      ...(form.entrypointNumGpus !== undefined ? { entrypointNumGpus: form.entrypointNumGpus } : {}),
      shutdownAfterJobFinishes: form.shutdownAfterJobFinishes,
      ttlSecondsAfterFinished: form.ttlSecondsAfterFinished,
      backoffLimit: form.backoffLimit,
      ...(form.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: form.activeDeadlineSeconds } : {}),
      rayClusterSpec: rayClusterSpecOf(form.cluster),
    },
  };
}

/** The RayJob's own spec fields and the form inputs they come from. */
const JOB_FIELDS: Record<string, string> = {
  'metadata.name': 'name',
  'metadata.namespace': 'namespace',
  'spec.entrypoint': 'entrypoint',
  'spec.runtimeEnvYAML': 'runtimeEnv',
  'spec.metadata': 'metadata',
  'spec.entrypointNumCpus': 'entrypointNumCpus',
  'spec.entrypointNumGpus': 'entrypointNumGpus',
  'spec.shutdownAfterJobFinishes': 'shutdownAfterJobFinishes',
  'spec.ttlSecondsAfterFinished': 'ttlSecondsAfterFinished',
  'spec.backoffLimit': 'backoffLimit',
  'spec.activeDeadlineSeconds': 'activeDeadlineSeconds',
};

/**
 * Which form input an API path of a RayJob made from the form belongs to (`form.backoffLimit`,
 * `form.cluster.head.cpu`); the embedded cluster's paths are the RayCluster form's, one level down.
 */
export function rayJobFormFieldOf(apiPath: string, fixedReplicas: boolean): string | undefined {
  const own = JOB_FIELDS[apiPath];
  if (own) return `form.${own}`;
  const inCluster = /^spec\.rayClusterSpec\.(.+)$/.exec(apiPath);
  if (!inCluster) return undefined;
  const field = formFieldOf(`spec.${inCluster[1]}`, fixedReplicas);
  return field ? field.replace(/^form\./, 'form.cluster.') : undefined;
}
