// The objects a generated cluster serves look like a real Solo ambient multicluster install:
// names, labels, env, conditions and certificates that the console's checks will read.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinScenario, parseScenarioText } from '../../../src/sim/scenario/load.ts';
import { generateScenario } from '../../../src/sim/scenario/generate/generateScenario.ts';
import type { ClusterView, Scenario } from '../../../src/sim/scenario/model.ts';
import { all, cluster, condition, containerEnv, envValue, get, staticViews } from './objectQueries.ts';

const NOW = new Date('2026-01-10T12:00:00Z');

describe('generated objects (healthy-3)', () => {
  let s: Scenario;
  before(async () => {
    s = await loadBuiltinScenario('healthy-3', { now: NOW });
  });

  it('labels the istio namespace with the network and enrolls app namespaces in ambient', () => {
    const eu = cluster(s, 'prod-eu');
    assert.equal(get(eu, 'Namespace', undefined, 'istio-system').metadata.labels?.['topology.istio.io/network'], 'eu-net');
    assert.equal(get(eu, 'Namespace', undefined, 'shop').metadata.labels?.['istio.io/dataplane-mode'], 'ambient');
    assert.ok(get(eu, 'Namespace', undefined, 'istio-eastwest'));
  });

  it('gives nodes InternalIPs and region/zone labels', () => {
    const us = cluster(s, 'prod-us');
    const nodes = all(us, 'Node');
    assert.equal(nodes.length, 3);
    for (const node of nodes) {
      assert.equal(node.metadata.labels?.['topology.kubernetes.io/region'], 'us-east-1');
      assert.match(node.metadata.labels?.['topology.kubernetes.io/zone'] ?? '', /^us-east-1-[abc]$/);
      const addresses = (node.status as { addresses: { type: string; address: string }[] }).addresses;
      assert.match(addresses.find((a) => a.type === 'InternalIP')?.address ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    }
  });

  it('runs istiod with the peering env and reads the licence key from a Secret, never inline', () => {
    const eu = cluster(s, 'prod-eu');
    const deploy = get(eu, 'Deployment', 'istio-system', 'istiod');
    const pods = all(eu, 'Pod', { app: 'istiod' });
    assert.equal(pods.length, 1);
    for (const o of [deploy, pods[0]!]) {
      assert.equal(envValue(o, 'discovery', 'CLUSTER_ID'), 'eu');
      assert.equal(envValue(o, 'discovery', 'ENABLE_PEERING_DISCOVERY'), 'true');
      assert.equal(envValue(o, 'discovery', 'PILOT_ENABLE_IP_AUTOALLOCATE'), 'true');
      assert.equal(envValue(o, 'discovery', 'DISABLE_LEGACY_MULTICLUSTER'), 'true');
      assert.equal(envValue(o, 'discovery', 'TRUST_DOMAIN'), 'cluster.local');
      const license = containerEnv(o, 'discovery').find((e) => e.name === 'SOLO_LICENSE_KEY');
      assert.equal(license?.value, undefined);
      assert.deepEqual(license?.valueFrom, { secretKeyRef: { name: 'solo-istio-license', key: 'license-key', optional: false } });
    }
    const secret = get(eu, 'Secret', 'istio-system', 'solo-istio-license');
    const key = Buffer.from((secret.data as Record<string, string>)['license-key']!, 'base64').toString();
    assert.match(key, /^eyJ/);
    // The key appears nowhere else in the cluster's objects.
    const elsewhere = eu.objects.filter((o) => o !== secret && JSON.stringify(o).includes(key));
    assert.deepEqual(elsewhere, []);
  });

  it('runs one ztunnel per node with NETWORK, ISTIO_META_CLUSTER_ID and LOG_FORMAT=json where asked', () => {
    const us = cluster(s, 'prod-us');
    const zt = all(us, 'Pod', { app: 'ztunnel' });
    assert.equal(zt.length, 3);
    assert.deepEqual(new Set(zt.map((p) => (p.spec as { nodeName: string }).nodeName)).size, 3);
    for (const pod of zt) {
      assert.equal(envValue(pod, 'istio-proxy', 'NETWORK'), 'us-net');
      assert.equal(envValue(pod, 'istio-proxy', 'ISTIO_META_CLUSTER_ID'), 'us');
      assert.equal(envValue(pod, 'istio-proxy', 'LOG_FORMAT'), 'json');
      assert.equal((pod.status as { phase: string }).phase, 'Running');
    }
    assert.equal(envValue(all(cluster(s, 'prod-eu'), 'Pod', { app: 'ztunnel' })[0]!, 'istio-proxy', 'LOG_FORMAT'), undefined);
    const line = us.logs.find((l) => l.pod === zt[0]!.metadata.name)!.history.at(-1)!.text;
    assert.doesNotThrow(() => JSON.parse(line.replace('{{timestamp}}', '2026-01-10T12:00:00.000000Z')));
  });

  it('configures istio-cni for ambient with DNS capture on', () => {
    const data = get(cluster(s, 'prod-eu'), 'ConfigMap', 'istio-system', 'istio-cni-config').data as Record<string, string>;
    assert.equal(data.AMBIENT_ENABLED, 'true');
    assert.equal(data.AMBIENT_DNS_CAPTURE, 'true');
    assert.equal(all(cluster(s, 'prod-eu'), 'Pod', { 'k8s-app': 'istio-cni-node' }).length, 2);
  });

  it('exposes an east-west Gateway with the Solo labels, listeners, address and Programmed=True', () => {
    const eu = cluster(s, 'prod-eu');
    const gw = get(eu, 'Gateway', 'istio-eastwest', 'istio-eastwest');
    assert.deepEqual(
      { ...gw.metadata.labels },
      {
        'topology.istio.io/network': 'eu-net',
        'topology.istio.io/cluster': 'eu',
        'istio.io/expose-istiod': '15012',
        'topology.kubernetes.io/region': 'eu-west-1',
      },
    );
    const spec = gw.spec as {
      gatewayClassName: string;
      listeners: { name: string; port: number; protocol: string; tls: { mode: string } }[];
    };
    assert.equal(spec.gatewayClassName, 'istio-eastwest');
    assert.deepEqual(
      spec.listeners.map((l) => [l.name, l.port, l.protocol, l.tls.mode]),
      [
        ['cross-network', 15008, 'HBONE', 'Passthrough'],
        ['xds-tls', 15012, 'TLS', 'Passthrough'],
      ],
    );
    assert.equal(condition(gw, 'Programmed')?.status, 'True');
    const address = (gw.status as { addresses: { value: string }[] }).addresses[0]!.value;
    const svc = get(eu, 'Service', 'istio-eastwest', 'istio-eastwest');
    assert.equal((svc.spec as { type: string }).type, 'LoadBalancer');
    assert.deepEqual((svc.status as { loadBalancer: { ingress: { ip: string }[] } }).loadBalancer.ingress[0]!.ip, address);
    assert.equal(all(eu, 'Pod', { 'service.istio.io/canonical-name': 'istio-eastwest' }).length, 1);
    assert.ok(get(eu, 'GatewayClass', undefined, 'istio-eastwest'));
    assert.ok(get(eu, 'GatewayClass', undefined, 'istio-remote'));
  });

  it('uses a NodePort Service and a node address for a NodePort east-west gateway', () => {
    const ap = cluster(s, 'prod-ap');
    const svc = get(ap, 'Service', 'istio-eastwest', 'istio-eastwest');
    assert.equal((svc.spec as { type: string }).type, 'NodePort');
    const nodeIps = all(ap, 'Node').map((n) => (n.status as { addresses: { address: string }[] }).addresses[0]!.address);
    const gw = get(ap, 'Gateway', 'istio-eastwest', 'istio-eastwest');
    assert.ok(nodeIps.includes((gw.status as { addresses: { value: string }[] }).addresses[0]!.value));
    // Peers linking to a NodePort gateway say so.
    const toAp = get(cluster(s, 'prod-eu'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-ap-net');
    assert.equal(toAp.metadata.annotations?.['peering.solo.io/preferred-data-plane-service-type'], 'nodeport');
    assert.match(condition(toAp, 'gloo.solo.io/PeerDataPlaneProgrammed')?.message ?? '', /NodePort service type/);
  });

  it('links each peer with an istio-remote Gateway pointing at its east-west address', () => {
    const eu = cluster(s, 'prod-eu');
    const usAddress = (
      get(cluster(s, 'prod-us'), 'Gateway', 'istio-eastwest', 'istio-eastwest').status as { addresses: { value: string }[] }
    ).addresses[0]!.value;
    const gw = get(eu, 'Gateway', 'istio-eastwest', 'istio-remote-peer-us-net');
    assert.equal((gw.spec as { gatewayClassName: string }).gatewayClassName, 'istio-remote');
    assert.deepEqual((gw.spec as { addresses: unknown }).addresses, [{ type: 'IPAddress', value: usAddress }]);
    assert.equal(gw.metadata.labels?.['topology.istio.io/network'], 'us-net');
    assert.equal(gw.metadata.annotations?.['gateway.istio.io/trust-domain'], 'cluster.local');
    assert.equal(condition(gw, 'Programmed')?.message, 'This Gateway is remote; Istio will not program it');
  });

  it('shares one root across clusters in cacerts and istio-ca-root-cert', () => {
    const roots = s.clusters.map((c) =>
      Buffer.from((get(c, 'Secret', 'istio-system', 'cacerts').data as Record<string, string>)['root-cert.pem']!, 'base64').toString(),
    );
    assert.equal(new Set(roots).size, 1);
    for (const c of s.clusters) {
      const keys = Object.keys(get(c, 'Secret', 'istio-system', 'cacerts').data as object).sort();
      assert.deepEqual(keys, ['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem']);
      assert.equal((get(c, 'ConfigMap', 'shop', 'istio-ca-root-cert').data as Record<string, string>)['root-cert.pem'], roots[0]);
    }
  });

  it('marks global services and generates ServiceEntries with 240.240 VIPs and WorkloadEntries per peer', () => {
    const eu = cluster(s, 'prod-eu');
    assert.equal(get(eu, 'Service', 'shop', 'cart').metadata.labels?.['solo.io/service-scope'], 'global');
    const se = get(eu, 'ServiceEntry', 'istio-system', 'autogen.shop.cart');
    assert.deepEqual((se.spec as { hosts: string[] }).hosts, ['cart.shop.mesh.internal']);
    assert.match((se.status as { addresses: { value: string }[] }).addresses[0]!.value, /^240\.240\.\d+\.\d+$/);
    const we = get(eu, 'WorkloadEntry', 'istio-system', 'autogen.us.shop.cart');
    assert.equal((we.spec as { network: string }).network, 'us-net');
    assert.equal((we.spec as { weight: number }).weight, 2);
    assert.equal(we.metadata.labels?.['solo.io/source-cluster'], 'us');
  });
});

describe('istiod debug endpoints', () => {
  const OLD = `name: old
summary: an istiod older than 1.27 with the HTTP syncz shape
defaults:
  istioVersion: 1.26.3-solo
  synczShape: syncStatus
  nodes: 2
clusters:
  - { context: a, clusterId: a, peers: [b] }
  - { context: b, clusterId: b, peers: [a] }
`;
  let s: Scenario;
  let views: Map<string, ClusterView>;
  before(() => {
    s = generateScenario(parseScenarioText(OLD, '/tmp/old.yaml'), '/tmp/old.yaml', NOW);
    views = staticViews(s);
  });

  it('answers no /debug/license (404) below 1.27', () => {
    const a = cluster(s, 'a');
    assert.equal(a.istiodDebug.license(views.get('a')!, all(a, 'Pod', { app: 'istiod' })[0]!.metadata.name), undefined);
  });

  it('lists running ztunnels and the peered istiod in syncz, and drops a ztunnel that is gone', () => {
    const a = cluster(s, 'a');
    const istiod = all(a, 'Pod', { app: 'istiod' })[0]!.metadata.name;
    const syncz = a.istiodDebug.syncz(views.get('a')!, istiod) as { proxy: string; proxy_type: string; cluster_id: string }[];
    const zt = all(a, 'Pod', { app: 'ztunnel' }).map((p) => `${p.metadata.name}.istio-system`);
    const peerIstiod = `${all(cluster(s, 'b'), 'Pod', { app: 'istiod' })[0]!.metadata.name}.istio-system`;
    assert.deepEqual(syncz.map((e) => e.proxy).sort(), [...zt, peerIstiod].sort());
    assert.equal(syncz.find((e) => e.proxy === peerIstiod)?.cluster_id, 'b');
    const gone = zt[0]!.replace(/\.istio-system$/, '');
    const base = views.get('a')!;
    const without: ClusterView = {
      context: 'a',
      peer: (context) => base.peer(context),
      list: (v, k, ns) => base.list(v, k, ns).filter((o) => o.metadata.name !== gone),
    };
    const after = a.istiodDebug.syncz(without, istiod) as { proxy: string }[];
    assert.ok(!after.some((e) => e.proxy === zt[0]));
    assert.equal(after.length, syncz.length - 1);
  });

  it('serves clusterz with the local cluster', () => {
    const a = cluster(s, 'a');
    assert.deepEqual(a.istiodDebug.clusterz(views.get('a')!, 'x'), [{ id: 'a', secretName: '', syncStatus: 'synced' }]);
  });
});
