import { z } from 'zod';

/**
 * The parts of Kubernetes objects the console reads, as schemas. They are lenient (every field the
 * console can live without is optional, unknown fields are dropped) because RayClusters are written by
 * hand as often as by tools, and one odd object must not hide the others.
 */

const Labels = z.record(z.string(), z.string());

export const OwnerReference = z.object({
  apiVersion: z.string().optional(),
  kind: z.string(),
  name: z.string(),
  controller: z.boolean().optional(),
});

export const ObjectMeta = z.object({
  name: z.string(),
  namespace: z.string(),
  labels: Labels.optional(),
  annotations: Labels.optional(),
  ownerReferences: z.array(OwnerReference).optional(),
  // A string in raw JSON, a Date once client-node has deserialised a typed object; only its presence matters.
  deletionTimestamp: z.unknown().optional(),
});

export const EnvVar = z.object({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z
    .object({
      secretKeyRef: z.object({ name: z.string().optional(), key: z.string() }).optional(),
    })
    .optional(),
});
export type EnvVar = z.infer<typeof EnvVar>;

const Container = z.object({
  name: z.string().optional(),
  env: z.array(EnvVar).optional(),
  ports: z.array(z.object({ name: z.string().optional(), containerPort: z.number().int() })).optional(),
});

const Condition = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** `ray.io/v1` RayCluster: metadata, the spec fields about auth, workers and the head Service, and the status. */
export const RayClusterObject = z.object({
  metadata: ObjectMeta,
  spec: z
    .object({
      rayVersion: z.string().optional(),
      suspend: z.boolean().optional(),
      authOptions: z
        .object({
          mode: z.string().optional(),
          secretName: z.string().optional(),
          enableK8sTokenAuth: z.boolean().optional(),
        })
        .optional(),
      headGroupSpec: z
        .object({
          headService: z.object({ metadata: z.object({ name: z.string().optional() }).optional() }).optional(),
          template: z.object({ spec: z.object({ containers: z.array(Container).default([]) }).optional() }).optional(),
        })
        .optional(),
      workerGroupSpecs: z
        .array(
          z.object({
            replicas: z.number().int().optional(),
            numOfHosts: z.number().int().optional(),
            suspend: z.boolean().optional(),
          }),
        )
        .optional(),
    })
    .default({}),
  status: z
    .object({
      state: z.string().optional(),
      conditions: z.array(Condition).optional(),
      desiredWorkerReplicas: z.number().int().optional(),
      availableWorkerReplicas: z.number().int().optional(),
      readyWorkerReplicas: z.number().int().optional(),
      head: z.object({ serviceName: z.string().optional() }).optional(),
      /** Port name to port number, as strings, copied from the head Service. */
      endpoints: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});
export type RayClusterObject = z.infer<typeof RayClusterObject>;

/** A core/v1 Service: enough to find a RayCluster's head Service and its `dashboard` port. */
export const ServiceObject = z.object({
  metadata: ObjectMeta,
  spec: z
    .object({
      ports: z.array(z.object({ name: z.string().optional(), port: z.number().int() })).optional(),
    })
    .default({}),
});
export type ServiceObject = z.infer<typeof ServiceObject>;

/** Parses the items of a list answer; items that do not fit are skipped and counted. */
export function parseItems<S extends z.ZodType>(schema: S, body: unknown): { items: z.output<S>[]; skipped: number } {
  const raw = (body as { items?: unknown } | null | undefined)?.items;
  const list = Array.isArray(raw) ? (raw as unknown[]) : [];
  const items: z.output<S>[] = [];
  let skipped = 0;
  for (const item of list) {
    const parsed = schema.safeParse(item);
    if (parsed.success) items.push(parsed.data);
    else skipped += 1;
  }
  return { items, skipped };
}
