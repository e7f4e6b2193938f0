// MC-WE-001: autogenflat WorkloadEntries whose source pod is gone, from the sourcePods fact the
// feeds fetched; entries from clusters outside the checked contexts are not called stale.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { staleWorkloadEntriesCheck } from '../../checks/staleWorkloadEntries.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import type { ContextId, Fact, MeshSnapshot, SourcePodsFactValue } from '../../src/store/types.ts';
import { assertHealthy, assertRootCauses, run, setFacts, setSync, withSeverity } from './peeringChecksHarness.ts';

/** The snapshot as a console that only loaded cluster-east would hold it. */
function onlyEast(snapshot: MeshSnapshot): MeshSnapshot {
  const east = 'cluster-east' as ContextId;
  const facts = setFacts(snapshot, east, (f) => {
    const sourcePods: Record<string, Fact<SourcePodsFactValue>> = {};
    for (const [cluster, fact] of Object.entries(f.sourcePods)) {
      if (fact.state !== 'known') {
        sourcePods[cluster] = fact;
        continue;
      }
      const value: SourcePodsFactValue = {
        sourceCluster: fact.value.sourceCluster,
        entries: fact.value.entries.map((e) => ({ ...e, state: 'notLoaded' as const, reason: 'no loaded context has this CLUSTER_ID' })),
      };
      sourcePods[cluster] = { ...fact, value };
    }
    return { ...f, sourcePods };
  });
  const eastState = facts.contexts[east];
  const eastFacts = facts.facts[east];
  assert.ok(eastState && eastFacts);
  return { ...facts, contexts: { [east]: eastState }, facts: { [east]: eastFacts }, logSignatures: {} };
}

describe('MC-WE-001 stale flat-network WorkloadEntries', () => {
  let stale: ScenarioSnapshot;
  let healthy: ScenarioSnapshot;
  let healthy3: ScenarioSnapshot;
  before(async () => {
    stale = await snapshotOfScenario('stale-autogenflat');
    healthy = await snapshotOfScenario('healthy');
    healthy3 = await snapshotOfScenario('healthy-3');
  });
  after(async () => {
    await stale?.stop();
    await healthy?.stop();
    await healthy3?.stop();
  });

  it('fails each entry whose pod is gone, with the delete command and the guided action', () => {
    const findings = run(staleWorkloadEntriesCheck, stale.snapshot);
    assertRootCauses(findings, stale.sim.scenario, staleWorkloadEntriesCheck);
    const failed = withSeverity(findings, 'fail');
    assert.equal(failed.length, 2, 'the two live pods are not stale');
    for (const f of failed) {
      assert.deepEqual(f.remediation?.commands, [`kubectl --context cluster-east -n istio-system delete workloadentry ${f.subject.name}`]);
      assert.equal(f.remediation?.actionId, 'delete-stale-workloadentries');
      assert.ok(f.evidence.some((e) => e.value.startsWith('west//Pod/bookinfo/')));
      const entry = Object.values(
        stale.snapshot.contexts['cluster-east' as never]?.resources['workloadentries.networking.istio.io']?.objects ?? {},
      ).find((we) => we.metadata.name === f.subject.name);
      assert.ok(entry?.metadata.uid !== undefined);
      assert.deepEqual(f.remediation?.targets, [
        {
          context: 'cluster-east',
          apiVersion: entry.apiVersion,
          kind: 'WorkloadEntry',
          namespace: 'istio-system',
          name: f.subject.name,
          uid: entry.metadata.uid,
          resourceVersion: entry.metadata.resourceVersion,
          change: { op: 'delete' },
        },
      ]);
    }
    assert.ok(findings.some((f) => f.message === 'found 2 stale workload(s) out of 4 checked in cluster-east.'));
    assert.ok(
      findings.some(
        (f) => f.subject.context === 'cluster-west' && f.severity === 'pass' && f.message === 'no stale workloads found (2 checked).',
      ),
    );
  });

  it('passes meshes without autogenflat entries', () => {
    const findings = run(staleWorkloadEntriesCheck, healthy.snapshot);
    assertHealthy(findings);
    assert.ok(findings.every((f) => f.message.startsWith('no autogenflat workload entries found')));
    assertHealthy(run(staleWorkloadEntriesCheck, healthy3.snapshot));
  });

  it('reports entries from a cluster outside the checked contexts as such, never as stale', () => {
    const findings = run(staleWorkloadEntriesCheck, onlyEast(stale.snapshot));
    assert.deepEqual(withSeverity(findings, 'fail'), []);
    const [warned] = withSeverity(findings, 'warn');
    assert.ok(warned);
    assert.match(warned.message, /4 autogenflat WorkloadEntries from cluster west, but cluster west is not among the checked contexts/);
  });

  it('is unknown when the source cluster could not be asked', () => {
    const edited = setFacts(stale.snapshot, 'cluster-east', (f) => ({
      ...f,
      sourcePods: { west: { state: 'unknown', reason: 'cluster-west is unreachable', observedAt: stale.snapshot.takenAt } },
    }));
    const east = run(staleWorkloadEntriesCheck, edited).filter((f) => f.subject.context === 'cluster-east');
    assert.equal(east.length, 4);
    assert.ok(east.every((f) => f.severity === 'unknown' && f.message.includes('cluster-west is unreachable')));
  });

  it('is unknown when WorkloadEntries cannot be read', () => {
    const edited = setSync(healthy.snapshot, 'cluster-east', 'workloadentries.networking.istio.io', 'forbidden');
    const east = run(staleWorkloadEntriesCheck, edited).filter((f) => f.subject.context === 'cluster-east');
    assert.deepEqual(
      east.map((f) => f.severity),
      ['unknown'],
    );
  });
});
