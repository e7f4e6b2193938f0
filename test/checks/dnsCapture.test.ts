// MC-DNS-001 on `dns-capture-off` and on edits of istio-cni-config.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObjectJson, MeshSnapshot } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { dnsCaptureCheck } from '../../checks/dnsCapture.ts';
import { assertRootCauses, editObjects, only, run, scenarioSnapshot, withSync } from './checkHarness.ts';

const CNI_CONFIG = 'configmaps#istio-cni-config';

describe('MC-DNS-001 ambient DNS capture', () => {
  let broken: { snapshot: MeshSnapshot; scenario: Scenario };
  let healthy: MeshSnapshot;
  before(async () => {
    broken = await scenarioSnapshot('dns-capture-off');
    healthy = (await scenarioSnapshot('healthy')).snapshot;
  });

  it('fails where AMBIENT_DNS_CAPTURE is "false", with the value as evidence and the Helm fix', () => {
    const findings = run(dnsCaptureCheck, broken.snapshot);
    assertRootCauses(broken.scenario, findings, 'MC-DNS-001');
    const [west] = only(findings, 'cluster-west');
    assert.deepEqual(
      west?.evidence.map((e) => `${e.where} = ${e.value}`),
      ['ConfigMap istio-system/istio-cni-config .data.AMBIENT_DNS_CAPTURE = "false"'],
    );
    assert.ok(west?.remediation?.commands.some((c) => c.includes('--kube-context cluster-west') && c.includes('ambient.dnsCapture=true')));
    assert.equal(only(findings, 'cluster-east')[0]?.severity, 'pass');
  });

  it('warns when the key is missing (the default depends on the version)', () => {
    const edited = editObjects(healthy, 'cluster-east', CNI_CONFIG, (cm: KubeObjectJson) => {
      const { AMBIENT_DNS_CAPTURE: _dropped, ...data } = cm['data'] as Record<string, string>;
      return { ...cm, data };
    });
    const [east] = only(run(dnsCaptureCheck, edited), 'cluster-east');
    assert.equal(east?.severity, 'warn');
    assert.equal(east?.evidence[0]?.value, '(not set)');
  });

  it('is unknown when the ConfigMap is absent or not yet listed', () => {
    const absent = editObjects(healthy, 'cluster-east', CNI_CONFIG, () => undefined);
    const [none] = only(run(dnsCaptureCheck, absent), 'cluster-east');
    assert.equal(none?.severity, 'unknown');
    assert.match(none?.message ?? '', /no istio-cni-config ConfigMap/);

    const syncing = withSync(healthy, 'cluster-east', CNI_CONFIG, 'syncing');
    const [pending] = only(run(dnsCaptureCheck, syncing), 'cluster-east');
    assert.equal(pending?.severity, 'unknown');
    assert.match(pending?.message ?? '', /has not been listed yet/);
  });
});
