// The scenario format's east-west, NodePort, remote Gateway, pod-crash and autogenflat items:
// each override shows in the object it names and in what is derived from it (the peers'
// Gateways, the generated peering objects, syncz, the pod logs).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenarioText } from '../../../src/sim/scenario/load.ts';
import { generateScenario } from '../../../src/sim/scenario/generate/generateScenario.ts';
import type { Scenario } from '../../../src/sim/scenario/model.ts';
import { ScenarioError } from '../../../src/sim/scenario/scenarioError.ts';
import { all, cluster, condition, find, get, staticViews } from './objectQueries.ts';

const NOW = new Date('2026-01-10T12:00:00Z');
const TEXT = `name: format-items
summary: every format item at once
defaults:
  globalServices: [{ namespace: demo, name: echo, port: 80 }]
clusters:
  - context: a
    clusterId: a
    network: a-net
    istiodReplicas: 2
    eastWest: { address: a1b2.elb.us-east-1.amazonaws.com }
    peers: [b, c]
    breakage:
      istiodCrashLoop: { replicas: [1], restarts: 7, lastLogLine: "error\\tcacerts unreadable" }
      remotePeerGateways:
        b: { labels: { team: mesh, topology.istio.io/cluster: null }, listeners: [{ name: xds-tls, port: 15012, protocol: TLS }] }
        c: { status: false }
      staleAutogenflat:
        - { fromCluster: retired, namespace: demo, pod: echo-old-7c9, service: echo, address: 10.9.0.7 }
  - context: b
    clusterId: b
    network: b-net
    nodes: 3
    eastWest: { addressType: LoadBalancer, dataPlane: NodePort }
    peers: [a]
    breakage:
      eastWestCrashLoop: { restarts: 3 }
  - context: c
    clusterId: c
    network: c-net
    peers: [a]
`;

function load(text: string): Scenario {
  return generateScenario(parseScenarioText(text, '/tmp/items.yaml'), '/tmp/items.yaml', NOW);
}

