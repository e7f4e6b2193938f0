// The scenario format plants trust-domain states, and everything generated from them agrees: the
// remote Gateway's annotation, istiod's and ztunnel's env, and the SAN mismatch lines ztunnel logs.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinScenario, parseScenarioText } from '../../../src/sim/scenario/load.ts';
import { generateScenario } from '../../../src/sim/scenario/generate/generateScenario.ts';
import { ScenarioError } from '../../../src/sim/scenario/scenarioError.ts';
import type { Scenario } from '../../../src/sim/scenario/model.ts';
import { all, cluster, envValue, get } from './objectQueries.ts';

const NOW = new Date('2026-01-10T12:00:00Z');
const TD = 'gateway.istio.io/trust-domain';

function sanLines(s: Scenario, context: string): string[] {
  const c = cluster(s, context);
  const pods = new Set(all(c, 'Pod', { app: 'ztunnel' }).map((p) => p.metadata.name));
  return c.logs.filter((l) => pods.has(l.pod)).flatMap((l) => l.history.map((h) => h.text).filter((t) => t.includes('expected SAN')));
}

describe('trust domains in the scenario format', () => {
  let wrong: Scenario;
  let skip: Scenario;
  let healthy: Scenario;
  before(async () => {
    wrong = await loadBuiltinScenario('trust-domain-annotation-wrong', { now: NOW });
    skip = await loadBuiltinScenario('trust-domain-skip-validation-missing', { now: NOW });
    healthy = await loadBuiltinScenario('healthy', { now: NOW });
  });

  it("writes the peer's real trust domain on remote Gateways unless a link overrides it", () => {
    const east = get(cluster(wrong, 'cluster-east'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-west-net');
    assert.equal(east.metadata.annotations?.[TD], 'west.local');
    const west = get(cluster(wrong, 'cluster-west'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-east-net');
    assert.equal(west.metadata.annotations?.[TD], 'cluster.local');
    assert.equal(west.metadata.annotations?.['gateway.istio.io/service-account'], 'istio-eastwest');
  });

  it('makes the SAN mismatch line expect what the annotation says and show what the peer presents', () => {
    const lines = sanLines(wrong, 'cluster-west');
    assert.ok(lines.length > 0);
    for (const line of lines) {
      assert.match(
        line,
        /expected SAN \(spiffe:\/\/cluster\.local\/ns\/istio-eastwest\/sa\/istio-eastwest\), got spiffe:\/\/east\.local\/ns\/istio-eastwest\/sa\/istio-eastwest/,
      );
    }
  });

  it("without an override, the SAN mismatch line expects the local trust domain and gets the peer's", () => {
    for (const line of sanLines(skip, 'cluster-east'))
      assert.match(line, /expected SAN \(spiffe:\/\/east\.local\/.*got spiffe:\/\/west\.local\//);
    assert.ok(sanLines(skip, 'cluster-east').length > 0);
  });

  it('sets the skip-validation env on istiod and ztunnel by default, and removes it where the scenario says', () => {
    const h = cluster(healthy, 'cluster-east');
    assert.equal(envValue(get(h, 'Deployment', 'istio-system', 'istiod'), 'discovery', 'PILOT_SKIP_VALIDATE_TRUST_DOMAIN'), 'true');
    assert.equal(envValue(get(h, 'DaemonSet', 'istio-system', 'ztunnel'), 'istio-proxy', 'SKIP_VALIDATE_TRUST_DOMAIN'), 'true');
    const s = cluster(skip, 'cluster-west');
    assert.equal(envValue(get(s, 'Deployment', 'istio-system', 'istiod'), 'discovery', 'PILOT_SKIP_VALIDATE_TRUST_DOMAIN'), undefined);
    assert.equal(envValue(get(s, 'Deployment', 'istio-system', 'istiod'), 'discovery', 'TRUST_DOMAIN'), 'west.local');
    const ds = get(s, 'DaemonSet', 'istio-system', 'ztunnel');
    assert.equal(envValue(ds, 'istio-proxy', 'SKIP_VALIDATE_TRUST_DOMAIN'), undefined);
    for (const pod of all(s, 'Pod', { app: 'ztunnel' }))
      assert.equal(envValue(pod, 'istio-proxy', 'SKIP_VALIDATE_TRUST_DOMAIN'), undefined);
  });

  it('sets any ztunnel variable a scenario names', () => {
    const spec = parseScenarioText(
      `name: zt
summary: ztunnel env
clusters:
  - context: a
    clusterId: a
    breakage:
      ztunnelEnv: { RUST_LOG: debug, XDS_ADDRESS: null, EXTRA: "1" }
`,
      '/tmp/zt.yaml',
    );
    const s = generateScenario(spec, '/tmp/zt.yaml', NOW);
    const ds = get(cluster(s, 'a'), 'DaemonSet', 'istio-system', 'ztunnel');
    assert.equal(envValue(ds, 'istio-proxy', 'RUST_LOG'), 'debug');
    assert.equal(envValue(ds, 'istio-proxy', 'EXTRA'), '1');
    assert.equal(envValue(ds, 'istio-proxy', 'XDS_ADDRESS'), undefined);
  });

  it('rejects annotations for a context that is not a peer, and keys that are not annotation keys', () => {
    const base = `name: td
summary: td
clusters:
  - context: a
    clusterId: a
    peers: [b]
    breakage:
      remotePeerAnnotations:
        %s
  - context: b
    clusterId: b
    peers: [a]
`;
    const rejected = (entry: string): ScenarioError => {
      try {
        parseScenarioText(base.replace('%s', entry), '/tmp/td.yaml');
      } catch (error) {
        assert.ok(error instanceof ScenarioError);
        return error;
      }
      assert.fail('expected the scenario to be rejected');
    };
    assert.match(rejected('c: { gateway.istio.io/trust-domain: x }').message, /"c" is not one of this cluster's peers/);
    assert.match(rejected('b: { "not a key": x }').message, /expected an annotation key/);
  });
});
