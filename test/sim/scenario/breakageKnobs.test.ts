// Each breakage knob changes exactly what a client would see in the cluster it names.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import forge from 'node-forge';
import { parseScenarioText } from '../../../src/sim/scenario/load.ts';
import { generateScenario } from '../../../src/sim/scenario/generate/generateScenario.ts';
import type { Scenario } from '../../../src/sim/scenario/model.ts';
import { all, cluster, condition, envValue, find, get } from './objectQueries.ts';

const NOW = new Date('2026-01-10T12:00:00Z');
const TEXT = `name: knobs
summary: every knob at once
certificates: { mode: expiring-intermediate, context: a, daysLeft: 5 }
defaults:
  globalServices: [{ namespace: demo, name: echo, port: 80, targetPort: 8080, labelOn: namespace }]
clusters:
  - context: a
    clusterId: a
    ztunnelNamespace: kube-system
    peers: [b]
    breakage:
      networkLabels:
        ztunnel: null
        remotePeers: { b: null }
      istiodEnv: { PILOT_ENABLE_IP_AUTOALLOCATE: "false", EXTRA_FLAG: "1" }
      cniConfig: { AMBIENT_DNS_CAPTURE: null }
    manifests:
      - apiVersion: v1
        kind: ConfigMap
        metadata: { name: istio-cni-config, namespace: istio-system }
        data: { AMBIENT_ENABLED: "false" }
  - context: b
    clusterId: b
    license: none
    peers: [a]
    crdsMissing: [segments.admin.solo.io]
    breakage:
      networkLabels: { istioNamespace: null }
`;