describe('scenario format items', () => {
  let s: Scenario;
  before(() => {
    s = load(TEXT);
  });

  it('a Hostname east-west address is a hostname in the Service, the Gateway and the peer Gateway that dials it', () => {
    const a = cluster(s, 'a');
    const svc = get(a, 'Service', 'istio-eastwest', 'istio-eastwest');
    assert.deepEqual((svc.status as { loadBalancer: unknown }).loadBalancer, {
      ingress: [{ hostname: 'a1b2.elb.us-east-1.amazonaws.com' }],
    });
    const gw = get(a, 'Gateway', 'istio-eastwest', 'istio-eastwest');
    assert.deepEqual((gw.status as { addresses: unknown }).addresses, [{ type: 'Hostname', value: 'a1b2.elb.us-east-1.amazonaws.com' }]);
    const peer = get(cluster(s, 'b'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-a-net');
    assert.deepEqual((peer.spec as { addresses: unknown }).addresses, [{ type: 'Hostname', value: 'a1b2.elb.us-east-1.amazonaws.com' }]);
    assert.equal(condition(peer, 'gloo.solo.io/PeerConnected')?.status, 'True');
  });

  it("Solo's NodePort recipe: a LoadBalancer for xDS, the annotation, and node WorkloadEntries in the peer", () => {
    const b = cluster(s, 'b');
    const svc = get(b, 'Service', 'istio-eastwest', 'istio-eastwest');
    assert.equal((svc.spec as { type: string }).type, 'LoadBalancer');
    const gw = get(b, 'Gateway', 'istio-eastwest', 'istio-eastwest');
    assert.equal(gw.metadata.annotations?.['peering.solo.io/data-plane-service-type'], 'NodePort');
    const a = cluster(s, 'a');
    const link = get(a, 'Gateway', 'istio-eastwest', 'istio-remote-peer-b-net');
    assert.equal(link.metadata.annotations?.['peering.solo.io/preferred-data-plane-service-type'], 'nodeport');
    const nodes = all(a, 'WorkloadEntry', { 'node.peer.solo.io/cluster': 'b' });
    const bNodes = all(b, 'Node').map(
      (n) => (n.status as { addresses: { type: string; address: string }[] }).addresses.find((x) => x.type === 'InternalIP')?.address,
    );
    assert.deepEqual(nodes.map((we) => (we.spec as { address: string }).address).sort(), bNodes.sort());
    assert.ok(find(a, 'ServiceEntry', 'istio-system', 'autogen.peering.istio-eastwest.b-net'));
  });

  it('a remote Gateway keeps its planted labels and listeners; without HBONE the data plane is not programmed', () => {
    const gw = get(cluster(s, 'a'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-b-net');
    assert.equal(gw.metadata.labels?.['team'], 'mesh');
    assert.equal(gw.metadata.labels?.['topology.istio.io/cluster'], undefined);
    assert.deepEqual(
      (gw.spec as { listeners: { port: number }[] }).listeners.map((l) => l.port),
      [15012],
    );
    assert.equal(condition(gw, 'gloo.solo.io/PeerDataPlaneProgrammed')?.status, 'False');
    assert.match(condition(gw, 'gloo.solo.io/PeerDataPlaneProgrammed')?.message ?? '', /missing HBONE listener/);
  });

  it('a remote Gateway without status holds no link: no entries from that peer, and the peer lists no istiod from here', () => {
    const a = cluster(s, 'a');
    const gw = get(a, 'Gateway', 'istio-eastwest', 'istio-remote-peer-c-net');
    assert.equal(gw.status, undefined);
    assert.equal(find(a, 'WorkloadEntry', 'istio-system', 'autogen.c.demo.echo'), undefined);
    assert.ok(find(a, 'WorkloadEntry', 'istio-system', 'autogen.b.demo.echo'));
    const c = cluster(s, 'c');
    const views = staticViews(s);
    const cIstiod = all(c, 'Pod', { app: 'istiod' })[0]!.metadata.name;
    assert.doesNotMatch(JSON.stringify(c.istiodDebug.syncz(views.get('c')!, cIstiod)), /istiod-[a-z0-9]+-[a-z0-9]+\.istio-system/);
  });

  it('a crash-looping istiod replica is not ready, holds no ztunnel stream, and its previous log ends with the planted line', () => {
    const a = cluster(s, 'a');
    const pods = all(a, 'Pod', { app: 'istiod' }).sort((x, y) => x.metadata.name.localeCompare(y.metadata.name));
    const statuses = pods.map((p) => (p.status as { containerStatuses: { ready: boolean; restartCount: number }[] }).containerStatuses[0]!);
    assert.deepEqual(
      statuses.map((st) => [st.ready, st.restartCount]),
      [
        [true, 0],
        [false, 7],
      ],
    );
    const dep = get(a, 'Deployment', 'istio-system', 'istiod');
    assert.equal((dep.status as { readyReplicas: number }).readyReplicas, 1);
    const views = staticViews(s);
    const crashed = pods[1]!.metadata.name;
    assert.doesNotMatch(JSON.stringify(a.istiodDebug.syncz(views.get('a')!, crashed)), /ztunnel/);
    assert.match(JSON.stringify(a.istiodDebug.syncz(views.get('a')!, pods[0]!.metadata.name)), /ztunnel/);
    const log = a.logs.find((l) => l.pod === crashed);
    assert.match(log?.previous?.at(-1) ?? '', /cacerts unreadable$/);
  });

  it('a crash-looping east-west gateway pod is CrashLoopBackOff and its Deployment not ready', () => {
    const b = cluster(s, 'b');
    const pod = all(b, 'Pod', { 'service.istio.io/canonical-name': 'istio-eastwest' })[0]!;
    const st = (pod.status as { containerStatuses: { ready: boolean; state: { waiting?: { reason: string } } }[] }).containerStatuses[0]!;
    assert.equal(st.ready, false);
    assert.equal(st.state.waiting?.reason, 'CrashLoopBackOff');
    assert.equal((get(b, 'Deployment', 'istio-eastwest', 'istio-eastwest').status as { readyReplicas: number }).readyReplicas, 0);
  });

  it('an autogenflat WorkloadEntry can come from a cluster outside the scenario', () => {
    const entries = all(cluster(s, 'a'), 'WorkloadEntry', { 'solo.io/source-cluster': 'retired' });
    assert.equal(entries.length, 1);
    assert.match(entries[0]!.metadata.name, /^autogenflat\.retired\.demo\.echo-old-7c9\./);
  });

  it('refuses a fromCluster that is a cluster of the scenario, and dataPlane NodePort without a LoadBalancer', () => {
    assert.throws(
      () => load(TEXT.replace('fromCluster: retired', 'fromCluster: b')),
      (e: unknown) => e instanceof ScenarioError && /staleAutogenflat\[0\]\.fromCluster: "b" is a cluster of this scenario/.test(e.message),
    );
    assert.throws(
      () => load(TEXT.replace('addressType: LoadBalancer, dataPlane: NodePort', 'addressType: NodePort, dataPlane: NodePort')),
      (e: unknown) =>
        e instanceof ScenarioError && /eastWest\.dataPlane: dataPlane NodePort needs addressType LoadBalancer/.test(e.message),
    );
  });
});
