// MC-EW-001 on `eastwest-no-address` and on edits: no east-west Gateway at all, a Gateway no
// controller has reconciled, Gateways that cannot be read.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObjectJson, MeshSnapshot } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { eastWestGatewayCheck } from '../../checks/eastWestGateway.ts';
import { assertRootCauses, editObjects, only, run, scenarioSnapshot, withSync } from './checkHarness.ts';

const GATEWAYS = 'gateways.gateway.networking.k8s.io';

function isEastWest(gateway: KubeObjectJson): boolean {
  return (gateway['spec'] as { gatewayClassName?: string }).gatewayClassName === 'istio-eastwest';
}

describe('MC-EW-001 east-west gateway', () => {
  let broken: { snapshot: MeshSnapshot; scenario: Scenario };
  let healthy: MeshSnapshot;
  before(async () => {
    broken = await scenarioSnapshot('eastwest-no-address');
    healthy = (await scenarioSnapshot('healthy')).snapshot;
  });

  it("fails the Gateway without an address, quoting the condition and the Service's reason", () => {
    const findings = run(eastWestGatewayCheck, broken.snapshot);
    assertRootCauses(broken.scenario, findings, 'MC-EW-001');
    const [west] = only(findings, 'cluster-west');
    assert.match(west?.message ?? '', /Programmed is False with reason AddressNotAssigned/);
    assert.match(west?.message ?? '', /LoadBalancer Service has no ingress address/);
    assert.ok(west?.evidence.some((e) => e.where.endsWith('.status.loadBalancer.ingress') && e.value === '(none)'));
    assert.equal(only(findings, 'cluster-east')[0]?.severity, 'pass');
  });

  it('passes with the mode and address when programmed', () => {
    const [east] = only(run(eastWestGatewayCheck, healthy), 'cluster-east');
    assert.equal(east?.severity, 'pass');
    assert.match(east?.message ?? '', /LoadBalancer mode, address 172\.18\.255\.\d+/);
  });

  it('fails when there is no east-west Gateway, with the expose command for that context', () => {
    const edited = editObjects(healthy, 'cluster-east', GATEWAYS, (g) => (isEastWest(g) ? undefined : g));
    const [east] = only(run(eastWestGatewayCheck, edited), 'cluster-east');
    assert.equal(east?.severity, 'fail');
    assert.match(east?.message ?? '', /^no configured eastwest gateways/);
    assert.deepEqual(east?.remediation?.commands, [
      'istioctl --context cluster-east multicluster expose --namespace istio-eastwest --wait',
    ]);
  });

  it('is unknown, not pass, for a Gateway with no Programmed condition yet', () => {
    const edited = editObjects(healthy, 'cluster-east', GATEWAYS, (g) => {
      if (!isEastWest(g)) return g;
      const status = g['status'] as { conditions: { type: string }[] };
      return { ...g, status: { ...status, conditions: status.conditions.filter((c) => c.type !== 'Programmed') } };
    });
    const [east] = only(run(eastWestGatewayCheck, edited), 'cluster-east');
    assert.equal(east?.severity, 'unknown');
    assert.match(east?.message ?? '', /no Programmed condition/);
  });

  it('is unknown when Gateways cannot be read', () => {
    const edited = withSync(healthy, 'cluster-west', GATEWAYS, 'notInstalled');
    const [west] = only(run(eastWestGatewayCheck, edited), 'cluster-west');
    assert.equal(west?.severity, 'unknown');
    assert.match(west?.message ?? '', /not installed/);
  });
});
