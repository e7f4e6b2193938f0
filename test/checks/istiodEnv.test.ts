// MC-ENV-001 on `env-incompatible` (no ENABLE_PEERING_DISCOVERY in cluster-west) and on edits
// of the healthy snapshot's istiod Deployment.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObjectJson, MeshSnapshot } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { istiodEnvCheck } from '../../checks/istiodEnv.ts';
import { assertRootCauses, editObjects, only, run, scenarioSnapshot, withSync } from './checkHarness.ts';

const DEPLOYMENTS = 'deployments.apps#istiod';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

/** The healthy snapshot with cluster-east's istiod env changed. */
function withEnv(snapshot: MeshSnapshot, change: (env: EnvVar[]) => EnvVar[]): MeshSnapshot {
  return editObjects(snapshot, 'cluster-east', DEPLOYMENTS, (deployment: KubeObjectJson) => {
    const spec = deployment['spec'] as { template: { spec: { containers: { name: string; env: EnvVar[] }[] } } };
    for (const container of spec.template.spec.containers) if (container.name === 'discovery') container.env = change(container.env);
    return deployment;
  });
}

function set(name: string, value: string): (env: EnvVar[]) => EnvVar[] {
  return (env) => [...env.filter((e) => e.name !== name), { name, value }];
}

describe('MC-ENV-001 istiod environment', () => {
  let broken: { snapshot: MeshSnapshot; scenario: Scenario };
  let healthy: MeshSnapshot;
  before(async () => {
    broken = await scenarioSnapshot('env-incompatible');
    healthy = (await scenarioSnapshot('healthy')).snapshot;
  });

  it('fails where ENABLE_PEERING_DISCOVERY is missing, with the command to set it', () => {
    const findings = run(istiodEnvCheck, broken.snapshot);
    assertRootCauses(broken.scenario, findings, 'MC-ENV-001');
    const [west] = only(findings, 'cluster-west');
    assert.match(west?.message ?? '', /ENABLE_PEERING_DISCOVERY must be "true" \(it is not set\)/);
    assert.ok(west?.evidence.some((e) => e.where.endsWith('env ENABLE_PEERING_DISCOVERY') && e.value === '(not set)'));
    assert.deepEqual(west?.remediation?.commands, [
      'kubectl --context cluster-west -n istio-system set env deployment/istiod -c discovery ENABLE_PEERING_DISCOVERY=true',
    ]);
    assert.equal(only(findings, 'cluster-east')[0]?.severity, 'pass');
  });

  it('fails when either name of the select-WorkloadEntries switch is something istiod reads as false', () => {
    for (const name of ['K8S_SELECT_WORKLOAD_ENTRIES', 'PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES']) {
      for (const value of ['false', 'False', '0']) {
        const [east] = only(run(istiodEnvCheck, withEnv(healthy, set(name, value))), 'cluster-east');
        assert.equal(east?.severity, 'fail', `${name}=${value}`);
        assert.match(east?.message ?? '', new RegExp(`${name} is "${value}"`));
      }
      // Go's ParseBool reads these as true: istiod keeps peering on, so nothing to fix.
      for (const value of ['True', '1']) {
        const [east] = only(run(istiodEnvCheck, withEnv(healthy, set(name, value))), 'cluster-east');
        assert.equal(east?.severity, 'pass', `${name}=${value}`);
      }
    }
  });

  it('warns when the install-guide settings are off, and says why', () => {
    const [autoallocate] = only(run(istiodEnvCheck, withEnv(healthy, set('PILOT_ENABLE_IP_AUTOALLOCATE', 'false'))), 'cluster-east');
    assert.equal(autoallocate?.severity, 'warn');
    assert.match(autoallocate?.message ?? '', /240\.240/);
    const [legacy] = only(
      run(
        istiodEnvCheck,
        withEnv(healthy, (env) => env.filter((e) => e.name !== 'DISABLE_LEGACY_MULTICLUSTER')),
      ),
      'cluster-east',
    );
    assert.equal(legacy?.severity, 'warn');
    assert.match(legacy?.message ?? '', /DISABLE_LEGACY_MULTICLUSTER is not set/);
  });

  it('warns rather than passes when ENABLE_PEERING_DISCOVERY comes from valueFrom', () => {
    const edited = withEnv(healthy, (env) => [
      ...env.filter((e) => e.name !== 'ENABLE_PEERING_DISCOVERY'),
      { name: 'ENABLE_PEERING_DISCOVERY', valueFrom: { configMapKeyRef: { name: 'x', key: 'y' } } },
    ]);
    const [east] = only(run(istiodEnvCheck, edited), 'cluster-east');
    assert.equal(east?.severity, 'warn');
    assert.ok(east?.evidence.some((e) => e.value === '(valueFrom)'));
  });

  it('is unknown, with the reason, when Deployments cannot be read or istiod is not there', () => {
    const forbidden = withSync(
      healthy,
      'cluster-east',
      DEPLOYMENTS,
      'forbidden',
      'cluster-east: forbidden: user "u" cannot list deployments.apps in namespace "istio-system"',
    );
    const [east] = only(run(istiodEnvCheck, forbidden), 'cluster-east');
    assert.equal(east?.severity, 'unknown');
    assert.match(east?.message ?? '', /forbidden on deployments\.apps/);

    const missing = editObjects(healthy, 'cluster-east', DEPLOYMENTS, () => undefined);
    const [none] = only(run(istiodEnvCheck, missing), 'cluster-east');
    assert.equal(none?.severity, 'unknown');
    assert.match(none?.message ?? '', /no istiod Deployment/);
  });
});
