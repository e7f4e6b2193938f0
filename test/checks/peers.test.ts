// MC-PEER-001 on the snapshots the product's own feeds take of simulated scenarios, and on
// hand-edited copies for what the scenarios do not cover (no status, unreadable Gateways).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { peersCheck } from '../../checks/peers.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import { GATEWAYS } from '../../src/store/resourceIds.ts';
import { assertHealthy, assertRootCauses, editObject, PRECHECK, run, setSync, withSeverity } from './peeringChecksHarness.ts';

const EAST_TO_WEST = 'Gateway/istio-eastwest/istio-remote-peer-west-net';

describe('MC-PEER-001 peers connected', () => {
  let disconnected: ScenarioSnapshot;
  let healthy: ScenarioSnapshot;
  let healthy3: ScenarioSnapshot;
  before(async () => {
    disconnected = await snapshotOfScenario('peer-disconnected');
    healthy = await snapshotOfScenario('healthy');
    healthy3 = await snapshotOfScenario('healthy-3');
  });
  after(async () => {
    await disconnected?.stop();
    await healthy?.stop();
    await healthy3?.stop();
  });

  it('fails the disconnected peer Gateway and quotes its conditions', () => {
    const findings = run(peersCheck, disconnected.snapshot);
    assertRootCauses(findings, disconnected.sim.scenario, peersCheck);
    const [failed] = withSeverity(findings, 'fail');
    assert.ok(failed);
    assert.match(failed.message, /gloo\.solo\.io\/PeerConnected False Pending "not connected to peer"/);
    assert.match(failed.message, /PeeringSucceeded Unknown Pending "network not yet synced check istiod log for more details"/);
    assert.match(failed.message, /PeerDataPlaneProgrammed True/);
    assert.deepEqual(failed.contexts, ['cluster-east', 'cluster-west']);
    assert.ok(
      failed.remediation?.commands.includes('istioctl --context cluster-east multicluster link --from cluster-east --to cluster-west'),
    );
    assert.ok(failed.evidence.some((e) => e.where.includes('gloo.solo.io/PeerConnected') && e.value.startsWith('False Pending')));
    // The way back is fine.
    assert.equal(findings.find((f) => f.subject.context === 'cluster-west')?.severity, 'pass');
  });

  it('only warns with --precheck', () => {
    const findings = run(peersCheck, disconnected.snapshot, PRECHECK);
    assert.deepEqual(withSeverity(findings, 'fail'), []);
    assert.equal(withSeverity(findings, 'warn').length, 1);
  });

  it('passes every peer of a healthy mesh (2 and 3 clusters, LoadBalancer and NodePort)', () => {
    assertHealthy(run(peersCheck, healthy.snapshot));
    const three = run(peersCheck, healthy3.snapshot);
    assertHealthy(three);
    assert.equal(withSeverity(three, 'pass').length, 6, 'two peers in each of three clusters');
  });

  it('says unknown, not pass, for a peer Gateway without any Solo condition', () => {
    const edited = editObject(healthy.snapshot, 'cluster-east', GATEWAYS, EAST_TO_WEST, (gw) => {
      const status = gw['status'] as { conditions: { type: string }[] };
      status.conditions = status.conditions.filter((c) => !c.type.startsWith('gloo.solo.io/'));
    });
    const finding = run(peersCheck, edited).find((f) => f.subject.context === 'cluster-east');
    assert.equal(finding?.severity, 'unknown');
    assert.match(finding?.message ?? '', /no gloo\.solo\.io\/PeerConnected or gloo\.solo\.io\/PeeringSucceeded condition/);
  });

  it('names the env as the explanation when istiod runs no peering controller', () => {
    let edited = editObject(healthy.snapshot, 'cluster-east', GATEWAYS, EAST_TO_WEST, (gw) => {
      delete gw['status'];
    });
    edited = editObject(edited, 'cluster-east', 'deployments.apps#istiod', 'Deployment/istio-system/istiod', (d) => {
      const containers = (d['spec'] as { template: { spec: { containers: { env: { name: string }[] }[] } } }).template.spec.containers;
      for (const c of containers) c.env = c.env.filter((e) => e.name !== 'ENABLE_PEERING_DISCOVERY');
    });
    const finding = run(peersCheck, edited).find((f) => f.subject.context === 'cluster-east');
    assert.equal(finding?.severity, 'unknown');
    assert.equal(finding?.explainedBy, 'MC-ENV-001');
  });

  it('warns a DataPlaneProgrammed=False on a connected peer', () => {
    const edited = editObject(healthy.snapshot, 'cluster-east', GATEWAYS, EAST_TO_WEST, (gw) => {
      const status = gw['status'] as { conditions: { type: string; status: string; reason: string; message: string }[] };
      const dp = status.conditions.find((c) => c.type === 'gloo.solo.io/PeerDataPlaneProgrammed');
      assert.ok(dp);
      Object.assign(dp, {
        status: 'False',
        reason: 'Invalid',
        message: 'peering data plane not programmed for cross-network traffic, missing HBONE listener',
      });
    });
    const finding = run(peersCheck, edited).find((f) => f.subject.context === 'cluster-east');
    assert.equal(finding?.severity, 'warn');
    assert.match(finding?.message ?? '', /missing HBONE listener/);
  });

  it('is unknown when the Gateways cannot be read', () => {
    const edited = setSync(healthy.snapshot, 'cluster-west', GATEWAYS, 'forbidden');
    const west = run(peersCheck, edited).filter((f) => f.subject.context === 'cluster-west');
    assert.deepEqual(
      west.map((f) => f.severity),
      ['unknown'],
    );
    assert.match(west[0]?.message ?? '', /forbidden on gateways/);
  });
});
