// What a person editing a scenario file sees when it is wrong: the file, the place in it and
// the problem, for YAML syntax and for every kind of semantic mistake.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadBuiltinScenario, loadScenarioFile, parseScenarioText } from '../../../src/sim/scenario/load.ts';
import { ScenarioError } from '../../../src/sim/scenario/scenarioError.ts';
import { parseProblem, SCENARIO_NOW, scratchDir, TWO_PEERED_CLUSTERS } from './scenarioFixtures.ts';

const VALID = `name: two
summary: two clusters
${TWO_PEERED_CLUSTERS}`;

function problem(text: string): ScenarioError {
  return parseProblem(text, '/tmp/x.yaml');
}

describe('scenario validation errors', () => {
  it('accepts the minimal valid file', () => {
    const spec = parseScenarioText(VALID, '/tmp/x.yaml');
    assert.deepEqual(
      spec.clusters.map((c) => c.context),
      ['a', 'b'],
    );
    assert.equal(spec.clusters[0]!.istioNamespace, 'istio-system');
    assert.equal(spec.clusters[0]!.gatewayNamespace, 'istio-eastwest');
  });

  it('names file, path and allowed values for a bad enum', () => {
    const error = problem(VALID.replace('    clusterId: b\n', '    clusterId: b\n    eastWest: { addressType: Foo }\n'));
    assert.equal(error.message, '/tmp/x.yaml: clusters[1].eastWest.addressType: expected one of LoadBalancer, NodePort, none; got "Foo"');
    assert.equal(error.path, 'clusters[1].eastWest.addressType');
  });

  it('rejects unknown keys (typos) with the key path', () => {
    const error = problem(VALID.replace('    clusterId: a\n', '    clusterId: a\n    netwrok: x\n'));
    assert.equal(error.path, 'clusters[0].netwrok');
    assert.match(error.message, /unknown key "netwrok"; expected one of .*network/);
  });

  it('rejects unknown keys deep inside breakage', () => {
    const error = problem(VALID.replace('    clusterId: a\n', '    clusterId: a\n    breakage: { cniConfg: { A: "1" } }\n'));
    assert.equal(error.path, 'clusters[0].breakage.cniConfg');
  });

  it('reports YAML syntax errors with line and column', () => {
    const error = problem('name: x\nsummary: [unclosed\nclusters: []\n');
    assert.equal(error.file, '/tmp/x.yaml');
    assert.ok(error.line !== undefined && error.line >= 2, `line ${error.line}`);
    assert.ok(error.column !== undefined && error.column >= 1);
    assert.match(error.message, /^\/tmp\/x\.yaml:\d+:\d+: YAML syntax error: /);
  });

  it('rejects a duplicated mapping key as a syntax error', () => {
    const error = problem('name: x\nname: y\nsummary: s\nclusters: []\n');
    assert.equal(error.line, 2);
    assert.match(error.problem, /duplicated mapping key/);
  });

  it('requires fields and says which', () => {
    assert.equal(problem(VALID.replace('    clusterId: a\n', '')).path, 'clusters[0].clusterId');
    assert.equal(problem(VALID.replace('summary: two clusters\n', '')).path, 'summary');
  });

  it('hints at quoting when a version was read as a number', () => {
    const error = problem(VALID.replace('    clusterId: a\n', '    clusterId: a\n    istioVersion: 1.30\n'));
    assert.equal(error.path, 'clusters[0].istioVersion');
    assert.match(error.problem, /quote it/);
  });

  it('checks that peers name existing contexts', () => {
    const error = problem(VALID.replace('peers: [a]', 'peers: [c]'));
    assert.equal(error.path, 'clusters[1].peers[0]');
    assert.match(error.problem, /"c" is not the context of any cluster; expected one of a, b/);
  });

  it('rejects duplicate contexts and cluster ids', () => {
    assert.equal(problem(VALID.replace('context: b', 'context: a')).path, 'clusters[1].context');
    assert.equal(problem(VALID.replace('clusterId: b', 'clusterId: a')).path, 'clusters[1].clusterId');
  });

  it('rejects a peer condition override for a cluster that is not a peer', () => {
    const text = VALID.replace('    peers: [a]\n', '    peers: []\n').replace(
      '    peers: [b]\n',
      '    peers: []\n    breakage:\n      peerConditions:\n        b: { PeerConnected: { status: "False", reason: Pending } }\n',
    );
    const error = problem(text);
    assert.equal(error.path, 'clusters[0].breakage.peerConditions.b');
  });

  it('rejects a kubeconfigUser that is not defined, naming where it was set', () => {
    const error = problem(VALID.replace('summary: two clusters\n', 'summary: two clusters\ndefaults:\n  kubeconfigUser: oncall\n'));
    assert.equal(error.path, 'defaults.kubeconfigUser');
    assert.match(error.problem, /user "oncall" is not defined; expected one of admin/);
  });

  it('rejects the reserved admin user name', () => {
    const error = problem(VALID.replace('    peers: [b]\n', '    peers: [b]\n    users: [{ name: admin }]\n'));
    assert.equal(error.path, 'clusters[0].users[0].name');
  });

  it('rejects log events that name an unknown global service', () => {
    const error = problem(
      VALID.replace(
        '    peers: [b]\n',
        '    peers: [b]\n    logs:\n      - pods: app=ztunnel\n        event: { kind: hbone-timeout, to: b, service: ns/nope }\n',
      ),
    );
    assert.equal(error.path, 'clusters[0].logs[0].event.service');
  });

  it('rejects root causes with an unknown check id', () => {
    const error = problem(
      `${VALID}rootCauses:\n  - { check: MC-FOO-001, context: a, subject: { kind: Namespace, name: x }, explanation: y }\n`,
    );
    assert.equal(error.path, 'rootCauses[0].check');
    assert.match(error.problem, /expected one of MC-ACCESS-001, MC-ENV-001, /);
  });

  it('rejects a certificates mode it does not know', () => {
    const error = problem(`${VALID}certificates: shared\n`);
    assert.equal(error.path, 'certificates');
  });

  it('validates fault specs by kind', () => {
    const error = problem(VALID.replace('    peers: [b]\n', '    peers: [b]\n    faults: [{ kind: latency, afterSeconds: 3 }]\n'));
    assert.equal(error.path, 'clusters[0].faults[0].afterSeconds');
  });
});

