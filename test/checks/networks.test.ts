// MC-NET-001: one network name per cluster, said the same way by the istio namespace, the
// east-west Gateway and ztunnel; remote Gateways labelled with their peer's network.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { networksCheck } from '../../checks/networks.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import { GATEWAYS } from '../../src/store/resourceIds.ts';
import { assertHealthy, assertRootCauses, editObject, run, setSync, withSeverity } from './peeringChecksHarness.ts';

const NETWORK = 'topology.istio.io/network';

describe('MC-NET-001 network labels consistent', () => {
  let mismatch: ScenarioSnapshot;
  let flat: ScenarioSnapshot;
  let healthy: ScenarioSnapshot;
  let healthy3: ScenarioSnapshot;
  before(async () => {
    mismatch = await snapshotOfScenario('network-mismatch');
    flat = await snapshotOfScenario('stale-autogenflat');
    healthy = await snapshotOfScenario('healthy');
    healthy3 = await snapshotOfScenario('healthy-3');
  });
  after(async () => {
    await mismatch?.stop();
    await flat?.stop();
    await healthy?.stop();
    await healthy3?.stop();
  });

  it('fails the namespace label that disagrees with the gateway and ztunnel, with the relabel command', () => {
    const findings = run(networksCheck, mismatch.snapshot);
    assertRootCauses(findings, mismatch.sim.scenario, networksCheck);
    const failed = withSeverity(findings, 'fail');
    assert.equal(failed.length, 1, 'the peer pointing at cluster-west accepts either of its names');
    assert.match(failed[0]?.message ?? '', /is "west-network", but cluster-west's other network labels say "west-net"/);
    assert.deepEqual(failed[0]?.remediation?.commands, [
      `kubectl --context cluster-west label namespace istio-system ${NETWORK}=west-net --overwrite`,
    ]);
    assert.equal(failed[0]?.remediation?.actionId, 'relabel-network');
    assert.ok(failed[0]?.evidence.some((e) => e.where.includes('env[NETWORK]') && e.value === 'west-net'));
    // The guided action plans from data: the very Namespace the finding read, with its uid and resourceVersion.
    const namespace = mismatch.snapshot.contexts['cluster-west' as never]?.resources['namespaces']?.objects['Namespace//istio-system'];
    assert.ok(namespace?.metadata.uid !== undefined && namespace.metadata.resourceVersion !== undefined);
    assert.deepEqual(failed[0]?.remediation?.targets, [
      {
        context: 'cluster-west',
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'istio-system',
        uid: namespace.metadata.uid,
        resourceVersion: namespace.metadata.resourceVersion,
        change: { op: 'setLabel', key: NETWORK, value: 'west-net' },
      },
    ]);
  });

  it('shows an empty label value as empty, quoted, never as a blank in the sentence', () => {
    const edited = editObject(healthy.snapshot, 'cluster-west', 'namespaces', 'Namespace//istio-system', (ns) => {
      ns.metadata.labels = { ...ns.metadata.labels, [NETWORK]: '' };
    });
    const [failed] = withSeverity(run(networksCheck, edited), 'fail');
    assert.match(
      failed?.message ?? '',
      /\.metadata\.labels\["topology\.istio\.io\/network"\] is empty \(""\), but cluster-west's other network labels say "west-net"\./,
    );
  });

  it('reports two clusters sharing a network with autogenflat entries as flat networking (info)', () => {
    const findings = run(networksCheck, flat.snapshot);
    assert.deepEqual(withSeverity(findings, 'fail'), []);
    const info = withSeverity(findings, 'info');
    assert.equal(info.length, 1);
    assert.deepEqual(info[0]?.contexts, ['cluster-east', 'cluster-west']);
    assert.match(info[0]?.message ?? '', /share network mesh-net .* flat networking/);
  });

  it('passes healthy meshes', () => {
    assertHealthy(run(networksCheck, healthy.snapshot));
    assertHealthy(run(networksCheck, healthy3.snapshot));
  });

  it('fails a shared network name without flat-network entries', () => {
    let edited = editObject(healthy.snapshot, 'cluster-west', 'namespaces', 'Namespace//istio-system', (ns) => {
      ns.metadata.labels = { ...ns.metadata.labels, [NETWORK]: 'east-net' };
    });
    edited = editObject(edited, 'cluster-west', GATEWAYS, 'Gateway/istio-eastwest/istio-eastwest', (gw) => {
      gw.metadata.labels = { ...gw.metadata.labels, [NETWORK]: 'east-net' };
    });
    const shared = run(networksCheck, edited).filter((f) => f.contexts.length === 2 && f.subject.kind === 'Namespace');
    assert.equal(shared[0]?.severity, 'fail');
    assert.match(shared[0]?.message ?? '', /share network east-net without flat-network entries/);
  });

  it("fails a remote Gateway labelled with another network than its peer's", () => {
    const edited = editObject(healthy.snapshot, 'cluster-east', GATEWAYS, 'Gateway/istio-eastwest/istio-remote-peer-west-net', (gw) => {
      gw.metadata.labels = { ...gw.metadata.labels, [NETWORK]: 'east-net' };
    });
    const [failed] = withSeverity(run(networksCheck, edited), 'fail');
    assert.ok(failed);
    assert.equal(failed.subject.name, 'istio-remote-peer-west-net');
    assert.match(failed.message, /is labelled network "east-net", but cluster-west's network is "west-net"/);
  });

  it('fails an istio namespace without a network label', () => {
    const edited = editObject(healthy.snapshot, 'cluster-east', 'namespaces', 'Namespace//istio-system', (ns) => {
      const labels = { ...ns.metadata.labels };
      delete labels[NETWORK];
      ns.metadata.labels = labels;
    });
    const failed = withSeverity(run(networksCheck, edited), 'fail').filter((f) => f.subject.context === 'cluster-east');
    assert.ok(failed.some((f) => f.subject.kind === 'Namespace' && /has no topology\.istio\.io\/network label/.test(f.message)));
  });

  it('is unknown when namespaces cannot be read', () => {
    const edited = setSync(healthy.snapshot, 'cluster-east', 'namespaces', 'forbidden');
    const east = run(networksCheck, edited).filter((f) => f.subject.context === 'cluster-east' && f.contexts.length === 1);
    assert.deepEqual(
      east.map((f) => f.severity),
      ['unknown'],
    );
  });
});
