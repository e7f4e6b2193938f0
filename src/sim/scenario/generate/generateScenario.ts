// ScenarioSpec → Scenario: plans the topology, issues the mesh certificates, then builds every
// cluster's objects, logs, debug endpoints and users. The only place the parts meet.
import { apiVersionOf, crdName, RESOURCE_TYPES } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import type { GeneratedCluster, Scenario } from '../model.ts';
import type { ScenarioSpec } from '../spec.ts';
import { appObjects } from './apps.ts';
import { namespaces, nodes } from './clusterBase.ts';
import { cniObjects, ztunnelObjects } from './dataplane.ts';
import { eastWestObjects, gatewayClasses, remotePeerGateway } from './gateways.ts';
import { istiodDebugSource } from './istiodDebug.ts';
import { istiodObjects } from './istiod.ts';
import { certificateObjects, issueMeshCertificates } from './meshCertificates.ts';
import { peeringObjects } from './peeringObjects.ts';
import { buildPlan, type ClusterPlan, type ScenarioPlan } from './plan.ts';
import { podLogScripts } from './podLogs.ts';
import { timelineEvents } from './timelineEvents.ts';
import { simUsers } from './users.ts';
import { manifestsOnlyCluster, withVerbatimDebug, withVerbatimLogs } from './verbatim.ts';

function clusterObjects(plan: ScenarioPlan, cluster: ClusterPlan, ca: Parameters<typeof certificateObjects>[1]): KubeObject[] {
  const nsObjects = namespaces(cluster);
  return [
    ...nsObjects,
    ...nodes(cluster),
    ...istiodObjects(cluster, plan.now),
    ...ztunnelObjects(cluster, plan.now),
    ...cniObjects(cluster),
    ...gatewayClasses(cluster),
    ...eastWestObjects(cluster, plan.now),
    ...cluster.links.map((link) => remotePeerGateway(link, plan.now)),
    ...appObjects(cluster),
    ...peeringObjects(plan, cluster),
    ...certificateObjects(
      cluster,
      ca,
      nsObjects.map((n) => n.metadata.name),
    ),
    // Verbatim and last: a manifest may replace a generated object of the same kind and name.
    ...cluster.spec.manifests,
  ];
}

/** A cluster without a CRD holds no objects of that type (e.g. no Gateways without Gateway API). */
function withoutMissingCrds(objects: KubeObject[], crdsMissing: string[]): KubeObject[] {
  if (crdsMissing.length === 0) return objects;
  const missing = new Set(
    RESOURCE_TYPES.filter((rt) => rt.crd && crdsMissing.includes(crdName(rt))).map((rt) => `${apiVersionOf(rt)}/${rt.kind}`),
  );
  return objects.filter((o) => !missing.has(`${o.apiVersion}/${o.kind}`));
}

/** Later objects with the same identity replace earlier ones (manifests override generated objects). */
function dedupe(objects: KubeObject[]): KubeObject[] {
  const byKey = new Map<string, KubeObject>();
  // Cloned so no two objects share a nested array or mapping (builders reuse constants).
  for (const o of objects) byKey.set(`${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, structuredClone(o));
  return [...byKey.values()];
}

export function generateScenario(spec: ScenarioSpec, source: string, now: Date): Scenario {
  // Manifests-only clusters are not planned: they get no certificates, names or links.
  const generatedSpec: ScenarioSpec = { ...spec, clusters: spec.clusters.filter((c) => c.mode === 'generated') };
  const plan = buildPlan(generatedSpec, now);
  // A scenario of captured clusters only needs no mesh CA (and key generation is slow).
  const cas =
    plan.clusters.length > 0 ? issueMeshCertificates(plan, spec.certificates) : new Map<string, Parameters<typeof certificateObjects>[1]>();
  const peerFacts = plan.clusters.map((c) => ({
    context: c.spec.context,
    clusterId: c.spec.clusterId,
    istioNamespace: c.spec.istioNamespace,
    istioVersion: c.spec.istioVersion,
  }));
  const generate = (cluster: ClusterPlan): GeneratedCluster => ({
    context: cluster.spec.context,
    clusterId: cluster.spec.clusterId,
    network: cluster.spec.network,
    objects: withoutMissingCrds(dedupe(clusterObjects(plan, cluster, cas.get(cluster.spec.context)!)), cluster.spec.crdsMissing),
    crdsMissing: [...cluster.spec.crdsMissing],
    users: simUsers(cluster),
    logs: withVerbatimLogs(podLogScripts(plan, cluster), cluster.spec.podLogs),
    istiodDebug: withVerbatimDebug(
      istiodDebugSource(
        cluster,
        peerFacts.filter((p) => p.context !== cluster.spec.context),
      ),
      cluster.spec.istiodDebug,
    ),
    faults: cluster.spec.faults.map((f) => ({ ...f })),
    kubeconfigUser: cluster.spec.kubeconfigUser,
    extraContexts: cluster.spec.extraContexts.map((e) => ({ ...e })),
  });
  const clusters: GeneratedCluster[] = spec.clusters.map((c) =>
    c.mode === 'manifests-only' ? manifestsOnlyCluster(spec.name, c) : generate(plan.byContext.get(c.context)!),
  );
  const views = new Map(clusters.map((c) => [c.context, { plan: plan.byContext.get(c.context), objects: c.objects }]));
  return {
    name: spec.name,
    summary: spec.summary,
    rootCauses: spec.rootCauses.map((c) => structuredClone(c)),
    clusters,
    timeline: timelineEvents(plan, views, spec.timeline),
    source,
  };
}
