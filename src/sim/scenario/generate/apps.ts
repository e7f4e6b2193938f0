// The application side of global services: per cluster a Service labelled
// `solo.io/service-scope` (or in a namespace so labelled), its Deployment and ambient pods.
import type { KubeObject } from '../../api/types.ts';
import { podTemplateHash, replicaSetName } from './names.ts';
import type { AppPlan, ClusterPlan } from './plan.ts';
import { buildPod } from './podObject.ts';
import { deployment, service } from './workloadObjects.ts';

export function appImage(app: AppPlan): string {
  return `docker.io/istio/examples-${app.service}:1.20.2`;
}

export function appObjects(cluster: ClusterPlan): KubeObject[] {
  return cluster.apps.flatMap((app) => {
    const selector = { app: app.service };
    const podLabels = { app: app.service, version: 'v1' };
    const container = { name: app.service, image: appImage(app), ports: [{ containerPort: app.targetPort, protocol: 'TCP' }] };
    const svc = service(
      cluster.seed,
      {
        name: app.service,
        namespace: app.namespace,
        labels: { app: app.service, service: app.service, ...(app.labelOn === 'service' ? { 'solo.io/service-scope': app.scope } : {}) },
        createdAt: cluster.installedAt,
      },
      {
        type: 'ClusterIP',
        clusterIP: app.clusterIp,
        clusterIPs: [app.clusterIp],
        selector,
        ports: [{ name: 'http', port: app.port, protocol: 'TCP', targetPort: app.targetPort }],
      },
    );
    const dep = deployment({
      seed: cluster.seed,
      name: app.service,
      namespace: app.namespace,
      labels: { app: app.service },
      selector,
      podLabels,
      serviceAccount: app.service,
      containers: [container],
      createdAt: cluster.installedAt,
      desired: app.pods.length,
      ready: app.pods.length,
    });
    const pods = app.pods.map((plan) =>
      buildPod({
        seed: cluster.seed,
        plan,
        labels: { ...podLabels, 'pod-template-hash': podTemplateHash(cluster.seed, app.service) },
        annotations: { 'ambient.istio.io/redirection': 'enabled' },
        owner: dep,
        ownerReplicaSet: replicaSetName(cluster.seed, app.service),
        serviceAccount: app.service,
        containers: [container],
        startedAt: cluster.installedAt,
        health: { state: 'running' },
      }),
    );
    return [svc, dep, ...pods];
  });
}
