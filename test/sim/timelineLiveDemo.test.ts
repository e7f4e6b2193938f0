// The live demo keeps its promise: it starts healthy and each event of its timeline turns a check
// red in the console's own checks, read through the product's feeds (a fresh one-shot read after
// each step, as `--once` would take). The timeline is stepped event by event (runUntil), so the
// test never waits for the demo's seconds to pass.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateChecks } from '../../checks/registry.ts';
import type { MeshSnapshot } from '../../src/store/types.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import { OPTIONS } from '../checks/peeringChecksHarness.ts';

let run: ScenarioSnapshot;
before(async () => {
  run = await snapshotOfScenario('live-demo', { timeline: 'manual', timeoutMs: 60_000 });
});
after(async () => {
  await run.stop();
});

/** Failing findings as `check [context] (root|under CAUSE)`, sorted: what the overview pane lists. */
function failing(snapshot: MeshSnapshot): string[] {
  const explained = evaluateChecks(snapshot, OPTIONS);
  return explained.findings
    .filter((f) => f.severity === 'fail')
    .map((f) => `${f.check} [${f.subject.context}] ${f.explainedBy !== undefined ? `under ${f.explainedBy}` : 'root'}`)
    .sort();
}

async function failingAfter(seconds: number): Promise<string[]> {
  await run.sim.sim.timeline.runUntil(seconds);
  return failing(await run.resnapshot(60_000));
}

describe('live-demo: healthy at start, a check turns red with each event', { concurrency: 1 }, () => {
  it('starts healthy', () => {
    assert.deepEqual(failing(run.snapshot), []);
  });

  it('8 s: HBONE 15008 timeouts in cluster-east, nothing explains them yet', async () => {
    assert.deepEqual(await failingAfter(8), ['MC-LOG-001 [cluster-east] root']);
  });

  it("15 s: cluster-west's istio-system relabelled to the wrong network, 240.240 passthrough in its ztunnels", async () => {
    assert.deepEqual(await failingAfter(16), [
      'MC-LOG-001 [cluster-east] root',
      'MC-LOG-001 [cluster-west] under MC-NET-001',
      'MC-NET-001 [cluster-west] root',
    ]);
  });

  it("30 s: cluster-east's link to cluster-north PeerConnected False, and it explains the timeouts", async () => {
    assert.deepEqual(await failingAfter(30), [
      'MC-LOG-001 [cluster-east] under MC-PEER-001',
      'MC-LOG-001 [cluster-west] under MC-NET-001',
      'MC-NET-001 [cluster-west] root',
      'MC-PEER-001 [cluster-east] root',
      'MC-XDS-001 [cluster-east] under MC-PEER-001',
    ]);
  });

  it("45 s: a ztunnel of cluster-north crash-loops and leaves istiod's proxy status", async () => {
    assert.deepEqual(await failingAfter(45), [
      'MC-LOG-001 [cluster-east] under MC-PEER-001',
      'MC-LOG-001 [cluster-west] under MC-NET-001',
      'MC-NET-001 [cluster-west] root',
      'MC-PEER-001 [cluster-east] root',
      'MC-POD-001 [cluster-north] root',
      'MC-XDS-001 [cluster-east] under MC-PEER-001',
      'MC-XDS-001 [cluster-north] under MC-POD-001',
    ]);
    assert.ok(run.sim.sim.timeline.finished);
    assert.deepEqual(
      run.sim.sim.timeline.played.filter((p) => p.error !== undefined).map((p) => p.error),
      [],
    );
  });
});
