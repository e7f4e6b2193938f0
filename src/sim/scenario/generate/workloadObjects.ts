// Deployments and DaemonSets with the status a controller would have written, so `kubectl get`
// and the console's pod-health views agree with the pods we generate.
import type { JsonObject, KubeObject } from '../../api/types.ts';
import { object, rfc3339 } from './objectMeta.ts';
import type { ContainerInput } from './podObject.ts';

export interface WorkloadInput {
  seed: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  podLabels: Record<string, string>;
  podAnnotations?: Record<string, string>;
  serviceAccount: string;
  containers: ContainerInput[];
  createdAt: Date;
  /** Pods that exist and how many of them are ready. */
  desired: number;
  ready: number;
  hostNetwork?: boolean;
}

function template(input: WorkloadInput): JsonObject {
  return {
    metadata: { labels: input.podLabels, ...(input.podAnnotations ? { annotations: input.podAnnotations } : {}) },
    spec: {
      serviceAccountName: input.serviceAccount,
      ...(input.hostNetwork ? { hostNetwork: true } : {}),
      containers: input.containers.map((c) => {
        const container: JsonObject = { name: c.name, image: c.image };
        if (c.args) container.args = c.args;
        if (c.env) container.env = c.env;
        if (c.ports) container.ports = c.ports;
        return container;
      }),
    },
  };
}

export function deployment(input: WorkloadInput): KubeObject {
  const at = rfc3339(input.createdAt);
  const available = input.ready >= Math.min(1, input.desired);
  return object(
    input.seed,
    'apps/v1',
    'Deployment',
    {
      name: input.name,
      namespace: input.namespace,
      labels: input.labels,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      createdAt: input.createdAt,
    },
    {
      spec: {
        replicas: input.desired,
        selector: { matchLabels: input.selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: template(input),
      },
      status: {
        observedGeneration: 1,
        replicas: input.desired,
        updatedReplicas: input.desired,
        readyReplicas: input.ready,
        availableReplicas: input.ready,
        ...(input.desired > input.ready ? { unavailableReplicas: input.desired - input.ready } : {}),
        conditions: [
          {
            type: 'Available',
            status: available ? 'True' : 'False',
            reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
            lastUpdateTime: at,
            lastTransitionTime: at,
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${input.name}" has successfully progressed.`,
            lastUpdateTime: at,
            lastTransitionTime: at,
          },
        ],
      },
    },
  );
}

export function daemonSet(input: WorkloadInput): KubeObject {
  return object(
    input.seed,
    'apps/v1',
    'DaemonSet',
    {
      name: input.name,
      namespace: input.namespace,
      labels: input.labels,
      annotations: { 'deprecated.daemonset.template.generation': '1' },
      createdAt: input.createdAt,
    },
    {
      spec: {
        selector: { matchLabels: input.selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        template: template(input),
      },
      status: {
        currentNumberScheduled: input.desired,
        desiredNumberScheduled: input.desired,
        numberMisscheduled: 0,
        numberReady: input.ready,
        numberAvailable: input.ready,
        ...(input.desired > input.ready ? { numberUnavailable: input.desired - input.ready } : {}),
        updatedNumberScheduled: input.desired,
        observedGeneration: 1,
      },
    },
  );
}

export function service(
  seed: string,
  input: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string>; createdAt: Date },
  spec: JsonObject,
  status: JsonObject = { loadBalancer: {} },
): KubeObject {
  return object(seed, 'v1', 'Service', input, {
    spec: { sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster', ...spec },
    status,
  });
}
