// MC-PEER-002: one-way links and remote Gateways pointing at an old east-west address.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { peerSymmetryCheck } from '../../checks/peerSymmetry.ts';
import { peersCheck } from '../../checks/peers.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import { GATEWAYS } from '../../src/store/resourceIds.ts';
import { assertHealthy, assertRootCauses, editObject, PRECHECK, run, setSync, withSeverity } from './peeringChecksHarness.ts';

const EAST_TO_WEST = 'Gateway/istio-eastwest/istio-remote-peer-west-net';

describe('MC-PEER-002 peering symmetric and current', () => {
  let asymmetric: ScenarioSnapshot;
  let healthy: ScenarioSnapshot;
  let healthy3: ScenarioSnapshot;
  let stale: ScenarioSnapshot;
  before(async () => {
    stale = await snapshotOfScenario('remote-gateway-stale-address');
    asymmetric = await snapshotOfScenario('asymmetric-link');
    healthy = await snapshotOfScenario('healthy');
    healthy3 = await snapshotOfScenario('healthy-3');
  });
  after(async () => {
    await asymmetric?.stop();
    await healthy?.stop();
    await healthy3?.stop();
    await stale?.stop();
  });

  it('fails a remote Gateway the scenario planted at an old address, and the disconnect it causes sits under it', () => {
    const findings = run(peerSymmetryCheck, stale.snapshot);
    assertRootCauses(findings, stale.sim.scenario, peerSymmetryCheck);
    const [failed] = withSeverity(findings, 'fail');
    assert.match(failed?.message ?? '', /points at 172\.18\.255\.230, but cluster-west's east-west gateway is now at 172\.18\.255\.201/);
    const link = run(peersCheck, stale.snapshot).find((f) => f.subject.context === 'cluster-east');
    assert.equal(link?.severity, 'fail');
    assert.equal(link?.explainedBy, 'MC-PEER-002');
  });

  it('fails the missing way back, naming the Gateway link would create and the command', () => {
    const findings = run(peerSymmetryCheck, asymmetric.snapshot);
    assertRootCauses(findings, asymmetric.sim.scenario, peerSymmetryCheck);
    const [failed] = withSeverity(findings, 'fail');
    assert.ok(failed);
    assert.match(failed.message, /cluster-east links to cluster-west .* but cluster-west has no istio-remote Gateway for cluster-east/);
    assert.deepEqual(failed.remediation?.commands, [
      'istioctl --context cluster-west multicluster link --from cluster-west --to cluster-east',
    ]);
    assert.equal(withSeverity(findings, 'fail').length, 1);
  });

  it('warns instead with --precheck', () => {
    const findings = run(peerSymmetryCheck, asymmetric.snapshot, PRECHECK);
    assert.deepEqual(withSeverity(findings, 'fail'), []);
    assert.equal(withSeverity(findings, 'warn').length, 1);
  });

  it('passes healthy meshes of two and three clusters (a NodePort peer included)', () => {
    assertHealthy(run(peerSymmetryCheck, healthy.snapshot));
    const three = run(peerSymmetryCheck, healthy3.snapshot);
    assertHealthy(three);
    assert.equal(withSeverity(three, 'pass').length, 6);
  });

  it("fails a remote Gateway that points at an address the peer's east-west gateway no longer has", () => {
    const edited = editObject(healthy.snapshot, 'cluster-east', GATEWAYS, EAST_TO_WEST, (gw) => {
      (gw['spec'] as { addresses: { type: string; value: string }[] }).addresses = [{ type: 'IPAddress', value: '10.99.99.99' }];
    });
    const [failed] = withSeverity(run(peerSymmetryCheck, edited), 'fail');
    assert.ok(failed);
    assert.equal(failed.subject.context, 'cluster-east');
    assert.equal(failed.subject.name, 'istio-remote-peer-west-net');
    assert.match(failed.message, /points at 10\.99\.99\.99, but cluster-west's east-west gateway is now at 172\.18\.255\.201/);
    assert.deepEqual(failed.remediation?.commands, [
      'istioctl --context cluster-east multicluster link --from cluster-east --to cluster-west',
    ]);
  });

  it('does not compare addresses when the peer has none (that is MC-EW-001)', () => {
    let edited = editObject(healthy.snapshot, 'cluster-west', GATEWAYS, 'Gateway/istio-eastwest/istio-eastwest', (gw) => {
      (gw['status'] as { addresses?: unknown }).addresses = [];
    });
    edited = editObject(edited, 'cluster-west', 'services#eastwest', 'Service/istio-eastwest/istio-eastwest', (svc) => {
      svc['status'] = { loadBalancer: {} };
    });
    const east = run(peerSymmetryCheck, edited).filter((f) => f.subject.context === 'cluster-east');
    assert.deepEqual(
      east.map((f) => f.severity),
      ['info'],
    );
    assert.match(east[0]?.message ?? '', /has no address/);
  });

  it("is unknown, not pass, when the peer's Gateways cannot be read", () => {
    const edited = setSync(healthy.snapshot, 'cluster-west', GATEWAYS, 'forbidden');
    const findings = run(peerSymmetryCheck, edited);
    assert.deepEqual(
      withSeverity(findings, 'pass').filter((f) => f.contexts.includes('cluster-west')),
      [],
    );
    assert.ok(withSeverity(findings, 'unknown').length >= 1);
  });
});
