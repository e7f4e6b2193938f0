// Capture → replay: a built-in scenario is snapshotted by the console's own LiveMesh, captured
// as a scenario file, loaded by the scenario loader, served again by the simulator and
// snapshotted again. What a check reads (objects, istiod facts, log signatures, what could not
// be read) and what the checks find must be the same on both sides.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureScenario } from '../../src/report/scenarioCapture.ts';
import { listBuiltinScenarios, parseScenarioText } from '../../src/sim/scenario/load.ts';
import type { ContextState, MeshSnapshot } from '../../src/store/types.ts';
import type { Finding } from '../../checks/types.ts';
import { runChecks } from '../../checks/registry.ts';
import { snapshotOfScenario } from '../helpers/meshSnapshot.ts';

const dir = await mkdtemp(join(tmpdir(), 'mesh-tui-capture-'));
after(() => rm(dir, { recursive: true, force: true }));

/** What a check can read of an object: everything but what the apiserver rewrites on every write. */
function comparable(object: unknown): unknown {
  const { metadata, ...rest } = object as { metadata: Record<string, unknown> };
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = metadata;
  return { ...rest, metadata: meta };
}

function objectsOf(state: ContextState): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(state.resources).map(([id, r]) => [
      id,
      Object.fromEntries(Object.entries(r.objects).map(([k, o]) => [k, comparable(o)])),
    ]),
  );
}

function readable(state: ContextState): Record<string, string> {
  return Object.fromEntries(Object.entries(state.resources).map(([id, r]) => [id, r.sync]));
}

/** Facts without the time they were observed. */
function factsOf(snapshot: MeshSnapshot, context: string): unknown {
  const facts = snapshot.facts[context as keyof MeshSnapshot['facts']];
  if (!facts) return undefined;
  const strip = (record: Readonly<Record<string, unknown>>): unknown =>
    Object.fromEntries(
      Object.entries(record).map(([k, fact]) => {
        const f = fact as { state: string; value?: unknown; errorKind?: string };
        return [k, f.state === 'known' ? { state: 'known', value: f.value } : { state: 'unknown', errorKind: f.errorKind }];
      }),
    );
  const sourcePods = Object.fromEntries(
    Object.entries(facts.sourcePods).map(([k, f]) => [
      k,
      f.state === 'known'
        ? f.value.entries.map((e) => ({ workloadEntry: e.workloadEntry, pod: `${e.podNamespace}/${e.podName}`, state: e.state }))
        : f.state,
    ]),
  );
  return { syncz: strip(facts.syncz), license: strip(facts.license), clusterz: strip(facts.clusterz), sourcePods };
}

function signaturesOf(snapshot: MeshSnapshot, context: string): unknown {
  const table = snapshot.logSignatures[context as keyof MeshSnapshot['logSignatures']] ?? {};
  return Object.fromEntries(
    Object.entries(table).map(([id, a]) => [
      id,
      {
        title: a.title,
        count: a.count,
        firstSeen: a.firstSeen,
        lastSeen: a.lastSeen,
        sources: [...a.sources].sort(),
        examples: a.examples,
      },
    ]),
  );
}

function findingsOf(findings: Finding[]): unknown[] {
  return findings.map((f) => ({ check: f.check, severity: f.severity, contexts: f.contexts, subject: f.subject, message: f.message }));
}

// Chosen to cover every part of a capture: logs and peer conditions (peer-disconnected),
// flat-network entries and their source pods (stale-autogenflat), forbidden reads turned into a
// restricted user (forbidden), three clusters with the HTTP syncz shape and JSON ztunnel logs
// (healthy-3), one signature seen in istiod and ztunnel logs alike (root-ca-mismatch), a licence
// key's claims written as a stand-in key that counts down to the same expiry (license-expiring).
// CAPTURE_SCENARIOS=all replays every built-in (minutes).
const SCENARIOS =
  process.env.CAPTURE_SCENARIOS === 'all'
    ? (await listBuiltinScenarios()).map((s) => s.name)
    : ['peer-disconnected', 'stale-autogenflat', 'forbidden', 'healthy-3', 'root-ca-mismatch', 'license-expiring'];

describe('a captured scenario replays to the same snapshot and findings', { concurrency: 1 }, () => {
  for (const name of SCENARIOS) {
    test(name, async () => {
      const original = await snapshotOfScenario(name);
      let yaml: string;
      try {
        yaml = captureScenario(original.snapshot, { name: `${name}-captured` });
      } finally {
        await original.stop();
      }
      const file = join(dir, `${name}.yaml`);
      await writeFile(file, yaml);
      const spec = parseScenarioText(yaml, file);
      assert.deepEqual(
        spec.clusters.map((c) => [c.context, c.clusterId, c.mode]).sort(),
        original.sim.scenario.clusters.map((c) => [c.context, c.clusterId, 'manifests-only']).sort(),
      );

      const replay = await snapshotOfScenario(name, { file });
      try {
        const before = original.snapshot;
        const now = replay.snapshot;
        assert.deepEqual(Object.keys(now.contexts).sort(), Object.keys(before.contexts).sort());
        for (const context of Object.keys(before.contexts)) {
          const a = before.contexts[context as keyof MeshSnapshot['contexts']]!;
          const b = now.contexts[context as keyof MeshSnapshot['contexts']]!;
          assert.equal(b.clusterId, a.clusterId, `${context} cluster id`);
          assert.equal(b.status.phase, a.status.phase, `${context} phase`);
          assert.deepEqual(readable(b), readable(a), `${context} resource sync states`);
          assert.deepEqual(objectsOf(b), objectsOf(a), `${context} objects`);
          assert.deepEqual(factsOf(now, context), factsOf(before, context), `${context} istiod facts`);
          assert.deepEqual(signaturesOf(now, context), signaturesOf(before, context), `${context} log signatures`);
        }
        const findings = findingsOf(runChecks(before));
        assert.ok(findings.length > 0, 'the checks found something to compare');
        assert.deepEqual(findingsOf(runChecks(now)), findings);
      } finally {
        await replay.stop();
      }
    });
  }
});
