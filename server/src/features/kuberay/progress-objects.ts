import { z } from 'zod';

/**
 * The parts of a RayCluster's Pods and Events that its progress is read from, as schemas. Lenient like
 * kube-objects.ts: what a kubelet, the scheduler or the operator writes varies by version, and one odd
 * object must not hide the others. Every string here is untrusted (whoever may patch a Pod's status
 * writes it) and is only ever shown, never used in an address or a command.
 */

const Time = z.union([z.string(), z.date()]).nullish();

const ContainerState = z.object({
  waiting: z.object({ reason: z.string().optional(), message: z.string().optional() }).nullish(),
  running: z.object({}).passthrough().nullish(),
  terminated: z
    .object({ reason: z.string().optional(), message: z.string().optional(), exitCode: z.number().int().optional() })
    .nullish(),
});

const ContainerStatus = z.object({
  name: z.string(),
  ready: z.boolean().optional(),
  restartCount: z.number().int().optional(),
  image: z.string().optional(),
  state: ContainerState.nullish(),
  lastState: ContainerState.nullish(),
});
export type ContainerStatus = z.infer<typeof ContainerStatus>;

const PodCondition = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().nullish(),
  message: z.string().nullish(),
});

export const PodObject = z.object({
  metadata: z.object({
    name: z.string(),
    labels: z.record(z.string(), z.string()).optional(),
    deletionTimestamp: z.unknown().optional(),
  }),
  spec: z
    .object({
      nodeName: z.string().optional(),
      containers: z.array(z.object({ name: z.string(), image: z.string().optional() })).default([]),
      initContainers: z.array(z.object({ name: z.string(), image: z.string().optional() })).optional(),
    })
    .default({ containers: [] }),
  status: z
    .object({
      phase: z.string().optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
      conditions: z.array(PodCondition).optional(),
      containerStatuses: z.array(ContainerStatus).optional(),
      initContainerStatuses: z.array(ContainerStatus).optional(),
    })
    .default({}),
});
export type PodObject = z.infer<typeof PodObject>;

/** A core/v1 Event (the API every writer's events are readable through, events.k8s.io's too). */
export const EventObject = z.object({
  metadata: z.object({ creationTimestamp: Time }).optional(),
  type: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  involvedObject: z.object({ kind: z.string().optional(), name: z.string().optional() }),
  source: z.object({ component: z.string().optional() }).nullish(),
  reportingComponent: z.string().optional(),
  count: z.number().int().nullish(),
  // events.k8s.io writers (the scheduler) leave count and lastTimestamp empty and use a series instead.
  series: z.object({ count: z.number().int().optional(), lastObservedTime: Time }).nullish(),
  firstTimestamp: Time,
  lastTimestamp: Time,
  eventTime: Time,
});
export type EventObject = z.infer<typeof EventObject>;
