// A kubeconfig with an admin and an on-call context for each cluster (scenario
// shared-cluster-contexts): the checks must see each cluster once, through one context, so the
// two names of one cluster are never "two clusters sharing a network" or a link to itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runChecks } from '../../checks/registry.ts';
import { captureScenario } from '../../src/report/scenarioCapture.ts';
import { parseScenarioText } from '../../src/sim/scenario/load.ts';
import { clusterGroups, contextNames, sameClusterAs } from '../../src/store/snapshotReads.ts';
import { ROOT_CERT_CONFIGMAPS } from '../../src/store/resourceIds.ts';
import type { ContextState, MeshSnapshot } from '../../src/store/types.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import { ctx } from './checkHarness.ts';
import { OPTIONS } from './peeringChecksHarness.ts';

function withContexts(snapshot: MeshSnapshot, change: (state: ContextState) => ContextState): MeshSnapshot {
  const contexts = Object.fromEntries(Object.entries(snapshot.contexts).map(([name, state]) => [name, change(state)]));
  return { ...snapshot, contexts };
}

function withoutEndpoint(state: ContextState): ContextState {
  const { endpoint: _endpoint, ...rest } = state;
  return rest;
}

/** The on-call contexts' root certificate replaced: same CLUSTER_ID, another trust root. */
function otherRoot(state: ContextState): ContextState {
  if (!state.context.startsWith('oncall@')) return state;
  const roots = state.resources[ROOT_CERT_CONFIGMAPS];
  assert.ok(roots, `${state.context} watches istio-ca-root-cert`);
  const objects = Object.fromEntries(
    Object.entries(roots.objects).map(([key, o]) => [
      key,
      { ...o, data: { 'root-cert.pem': '-----BEGIN CERTIFICATE-----\nb3RoZXI=\n-----END CERTIFICATE-----' } },
    ]),
  );
  return { ...state, resources: { ...state.resources, [ROOT_CERT_CONFIGMAPS]: { ...roots, objects } } };
}

const problems = (snapshot: MeshSnapshot): string[] =>
  runChecks(snapshot, OPTIONS)
    .filter((f) => f.severity !== 'pass')
    .map((f) => `${f.severity} ${f.check} ${f.subject.context}: ${f.message}`);

describe('contexts that reach the same cluster', () => {
  let s: ScenarioSnapshot;
  before(async () => {
    s = await snapshotOfScenario('shared-cluster-contexts');
  });
  after(() => s.stop());

  it('the kubeconfig holds both contexts of each cluster, on one server with one CA', () => {
    const names = Object.keys(s.snapshot.contexts).sort();
    assert.deepEqual(names, ['cluster-east', 'cluster-west', 'oncall@cluster-east', 'oncall@cluster-west']);
    const east = s.snapshot.contexts[ctx('cluster-east')]?.endpoint;
    assert.ok(east !== undefined && east.startsWith('https://127.0.0.1:'), `endpoint ${String(east)}`);
    assert.equal(s.snapshot.contexts[ctx('oncall@cluster-east')]?.endpoint, east);
    assert.notEqual(s.snapshot.contexts[ctx('cluster-west')]?.endpoint, east);
  });

  it('groups them per cluster, read through the admin context', () => {
    assert.deepEqual(clusterGroups(s.snapshot), [
      ['cluster-east', 'oncall@cluster-east'],
      ['cluster-west', 'oncall@cluster-west'],
    ]);
    assert.deepEqual(contextNames(s.snapshot), ['cluster-east', 'cluster-west']);
    assert.deepEqual(sameClusterAs(s.snapshot, ctx('oncall@cluster-west')), ['cluster-west']);
  });

  it('reports nothing failing or warning, and no finding on the on-call names', () => {
    assert.deepEqual(problems(s.snapshot), []);
    const onOncall = runChecks(s.snapshot, OPTIONS).filter((f) => f.contexts.some((c) => c.startsWith('oncall@')));
    assert.deepEqual(
      onOncall.map((f) => `${f.check} ${f.contexts.join(',')}`),
      [],
    );
  });

  it('the cluster is read through the context that can read it best', () => {
    const snapshot = withContexts(s.snapshot, (state) =>
      state.context === 'cluster-east'
        ? { ...state, status: { ...state.status, phase: 'degraded', reasons: ['forbidden on pods'] } }
        : state,
    );
    assert.deepEqual(contextNames(snapshot), ['cluster-west', 'oncall@cluster-east']);
  });

  it('a captured incident replays as two clusters, each with its other context', () => {
    const spec = parseScenarioText(captureScenario(s.snapshot), '/tmp/captured.yaml');
    assert.deepEqual(
      spec.clusters.map((c) => [c.context, c.clusterId, c.extraContexts.map((e) => e.context)]),
      [
        ['cluster-east', 'east', ['oncall@cluster-east']],
        ['cluster-west', 'west', ['oncall@cluster-west']],
      ],
    );
  });

  it('without the kubeconfig endpoint, the same CLUSTER_ID and root still make one cluster', () => {
    const snapshot = withContexts(s.snapshot, withoutEndpoint);
    assert.deepEqual(contextNames(snapshot), ['cluster-east', 'cluster-west']);
    assert.deepEqual(problems(snapshot), []);
  });

  it('the same CLUSTER_ID under another root is another cluster, and its shared network is reported', () => {
    const snapshot = withContexts(withContexts(s.snapshot, withoutEndpoint), otherRoot);
    assert.deepEqual(contextNames(snapshot), ['cluster-east', 'cluster-west', 'oncall@cluster-east', 'oncall@cluster-west']);
    assert.ok(
      problems(snapshot).some((p) => p.startsWith('fail MC-NET-001') && p.includes('share network east-net')),
      problems(snapshot).join('\n'),
    );
  });
});
