// MC-POD-001 on `ztunnel-crashloop` and on edits: a Pending istiod, a node without ztunnel,
// pods that cannot be read, no east-west gateway pods.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObjectJson, MeshSnapshot } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { podHealthCheck } from '../../checks/podHealth.ts';
import { assertRootCauses, editObjects, only, run, scenarioSnapshot, withSync } from './checkHarness.ts';

const PODS = 'pods#istiod-ztunnel';

describe('MC-POD-001 mesh pods', () => {
  let broken: { snapshot: MeshSnapshot; scenario: Scenario };
  let healthy: MeshSnapshot;
  before(async () => {
    broken = await scenarioSnapshot('ztunnel-crashloop');
    healthy = (await scenarioSnapshot('healthy')).snapshot;
  });

  it('fails the CrashLoopBackOff ztunnel with restarts and exit code, and only it', () => {
    const findings = run(podHealthCheck, broken.snapshot);
    assertRootCauses(broken.scenario, findings, 'MC-POD-001');
    const failing = findings.filter((f) => f.severity === 'fail');
    assert.equal(failing.length, 1);
    assert.match(failing[0]?.message ?? '', /CrashLoopBackOff \(17 restarts, last exit code 1/);
    assert.match(failing[0]?.evidence[0]?.value ?? '', /READY 0\/1 {2}STATUS CrashLoopBackOff {2}RESTARTS 17/);
    assert.ok(
      failing[0]?.remediation?.commands.some(
        (c) => c.startsWith('kubectl --context cluster-west -n istio-system logs ztunnel-') && c.endsWith('--previous'),
      ),
    );
  });

  it('fails a Pending istiod pod', () => {
    const edited = editObjects(healthy, 'cluster-east', PODS, (pod: KubeObjectJson) =>
      pod.metadata.labels?.['app'] === 'istiod'
        ? {
            ...pod,
            status: {
              phase: 'Pending',
              containerStatuses: [
                { name: 'discovery', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
              ],
            },
          }
        : pod,
    );
    const failing = run(podHealthCheck, edited).filter((f) => f.severity === 'fail');
    assert.deepEqual(
      failing.map((f) => `${f.subject.context} ${f.subject.kind}`),
      ['cluster-east Pod'],
    );
    assert.match(failing[0]?.message ?? '', /^istiod pod istio-system\/istiod-.* is ContainerCreating, not Running/);
  });

  it('fails when a node has no ztunnel (fewer pods than the DaemonSet wants)', () => {
    let removed = false;
    const edited = editObjects(healthy, 'cluster-east', PODS, (pod: KubeObjectJson) => {
      if (!removed && pod.metadata.labels?.['app'] === 'ztunnel') {
        removed = true;
        return undefined;
      }
      return pod;
    });
    const failing = run(podHealthCheck, edited).filter((f) => f.severity === 'fail');
    assert.equal(failing.length, 1);
    assert.equal(failing[0]?.subject.kind, 'DaemonSet');
    assert.match(failing[0]?.message ?? '', /should run on 2 nodes but only 1 ztunnel pods exist/);
  });

  it('warns when no east-west gateway pods exist, and is unknown when pods cannot be read', () => {
    const noGateway = editObjects(healthy, 'cluster-west', 'pods#eastwest', () => undefined);
    const warn = only(run(podHealthCheck, noGateway), 'cluster-west').filter((f) => f.severity !== 'pass');
    assert.deepEqual(
      warn.map((f) => f.severity),
      ['warn'],
    );
    assert.match(warn[0]?.message ?? '', /no eastwest gateway pods found/);

    const forbidden = withSync(
      healthy,
      'cluster-west',
      PODS,
      'forbidden',
      'cluster-west: forbidden: user "u" cannot list pods at cluster scope',
    );
    const unknown = only(run(podHealthCheck, forbidden), 'cluster-west').filter((f) => f.severity === 'unknown');
    assert.deepEqual(
      unknown.map((f) => f.subject.name),
      ['app=istiod', 'app=ztunnel'],
    );
    assert.match(unknown[0]?.message ?? '', /forbidden on pods/);
  });
});