describe('loading files', () => {
  const dir = scratchDir('scenario-test-');

  it('loads a scenario from a file path and records the source', async () => {
    const file = await dir.write('two.yaml', VALID);
    const scenario = await loadScenarioFile(file, { now: SCENARIO_NOW });
    assert.equal(scenario.source, file);
    assert.deepEqual(
      scenario.clusters.map((c) => c.context),
      ['a', 'b'],
    );
  });

  it('names the file in errors from a file', async () => {
    const file = await dir.write('bad.yaml', VALID.replace('clusterId: a', 'clusterId: A_B'));
    await assert.rejects(loadScenarioFile(file), (error: unknown) => {
      assert.ok(error instanceof ScenarioError);
      assert.equal(error.file, file);
      assert.ok(error.message.startsWith(`${file}: clusters[0].clusterId: `));
      return true;
    });
  });

  it('says so when the file does not exist', async () => {
    await assert.rejects(loadScenarioFile(join(dir.path, 'missing.yaml')), /missing\.yaml: no such file/);
  });

  it('lists the built-ins when asked for an unknown one', async () => {
    await assert.rejects(loadBuiltinScenario('nope'), /no built-in scenario named "nope"; expected one of .*healthy/);
  });
});

describe('manifests, CRDs and overrides', () => {
  const withCluster0 = (extra: string): string => VALID.replace('    peers: [b]\n', `    peers: [b]\n${extra}`);

  it('rejects a manifest of a kind the simulator does not serve', () => {
    const error = problem(
      withCluster0(
        '    manifests:\n      - { apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: { name: deny, namespace: default } }\n',
      ),
    );
    assert.equal(error.path, 'clusters[0].manifests[0].kind');
    assert.match(error.problem, /does not serve networking\.k8s\.io\/v1 NetworkPolicy/);
  });

  it('rejects an unknown CRD in crdsMissing', () => {
    const error = problem(withCluster0('    crdsMissing: [widgets.example.com]\n'));
    assert.equal(error.path, 'clusters[0].crdsMissing[0]');
    assert.match(error.problem, /segments\.admin\.solo\.io/);
  });

  it('accepts unquoted True/False condition statuses as the strings they mean', () => {
    const spec = parseScenarioText(
      withCluster0(
        '    breakage:\n      peerConditions:\n        b: { PeerConnected: { status: False, reason: Pending, message: not connected to peer } }\n',
      ),
      '/tmp/x.yaml',
    );
    assert.equal(spec.clusters[0]!.breakage.peerConditions.get('b')?.get('PeerConnected')?.status, 'False');
  });
});

describe('errors in inherited values', () => {
  it('names defaults.logs for a bad log entry inherited from defaults', () => {
    const text = VALID.replace(
      'clusters:\n',
      'defaults:\n  logs:\n    - { pods: app=ztunnel, event: { kind: unknown-network-gateway, to: nowhere } }\nclusters:\n',
    );
    const error = problem(text);
    assert.equal(error.path, 'defaults.logs[0].event.to');
  });
});
