// breakage.remotePeerAddresses: a remote Gateway linked before its peer's address changed. The
// overridden Gateway and everything derived from it agree: it dials the planted address, never
// connects, the peer's syncz does not list us, and istiod's lines name the address it dialled.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenarioText } from '../../../src/sim/scenario/load.ts';
import { generateScenario } from '../../../src/sim/scenario/generate/generateScenario.ts';
import { ScenarioError } from '../../../src/sim/scenario/scenarioError.ts';
import type { Scenario } from '../../../src/sim/scenario/model.ts';
import { cluster, condition, get } from './objectQueries.ts';

const NOW = new Date('2026-01-10T12:00:00Z');
const TEXT = `name: stale
summary: a dials b's old address
clusters:
  - context: a
    clusterId: a
    network: net-a
    peers: [b]
    breakage:
      remotePeerAddresses: { b: %s }
    logs:
      - pods: app=istiod
        event: { kind: istiod, event: disconnected-retrying, peer: b }
        history: 1
        everySeconds: 0
  - context: b
    clusterId: b
    network: net-b
    peers: [a]
    breakage:
      istiodEnv: { K8S_SELECT_WORKLOAD_ENTRIES: "false" }
`;

function load(address: string): Scenario {
  return generateScenario(parseScenarioText(TEXT.replace('%s', address), '/tmp/stale.yaml'), '/tmp/stale.yaml', NOW);
}

function istiodLog(s: Scenario, context: string): string {
  return cluster(s, context)
    .logs.filter((l) => l.pod.startsWith('istiod'))
    .flatMap((l) => [...l.history.map((h) => h.text), ...l.live.map((x) => x.text)])
    .join('\n');
}

describe('breakage.remotePeerAddresses', () => {
  it('the remote Gateway dials the planted address and is not connected', () => {
    const s = load('172.18.255.99');
    const gw = get(cluster(s, 'a'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-net-b');
    assert.deepEqual((gw.spec as { addresses: unknown }).addresses, [{ type: 'IPAddress', value: '172.18.255.99' }]);
    assert.equal(condition(gw, 'gloo.solo.io/PeerConnected')?.status, 'False');
    assert.equal(condition(gw, 'gloo.solo.io/PeeringSucceeded')?.status, 'Unknown');
  });

  it("istiod's watch, its own disconnect lines and the scenario's disconnect event name the address dialled, not the peer's", () => {
    const log = istiodLog(load('172.18.255.99'), 'a');
    assert.match(log, /starting cluster watch to 172\.18\.255\.99:15012/);
    assert.match(log, /disconnected, retrying.*172\.18\.255\.99:15012/);
    assert.doesNotMatch(log, /172\.18\.255\.201/);
  });

  it('a load-balancer hostname is a Hostname address', () => {
    const gw = get(cluster(load('old-elb.eu-west-1.elb.amazonaws.com'), 'a'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-net-b');
    assert.deepEqual((gw.spec as { addresses: unknown }).addresses, [{ type: 'Hostname', value: 'old-elb.eu-west-1.elb.amazonaws.com' }]);
  });

  it('K8S_SELECT_WORKLOAD_ENTRIES=false (the other spelling) stops peering too, with istiod saying so', () => {
    const s = load('172.18.255.99');
    assert.match(istiodLog(s, 'b'), /peering discovery is incompatible with PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES=false/);
    assert.equal(
      condition(get(cluster(s, 'b'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-net-a'), 'gloo.solo.io/PeerConnected'),
      undefined,
    );
  });

  it('names only peers of the cluster', () => {
    assert.throws(
      () => parseScenarioText(TEXT.replace('{ b: %s }', '{ c: 1.2.3.4 }'), '/tmp/stale.yaml'),
      (error: unknown) => error instanceof ScenarioError && /"c" is not one of this cluster's peers/.test(error.message),
    );
  });
});
