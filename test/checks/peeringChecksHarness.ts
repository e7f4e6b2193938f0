// Shared by the tests of the peering and data-plane checks: run a check, pick findings, assert a
// scenario's declared root causes, and hand-edit a snapshot (objects, sync states, facts) for
// edge cases. Edits build new records (snapshots are immutable), never mutate the original, so
// one scenario snapshot serves every test of a file.
import assert from 'node:assert/strict';
import type { CheckDefinition, CheckOptions, Finding, Severity } from '../../checks/types.ts';
import type { ContextFacts, ContextId, KubeObjectJson, MeshSnapshot, ResourceState } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { run as runOne } from './checkHarness.ts';

export const OPTIONS: CheckOptions = { precheck: false, istioNamespace: 'istio-system' };
export const PRECHECK: CheckOptions = { precheck: true, istioNamespace: 'istio-system' };

/** One check's findings after the explanation pass, as a user sees them (checkHarness.ts `run`). */
export function run(check: CheckDefinition, snapshot: MeshSnapshot, options: CheckOptions = OPTIONS): Finding[] {
  for (const f of check.run(snapshot, options)) assert.equal(f.check, check.id, 'a check only reports its own id');
  return runOne(check, snapshot, options);
}

export function withSeverity(findings: readonly Finding[], severity: Severity): Finding[] {
  return findings.filter((f) => f.severity === severity);
}

/** Everything that is not pass or info: what a healthy mesh must not show. */
export function problems(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity !== 'pass' && f.severity !== 'info');
}

export function describe(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${f.severity} ${f.subject.context} ${f.subject.kind} ${f.subject.namespace ?? ''}/${f.subject.name}: ${f.message}`)
    .join('\n');
}

/** A healthy scenario: at least one pass, nothing worse than info. */
export function assertHealthy(findings: readonly Finding[]): void {
  assert.deepEqual(problems(findings), [], describe(problems(findings)));
  assert.ok(withSeverity(findings, 'pass').length > 0, 'a healthy mesh shows what passed');
}

/** Every root cause the scenario declares for this check is a finding with that subject and severity. */
export function assertRootCauses(findings: readonly Finding[], scenario: Scenario, check: CheckDefinition): void {
  const causes = scenario.rootCauses.filter((c) => c.check === check.id);
  assert.ok(causes.length > 0, `scenario ${scenario.name} declares a ${check.id} root cause`);
  for (const cause of causes) {
    const expected = cause.expectedSeverity ?? 'fail';
    const match = findings.find(
      (f) =>
        f.subject.context === cause.context &&
        f.subject.kind === cause.subject.kind &&
        (f.subject.namespace ?? '') === (cause.subject.namespace ?? '') &&
        f.subject.name === cause.subject.name &&
        f.severity === expected,
    );
    assert.ok(
      match,
      `${expected} finding for ${cause.context} ${cause.subject.kind} ${cause.subject.namespace ?? ''}/${cause.subject.name}; ` +
        `got:\n${describe(findings)}`,
    );
  }
}

// ---- hand edits ---------------------------------------------------------------------------

function withResource(
  snapshot: MeshSnapshot,
  context: string,
  resource: string,
  edit: (res: ResourceState) => ResourceState,
): MeshSnapshot {
  const ctx = snapshot.contexts[context as ContextId];
  assert.ok(ctx, `context ${context}`);
  const res = ctx.resources[resource];
  assert.ok(res, `resource ${resource} in ${context}`);
  return {
    ...snapshot,
    contexts: { ...snapshot.contexts, [context]: { ...ctx, resources: { ...ctx.resources, [resource]: edit(res) } } },
  };
}

/** Replace (or with `undefined`, remove) one object, by its store key `Kind/namespace/name`. */
export function setObject(
  snapshot: MeshSnapshot,
  context: string,
  resource: string,
  key: string,
  object: KubeObjectJson | undefined,
): MeshSnapshot {
  return withResource(snapshot, context, resource, (res) => {
    const objects = { ...res.objects };
    if (object === undefined) delete objects[key];
    else objects[key] = object;
    return { ...res, objects };
  });
}

export function getObject(snapshot: MeshSnapshot, context: string, resource: string, key: string): KubeObjectJson {
  const obj = snapshot.contexts[context as ContextId]?.resources[resource]?.objects[key];
  assert.ok(obj, `${key} in ${context} ${resource}`);
  return obj;
}

/** Change one object through a JSON copy, so the edit can use plain property writes. */
export function editObject(
  snapshot: MeshSnapshot,
  context: string,
  resource: string,
  key: string,
  edit: (copy: KubeObjectJson) => void,
): MeshSnapshot {
  const copy = structuredClone(getObject(snapshot, context, resource, key));
  edit(copy);
  return setObject(snapshot, context, resource, key, copy);
}

export function setSync(snapshot: MeshSnapshot, context: string, resource: string, sync: ResourceState['sync']): MeshSnapshot {
  return withResource(snapshot, context, resource, (res) => ({ ...res, sync }));
}

export function setFacts(snapshot: MeshSnapshot, context: string, edit: (facts: ContextFacts) => ContextFacts): MeshSnapshot {
  const facts = snapshot.facts[context as ContextId];
  assert.ok(facts, `facts of ${context}`);
  return { ...snapshot, facts: { ...snapshot.facts, [context]: edit(facts) } };
}

/** The first object of a resource whose name passes the test, with its store key. */
export function findObject(
  snapshot: MeshSnapshot,
  context: string,
  resource: string,
  test: (o: KubeObjectJson) => boolean,
): [string, KubeObjectJson] {
  const objects = snapshot.contexts[context as ContextId]?.resources[resource]?.objects ?? {};
  const hit = Object.entries(objects).find(([, o]) => test(o));
  assert.ok(hit, `an object in ${context} ${resource}`);
  return hit;
}
