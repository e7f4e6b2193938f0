// What the check tests share: scenario snapshots taken by the product's own feeds, hand edits of
// them for edge cases (a snapshot is plain JSON, so an edit is a deep copy with one thing
// changed), and matching findings against a scenario's declared root causes.
import assert from 'node:assert/strict';
import type { CheckDefinition, CheckOptions, Finding } from '../../checks/types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot, ResourceState } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { snapshotOfScenario } from '../helpers/meshSnapshot.ts';
import { CHECKS, runChecks } from '../../checks/registry.ts';

export const OPTIONS: CheckOptions = { precheck: false, istioNamespace: 'istio-system' };

/** The snapshot of a built-in scenario and the scenario itself; the simulator is stopped before returning. */
export async function scenarioSnapshot(name: string): Promise<{ snapshot: MeshSnapshot; scenario: Scenario }> {
  const taken = await snapshotOfScenario(name);
  try {
    return { snapshot: taken.snapshot, scenario: taken.sim.scenario };
  } finally {
    await taken.stop();
  }
}

/**
 * One check's findings as a user sees them: every registered check runs and the explanation pass
 * links symptoms to causes (`explainedBy`), then the other checks' findings are left out.
 */
export function run(check: CheckDefinition, snapshot: MeshSnapshot, options: CheckOptions = OPTIONS): Finding[] {
  const checks = CHECKS.includes(check) ? CHECKS : [check];
  return runChecks(snapshot, options, checks).filter((f) => f.check === check.id);
}

export function ctx(name: string): ContextId {
  return name as ContextId;
}

/** A deep copy to edit: the original snapshot stays as the feeds produced it. */
export function copy(snapshot: MeshSnapshot): MeshSnapshot {
  return structuredClone(snapshot);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function resourceOf(snapshot: MeshSnapshot, context: string, resource: string): Mutable<ResourceState> {
  const res = snapshot.contexts[ctx(context)]?.resources[resource];
  assert.ok(res, `${context} has no resource ${resource}`);
  return res;
}

/** Edit every object of a resource in one context (a deep copy of the snapshot is returned). */
export function editObjects(
  snapshot: MeshSnapshot,
  context: string,
  resource: string,
  edit: (obj: KubeObjectJson) => KubeObjectJson | undefined,
): MeshSnapshot {
  const next = copy(snapshot);
  const res = resourceOf(next, context, resource);
  const objects: Record<string, KubeObjectJson> = {};
  for (const [key, obj] of Object.entries(res.objects)) {
    const edited = edit(obj);
    if (edited) objects[key] = edited;
  }
  res.objects = objects;
  return next;
}

/** Put a resource into another sync state (with an optional error), keeping or dropping its objects. */
export function withSync(
  snapshot: MeshSnapshot,
  context: string,
  resource: string,
  sync: ResourceState['sync'],
  message?: string,
): MeshSnapshot {
  const next = copy(snapshot);
  const res = resourceOf(next, context, resource);
  res.sync = sync;
  if (sync !== 'synced' && sync !== 'stale') res.objects = {};
  if (message !== undefined) {
    res.error = { kind: sync === 'forbidden' ? 'forbidden' : 'unknown', message, retryable: false, at: next.takenAt };
  }
  return next;
}

export function only(findings: Finding[], context: string): Finding[] {
  return findings.filter((f) => f.subject.context === context);
}

export function severities(findings: Finding[]): string[] {
  return findings.map((f) => `${f.subject.context} ${f.severity}`);
}

/** Every declared root cause of this check in the scenario has a finding with that context, subject and severity. */
export function assertRootCauses(scenario: Scenario, findings: Finding[], checkId: string): void {
  const causes = scenario.rootCauses.filter((c) => c.check === checkId);
  assert.ok(causes.length > 0, `scenario ${scenario.name} declares no ${checkId} root cause`);
  for (const cause of causes) {
    const severity = cause.expectedSeverity ?? 'fail';
    const match = findings.find(
      (f) =>
        f.check === checkId &&
        f.subject.context === cause.context &&
        f.subject.kind === cause.subject.kind &&
        f.subject.name === cause.subject.name &&
        (cause.subject.namespace === undefined || f.subject.namespace === cause.subject.namespace) &&
        f.severity === severity,
    );
    assert.ok(
      match,
      `no ${severity} ${checkId} finding for ${cause.context} ${cause.subject.kind} ${cause.subject.namespace ?? ''}/${cause.subject.name}; got:\n${findings
        .map((f) => `  ${f.severity} ${f.subject.context} ${f.subject.kind} ${f.subject.namespace ?? ''}/${f.subject.name}: ${f.message}`)
        .join('\n')}`,
    );
  }
}

/** Nothing in a finding may carry secret material. */
export function assertNoSecrets(findings: Finding[], secrets: string[]): void {
  const text = JSON.stringify(findings);
  for (const secret of secrets) assert.ok(!text.includes(secret), 'a finding contains secret material');
  assert.ok(!text.includes('PRIVATE KEY'), 'a finding contains a private key');
}