describe('breakage knobs', () => {
  let s: Scenario;
  before(() => {
    s = generateScenario(parseScenarioText(TEXT, '/tmp/knobs.yaml'), '/tmp/knobs.yaml', NOW);
  });

  it('removes ztunnel NETWORK and puts ztunnel in its own namespace', () => {
    const a = cluster(s, 'a');
    const zt = all(a, 'Pod', { app: 'ztunnel' });
    assert.ok(zt.length > 0 && zt.every((p) => p.metadata.namespace === 'kube-system'));
    assert.equal(envValue(zt[0]!, 'istio-proxy', 'NETWORK'), undefined);
    assert.equal(envValue(zt[0]!, 'istio-proxy', 'ISTIO_META_CLUSTER_ID'), 'a');
  });

  it('a peer Gateway without a network label is Invalid', () => {
    const gw = get(cluster(s, 'a'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-b');
    assert.equal(gw.metadata.labels?.['topology.istio.io/network'], undefined);
    assert.equal(
      condition(gw, 'gloo.solo.io/PeeringSucceeded')?.message,
      'no network started, encountered error validating gateway: no network label found in gateway',
    );
  });

  it('overrides and adds istiod env', () => {
    const a = cluster(s, 'a');
    const istiod = get(a, 'Deployment', 'istio-system', 'istiod');
    assert.equal(envValue(istiod, 'discovery', 'PILOT_ENABLE_IP_AUTOALLOCATE'), 'false');
    assert.equal(envValue(istiod, 'discovery', 'EXTRA_FLAG'), '1');
  });

  it('a manifest replaces the generated object of the same name', () => {
    const cms = cluster(s, 'a').objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name === 'istio-cni-config');
    assert.equal(cms.length, 1);
    assert.deepEqual(cms[0]!.data, { AMBIENT_ENABLED: 'false' });
  });

  it('a cluster without a network label or licence does not peer and has no licence Secret', () => {
    const b = cluster(s, 'b');
    assert.equal(get(b, 'Namespace', undefined, 'istio-system').metadata.labels?.['topology.istio.io/network'], undefined);
    assert.equal(find(b, 'Secret', 'istio-system', 'solo-istio-license'), undefined);
    assert.equal(envValue(get(b, 'Deployment', 'istio-system', 'istiod'), 'discovery', 'SOLO_LICENSE_KEY'), undefined);
    assert.equal(condition(get(b, 'Gateway', 'istio-eastwest', 'istio-remote-peer-a'), 'gloo.solo.io/PeerConnected'), undefined);
    assert.equal(all(b, 'ServiceEntry').length, 0);
    const istiodLog = b.logs
      .filter((l) => l.pod.startsWith('istiod'))
      .flatMap((l) => l.live.map((x) => x.text))
      .join('\n');
    assert.match(istiodLog, /'topology\.istio\.io\/network' is not set; will retry/);
    assert.deepEqual(b.crdsMissing, ['segments.admin.solo.io']);
  });

  it('labels the namespace, not the Service, when labelOn is namespace', () => {
    const a = cluster(s, 'a');
    assert.equal(get(a, 'Namespace', undefined, 'demo').metadata.labels?.['solo.io/service-scope'], 'global');
    assert.equal(get(a, 'Service', 'demo', 'echo').metadata.labels?.['solo.io/service-scope'], undefined);
  });

  it('gives the named cluster an intermediate that expires in daysLeft days, under the shared root', () => {
    const caCert = (context: string): forge.pki.Certificate =>
      forge.pki.certificateFromPem(
        Buffer.from(
          (get(cluster(s, context), 'Secret', 'istio-system', 'cacerts').data as Record<string, string>)['ca-cert.pem']!,
          'base64',
        ).toString(),
      );
    const days = (cert: forge.pki.Certificate): number => (cert.validity.notAfter.getTime() - NOW.getTime()) / 86_400_000;
    assert.ok(Math.abs(days(caCert('a')) - 5) < 1, `a: ${days(caCert('a'))}`);
    assert.ok(days(caCert('b')) > 300);
    const root = (context: string): unknown =>
      (get(cluster(s, context), 'Secret', 'istio-system', 'cacerts').data as Record<string, string>)['root-cert.pem'];
    assert.equal(root('a'), root('b'));
  });
});

describe('missing CRDs', () => {
  it('a cluster without the Gateway API CRDs holds no Gateways or GatewayClasses', () => {
    const text = `name: no-gw
summary: Gateway API not installed in b
clusters:
  - { context: a, clusterId: a, peers: [b] }
  - { context: b, clusterId: b, peers: [a], crdsMissing: [gateways.gateway.networking.k8s.io, gatewayclasses.gateway.networking.k8s.io] }
`;
    const s = generateScenario(parseScenarioText(text, '/tmp/no-gw.yaml'), '/tmp/no-gw.yaml', NOW);
    assert.equal(all(cluster(s, 'b'), 'Gateway').length + all(cluster(s, 'b'), 'GatewayClass').length, 0);
    assert.equal(all(cluster(s, 'a'), 'Gateway').length, 2);
  });
});

describe('peer condition timing', () => {
  it('a broken peer condition changed recently, healthy ones at install time', () => {
    const text = `name: timing
summary: one broken condition
clusters:
  - context: a
    clusterId: a
    peers: [b]
    breakage: { peerConditions: { b: { PeerConnected: { status: "False", reason: Pending, message: not connected to peer } } } }
  - { context: b, clusterId: b, peers: [a] }
`;
    const s = generateScenario(parseScenarioText(text, '/tmp/t.yaml'), '/tmp/t.yaml', NOW);
    const gw = get(cluster(s, 'a'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-b');
    const times = new Map(
      (gw.status as { conditions: { type: string; lastTransitionTime: string }[] }).conditions.map((c) => [
        c.type,
        Date.parse(c.lastTransitionTime),
      ]),
    );
    const age = (type: string): number => NOW.getTime() - times.get(type)!;
    assert.ok(age('gloo.solo.io/PeerConnected') < 3_600_000);
    assert.ok(age('gloo.solo.io/PeeringSucceeded') > 86_400_000);
  });
});
