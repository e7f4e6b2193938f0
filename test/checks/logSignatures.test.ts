// MC-LOG-001: log signatures from the live feeds, each tied to the check that explains it; a
// signature whose explaining check does not fail stands on its own; unread logs are unknown.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { logSignaturesCheck } from '../../checks/logSignatures.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import type { ContextId, MeshSnapshot } from '../../src/store/types.ts';
import { assertHealthy, assertRootCauses, run, withSeverity } from './peeringChecksHarness.ts';

const EAST = 'cluster-east' as ContextId;

describe('MC-LOG-001 log signatures', () => {
  let mismatch: ScenarioSnapshot;
  let disconnected: ScenarioSnapshot;
  let forbidden: ScenarioSnapshot;
  let healthy: ScenarioSnapshot;
  let healthy3: ScenarioSnapshot;
  before(async () => {
    mismatch = await snapshotOfScenario('network-mismatch');
    disconnected = await snapshotOfScenario('peer-disconnected');
    forbidden = await snapshotOfScenario('forbidden');
    healthy = await snapshotOfScenario('healthy');
    healthy3 = await snapshotOfScenario('healthy-3');
  });
  after(async () => {
    for (const s of [mismatch, disconnected, forbidden, healthy, healthy3]) await s?.stop();
  });

  it('ties 240.240.x.y passthrough timeouts to MC-NET-001', () => {
    const findings = run(logSignaturesCheck, mismatch.snapshot);
    assertRootCauses(findings, mismatch.sim.scenario, logSignaturesCheck);
    const [failed] = withSeverity(findings, 'fail');
    assert.equal(failed?.explainedBy, 'MC-NET-001');
    assert.match(failed?.message ?? '', /Destination in 240\.240\.0\.0\/16 ×\d+ in cluster-west/);
    assert.ok(failed?.evidence.some((e) => e.where.startsWith('log istio-system/ztunnel-') && e.value.includes('240.240.')));
  });

  it('ties 15008 timeouts and peering stream drops to MC-PEER-001', () => {
    const findings = run(logSignaturesCheck, disconnected.snapshot);
    assertRootCauses(findings, disconnected.sim.scenario, logSignaturesCheck);
    const east = findings.filter((f) => f.subject.context === 'cluster-east');
    assert.deepEqual(east.map((f) => [f.subject.kind, f.explainedBy]).sort(), [
      ['DaemonSet', 'MC-PEER-001'],
      ['Deployment', 'MC-PEER-001'],
    ]);
    assert.match(east.find((f) => f.subject.kind === 'DaemonSet')?.message ?? '', /HBONE 15008 timeout/);
  });

  it('reports a signature on its own when its explaining check does not fail', () => {
    const table = disconnected.snapshot.logSignatures[EAST];
    assert.ok(table);
    const edited: MeshSnapshot = { ...healthy.snapshot, logSignatures: { ...healthy.snapshot.logSignatures, [EAST]: table } };
    const east = run(logSignaturesCheck, edited).filter((f) => f.subject.context === 'cluster-east');
    assert.equal(east.length, 2);
    for (const f of east) {
      assert.equal(f.severity, 'fail');
      assert.equal(f.explainedBy, undefined);
      assert.match(f.message, /nothing explains it/);
    }
  });

  it('is unknown, not pass, when pod logs are forbidden', () => {
    const findings = run(logSignaturesCheck, forbidden.snapshot);
    assert.deepEqual(
      findings.map((f) => f.severity),
      ['unknown', 'unknown'],
    );
    assert.match(findings[0]?.message ?? '', /3 of 3 log streams of cluster-east are not followed .*forbidden/);
  });

  it('is unknown when some log streams are left out by the stream cap', () => {
    const ctx = healthy.snapshot.contexts[EAST];
    assert.ok(ctx?.logStreams);
    const [first] = Object.keys(ctx.logStreams);
    assert.ok(first);
    const logStreams = { ...ctx.logStreams, [first]: { phase: 'notFollowed' as const, since: healthy.snapshot.takenAt } };
    const edited: MeshSnapshot = { ...healthy.snapshot, contexts: { ...healthy.snapshot.contexts, [EAST]: { ...ctx, logStreams } } };
    const east = run(logSignaturesCheck, edited).filter((f) => f.subject.context === 'cluster-east');
    assert.deepEqual(
      east.map((f) => f.severity),
      ['unknown'],
    );
  });

  it('passes healthy meshes (plain and JSON ztunnel logs)', () => {
    assertHealthy(run(logSignaturesCheck, healthy.snapshot));
    assertHealthy(run(logSignaturesCheck, healthy3.snapshot));
  });
});
