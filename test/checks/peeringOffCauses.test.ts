// Each way istiod's peering can be off explains what follows from it: the peer Gateway without
// gloo.solo.io conditions, the global service not generated, the peer missing from proxy-status.
// Made on a healthy mesh by planting the cause in cluster-east's objects and facts and removing
// what peering would have written, as istiod would show it with peering off.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { globalServicesCheck } from '../../checks/globalServices.ts';
import { peersCheck } from '../../checks/peers.ts';
import { proxyStatusCheck } from '../../checks/proxyStatus.ts';
import type { CheckId } from '../../checks/types.ts';
import { contextId, type MeshSnapshot } from '../../src/store/types.ts';
import { GATEWAYS, ISTIOD_DEPLOYMENTS, NAMESPACES, SERVICE_ENTRIES } from '../../src/store/resourceIds.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import { editObject, findObject, run, setFacts, setObject } from './peeringChecksHarness.ts';

const EAST = 'cluster-east';
const EAST_TO_WEST = 'Gateway/istio-eastwest/istio-remote-peer-west-net';

/** What a cluster whose peering is off shows: no Solo conditions, no generated entries, no subscription in the peer. */
function peeringGone(snapshot: MeshSnapshot): MeshSnapshot {
  let s = editObject(snapshot, EAST, GATEWAYS, EAST_TO_WEST, (gw) => {
    const status = gw['status'] as { conditions: { type: string }[] };
    status.conditions = status.conditions.filter((c) => !c.type.startsWith('gloo.solo.io/'));
  });
  for (const key of Object.keys(s.contexts[contextId(EAST)]?.resources[SERVICE_ENTRIES]?.objects ?? {}))
    s = setObject(s, EAST, SERVICE_ENTRIES, key, undefined);
  return setFacts(s, 'cluster-west', (facts) => ({
    ...facts,
    syncz: Object.fromEntries(
      Object.entries(facts.syncz).map(([pod, fact]) => [
        pod,
        fact.state === 'known' ? { ...fact, value: { ...fact.value, rows: fact.value.rows.filter((r) => r.cluster !== 'east') } } : fact,
      ]),
    ),
  }));
}

function withIstiodEnv(snapshot: MeshSnapshot, name: string, value: string): MeshSnapshot {
  const [key] = findObject(snapshot, EAST, ISTIOD_DEPLOYMENTS, () => true);
  return editObject(snapshot, EAST, ISTIOD_DEPLOYMENTS, key, (dep) => {
    const containers = (dep['spec'] as { template: { spec: { containers: { name: string; env: { name: string; value?: string }[] }[] } } })
      .template.spec.containers;
    const discovery = containers.find((c) => c.name === 'discovery');
    assert.ok(discovery);
    discovery.env = [...discovery.env.filter((e) => e.name !== name), { name, value }];
  });
}

/** The checks that explain the peer Gateway, the missing ServiceEntry and the missing subscription. */
function explainers(snapshot: MeshSnapshot): { gateway: string; gatewayCause?: CheckId; service?: CheckId; subscription?: CheckId } {
  const gateway = run(peersCheck, snapshot).find((f) => f.subject.context === EAST);
  const service = run(globalServicesCheck, snapshot).find((f) => f.subject.context === EAST && f.subject.kind === 'ServiceEntry');
  const subscription = run(proxyStatusCheck, snapshot).find((f) => f.subject.context === EAST && f.subject.kind === 'Gateway');
  assert.ok(gateway && service && subscription, 'each consequence is reported');
  return {
    gateway: `${gateway.severity}: ${gateway.message}`,
    ...(gateway.explainedBy ? { gatewayCause: gateway.explainedBy } : {}),
    ...(service.explainedBy ? { service: service.explainedBy } : {}),
    ...(subscription.explainedBy ? { subscription: subscription.explainedBy } : {}),
  };
}

describe('every way peering can be off explains what follows from it', () => {
  let healthy: ScenarioSnapshot;
  before(async () => {
    healthy = await snapshotOfScenario('healthy');
  });
  after(async () => {
    await healthy?.stop();
  });

  it('without a cause in sight the silent Gateway stands alone, and only explains the peer missing from proxy-status', () => {
    const found = explainers(peeringGone(healthy.snapshot));
    assert.deepEqual({ ...found, gateway: found.gateway.split(':')[0] }, { gateway: 'unknown', subscription: 'MC-PEER-001' });
  });

  for (const name of ['K8S_SELECT_WORKLOAD_ENTRIES', 'PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES']) {
    it(`${name}=false (either spelling) explains them through MC-ENV-001`, () => {
      const found = explainers(withIstiodEnv(peeringGone(healthy.snapshot), name, 'false'));
      assert.equal(found.gatewayCause, 'MC-ENV-001');
      assert.match(found.gateway, new RegExp(`has ${name}="false", which peering discovery is incompatible with`));
      assert.equal(found.service, 'MC-ENV-001');
      assert.equal(found.subscription, 'MC-ENV-001');
    });
  }

  it('ENABLE_PEERING_DISCOVERY not true explains them through MC-ENV-001', () => {
    const found = explainers(withIstiodEnv(peeringGone(healthy.snapshot), 'ENABLE_PEERING_DISCOVERY', 'false'));
    assert.deepEqual([found.gatewayCause, found.service, found.subscription], ['MC-ENV-001', 'MC-ENV-001', 'MC-ENV-001']);
  });

  it('a licence without MultiCluster (a GlooCore product istiod calls OK) explains them through MC-LIC-001', () => {
    const snapshot = setFacts(peeringGone(healthy.snapshot), EAST, (facts) => ({
      ...facts,
      license: Object.fromEntries(
        Object.entries(facts.license).map(([pod, fact]) => [
          pod,
          fact.state === 'known' ? { ...fact, value: { state: 'OK', product: 'GlooCore' } } : fact,
        ]),
      ),
    }));
    const found = explainers(snapshot);
    assert.match(found.gateway, /GlooCore licence, which does not include MultiCluster/);
    assert.deepEqual([found.gatewayCause, found.service, found.subscription], ['MC-LIC-001', 'MC-LIC-001', 'MC-LIC-001']);
  });

  it("the istio namespace's missing network label explains them through MC-NET-001", () => {
    const snapshot = editObject(peeringGone(healthy.snapshot), EAST, NAMESPACES, 'Namespace//istio-system', (ns) => {
      delete ns.metadata.labels?.['topology.istio.io/network'];
    });
    const found = explainers(snapshot);
    assert.match(found.gateway, /istio-system namespace of cluster-east has no topology\.istio\.io\/network label/);
    assert.deepEqual([found.gatewayCause, found.service, found.subscription], ['MC-NET-001', 'MC-NET-001', 'MC-NET-001']);
  });
});
