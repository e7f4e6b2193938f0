// A Pod as the API server serves it after the kubelet has reported: spec, and a status that is
// either Running and ready, or CrashLoopBackOff with restarts and the last termination.
import type { JsonObject, KubeObject } from '../../api/types.ts';
import { object, ownerReference, rfc3339 } from './objectMeta.ts';
import { containerId, hexId, uidFor } from './names.ts';
import type { PodPlan } from './plan.ts';
import { qosClass } from '../../api/qosClass.ts';

export interface ContainerInput {
  name: string;
  image: string;
  args?: string[];
  env?: JsonObject[];
  ports?: JsonObject[];
  readinessPort?: number;
}

export type PodHealth =
  { state: 'running' } | { state: 'crashloop'; restarts: number; exitCode: number; reason: string; lastFinished: Date };

export interface PodInput {
  seed: string;
  plan: PodPlan;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  owner: KubeObject;
  /** A Deployment's pods are owned by its ReplicaSet; we name it without serving it. */
  ownerReplicaSet?: string;
  serviceAccount: string;
  containers: ContainerInput[];
  hostNetwork?: boolean;
  priorityClassName?: string;
  startedAt: Date;
  health: PodHealth;
}

function imageId(image: string, seed: string): string {
  const repo = image.split(':')[0] ?? image;
  return `${repo}@sha256:${hexId(`image/${image}/${seed}`, 64)}`;
}

export function buildPod(input: PodInput): KubeObject {
  const { plan, health } = input;
  const owner: JsonObject = input.ownerReplicaSet
    ? {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: input.ownerReplicaSet,
        uid: uidFor(`${input.seed}/rs/${input.ownerReplicaSet}`),
        controller: true,
        blockOwnerDeletion: true,
      }
    : ownerReference(input.owner);
  const started = rfc3339(input.startedAt);
  const ready = health.state === 'running';
  const containerStatuses = input.containers.map((c) => {
    const id = containerId(`${input.seed}/${plan.namespace}/${plan.name}/${c.name}/${health.state === 'crashloop' ? health.restarts : 0}`);
    const status: JsonObject = {
      name: c.name,
      image: c.image,
      imageID: imageId(c.image, input.seed),
      containerID: id,
      ready,
      started: ready,
      restartCount: health.state === 'crashloop' ? health.restarts : 0,
    };
    if (health.state === 'running') {
      status.state = { running: { startedAt: started } };
      status.lastState = {};
    } else {
      const finished = rfc3339(health.lastFinished);
      status.state = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off 5m0s restarting failed container=${c.name} pod=${plan.name}_${plan.namespace}(${'uid-pending'})`,
        },
      };
      status.lastState = {
        terminated: {
          exitCode: health.exitCode,
          reason: health.reason,
          startedAt: rfc3339(new Date(health.lastFinished.getTime() - 2_000)),
          finishedAt: finished,
          containerID: id,
        },
      };
    }
    return status;
  });
  const condition = (type: string, ok: boolean): JsonObject => {
    const c: JsonObject = { type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: started };
    if (!ok) {
      c.reason = 'ContainersNotReady';
      c.message = `containers with unready status: [${input.containers.map((x) => x.name).join(' ')}]`;
    }
    return c;
  };
  const pod = object(
    input.seed,
    'v1',
    'Pod',
    {
      name: plan.name,
      namespace: plan.namespace,
      labels: input.labels,
      ...(input.annotations ? { annotations: input.annotations } : {}),
      ownerReferences: [owner],
      createdAt: input.startedAt,
    },
    {
      spec: {
        containers: input.containers.map((c) => {
          const container: JsonObject = { name: c.name, image: c.image, imagePullPolicy: 'IfNotPresent' };
          if (c.args) container.args = c.args;
          if (c.env) container.env = c.env;
          if (c.ports) container.ports = c.ports;
          if (c.readinessPort !== undefined) {
            container.readinessProbe = {
              httpGet: { path: '/healthz/ready', port: c.readinessPort, scheme: 'HTTP' },
              periodSeconds: 3,
              timeoutSeconds: 1,
              successThreshold: 1,
              failureThreshold: 30,
            };
          }
          container.terminationMessagePath = '/dev/termination-log';
          container.terminationMessagePolicy = 'File';
          return container;
        }),
        nodeName: plan.node.name,
        serviceAccountName: input.serviceAccount,
        serviceAccount: input.serviceAccount,
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        dnsPolicy: input.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
        terminationGracePeriodSeconds: 30,
        ...(input.hostNetwork ? { hostNetwork: true } : {}),
        ...(input.priorityClassName ? { priorityClassName: input.priorityClassName } : {}),
      },
      status: {
        phase: 'Running',
        conditions: [
          condition('PodReadyToStartContainers', true),
          condition('Initialized', true),
          condition('Ready', ready),
          condition('ContainersReady', ready),
          condition('PodScheduled', true),
        ],
        hostIP: plan.node.ip,
        hostIPs: [{ ip: plan.node.ip }],
        podIP: plan.ip,
        podIPs: [{ ip: plan.ip }],
        startTime: started,
        containerStatuses,
      },
    },
  );
  // Computed from the containers as the apiserver does: none of ours sets requests, so BestEffort.
  (pod.status as JsonObject).qosClass = qosClass(pod.spec);
  // The back-off message names the pod's own uid, known only once metadata exists.
  for (const s of containerStatuses) {
    const waiting = (s.state as JsonObject | undefined)?.waiting as JsonObject | undefined;
    if (waiting && typeof waiting.message === 'string') waiting.message = waiting.message.replace('uid-pending', pod.metadata.uid ?? '');
  }
  return pod;
}

/** Env entries, most from literal values, some from the downward API as Helm charts set them. */
export function envList(values: Map<string, string> | [string, string][], fieldRefs: [string, string][] = []): JsonObject[] {
  const entries: JsonObject[] = [...values].map(([name, value]) => ({ name, value }));
  for (const [name, fieldPath] of fieldRefs) entries.push({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  return entries;
}
