// MC-TD-001: remote Gateways name their peer's real trust domain, and clusters in different trust
// domains carry the skip-validation settings; ztunnel's SAN mismatch lines sit under the cause.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { trustDomainCheck } from '../../checks/trustDomain.ts';
import { evaluateChecks } from '../../checks/registry.ts';
import type { KubeObjectJson, MeshSnapshot } from '../../src/store/types.ts';
import { DAEMONSETS, GATEWAYS, ISTIOD_DEPLOYMENTS } from '../../src/store/resourceIds.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import { assertHealthy, assertRootCauses, editObject, OPTIONS, problems, run, setSync, withSeverity } from './peeringChecksHarness.ts';

const WEST_GATEWAY = 'Gateway/istio-eastwest/istio-remote-peer-east-net';
const ISTIOD = 'Deployment/istio-system/istiod';
const ZTUNNEL = 'DaemonSet/istio-system/ztunnel';

type Env = { name: string; value?: string }[];

function containerEnv(object: KubeObjectJson, container: string): Env {
  const spec = (object as unknown as { spec: { template: { spec: { containers: { name: string; env: Env }[] } } } }).spec;
  const found = spec.template.spec.containers.find((c) => c.name === container);
  assert.ok(found, `container ${container} of ${object.metadata.name}`);
  return found.env;
}

function setEnv(
  snapshot: MeshSnapshot,
  context: string,
  resource: string,
  key: string,
  container: string,
  name: string,
  value?: string,
): MeshSnapshot {
  return editObject(snapshot, context, resource, key, (copy) => {
    const env = containerEnv(copy, container);
    const kept = env.filter((e) => e.name !== name);
    env.splice(0, env.length, ...kept, ...(value !== undefined ? [{ name, value }] : []));
  });
}

describe('MC-TD-001 trust domains agree', () => {
  let annotation: ScenarioSnapshot;
  let skip: ScenarioSnapshot;
  let healthy: ScenarioSnapshot;
  let healthy3: ScenarioSnapshot;
  before(async () => {
    annotation = await snapshotOfScenario('trust-domain-annotation-wrong');
    skip = await snapshotOfScenario('trust-domain-skip-validation-missing');
    healthy = await snapshotOfScenario('healthy');
    healthy3 = await snapshotOfScenario('healthy-3');
  });
  after(async () => {
    await annotation?.stop();
    await skip?.stop();
    await healthy?.stop();
    await healthy3?.stop();
  });

  it("fails the remote Gateway whose trust-domain annotation is not the peer's, naming the field and the annotate command", () => {
    const findings = run(trustDomainCheck, annotation.snapshot);
    assertRootCauses(findings, annotation.sim.scenario, trustDomainCheck);
    const failed = withSeverity(findings, 'fail');
    assert.equal(failed.length, 1, 'only the wrong annotation fails; the skip-validation settings are in place');
    assert.match(
      failed[0]?.message ?? '',
      /says gateway\.istio\.io\/trust-domain="cluster\.local", but cluster-east's trust domain is "east\.local"/,
    );
    assert.match(failed[0]?.message ?? '', /change \.metadata\.annotations\["gateway\.istio\.io\/trust-domain"\] to "east\.local"/);
    assert.deepEqual(failed[0]?.remediation?.commands, [
      'kubectl --context cluster-west -n istio-eastwest annotate gateway istio-remote-peer-east-net gateway.istio.io/trust-domain=east.local --overwrite',
    ]);
    assert.ok(
      failed[0]?.evidence.some((e) => e.context === 'cluster-east' && e.where.endsWith('env TRUST_DOMAIN') && e.value === 'east.local'),
    );
  });

  it('lists the SAN mismatch lines under the wrong annotation, which comes first in the report', () => {
    const { findings } = evaluateChecks(annotation.snapshot, OPTIONS);
    const failing = findings.filter((f) => f.severity === 'fail');
    assert.equal(failing[0]?.check, 'MC-TD-001');
    assert.equal(failing[0]?.subject.name, 'istio-remote-peer-east-net');
    const logs = failing.filter((f) => f.check === 'MC-LOG-001');
    assert.ok(logs.length > 0, 'ztunnel logs SAN mismatches');
    for (const log of logs) assert.equal(log.explainedBy, 'MC-TD-001', log.message);
    assert.deepEqual(
      failing.filter((f) => f.explainedBy === undefined).map((f) => f.check),
      ['MC-TD-001'],
    );
  });

  it('fails istiod and ztunnel in both clusters when distinct trust domains lack the skip-validation settings', () => {
    const findings = run(trustDomainCheck, skip.snapshot);
    assertRootCauses(findings, skip.sim.scenario, trustDomainCheck);
    const failed = withSeverity(findings, 'fail');
    assert.equal(failed.length, 4);
    const east = failed.filter((f) => f.subject.context === 'cluster-east');
    assert.deepEqual(
      east.map((f) => f.remediation?.commands),
      [
        ['kubectl --context cluster-east -n istio-system set env deployment/istiod -c discovery PILOT_SKIP_VALIDATE_TRUST_DOMAIN=true'],
        ['kubectl --context cluster-east -n istio-system set env daemonset/ztunnel -c istio-proxy SKIP_VALIDATE_TRUST_DOMAIN=true'],
      ],
    );
    assert.match(east[0]?.message ?? '', /cluster-east is in trust domain "east\.local" but cluster-west uses "west\.local"/);
    const { findings: all } = evaluateChecks(skip.snapshot, OPTIONS);
    const logs = all.filter((f) => f.check === 'MC-LOG-001' && f.severity === 'fail');
    assert.equal(logs.length, 2, 'both ztunnels log SAN mismatches');
    for (const log of logs) assert.equal(log.explainedBy, 'MC-TD-001');
  });

  it('passes distinct trust domains once istiod and ztunnel skip trust-domain validation', () => {
    let fixed = skip.snapshot;
    for (const context of ['cluster-east', 'cluster-west']) {
      fixed = setEnv(fixed, context, ISTIOD_DEPLOYMENTS, ISTIOD, 'discovery', 'PILOT_SKIP_VALIDATE_TRUST_DOMAIN', 'true');
      fixed = setEnv(fixed, context, DAEMONSETS, ZTUNNEL, 'istio-proxy', 'SKIP_VALIDATE_TRUST_DOMAIN', 'true');
    }
    const findings = run(trustDomainCheck, fixed);
    assertHealthy(findings);
    assert.ok(findings.some((f) => /ztunnel istio-system\/ztunnel has SKIP_VALIDATE_TRUST_DOMAIN=true/.test(f.message)));
  });

  it('reports nothing failing or warning on the healthy scenarios', () => {
    assertHealthy(run(trustDomainCheck, healthy.snapshot));
    assertHealthy(run(trustDomainCheck, healthy3.snapshot));
  });

  it('does not need skip-validation when every cluster shares one trust domain, even if it is unset', () => {
    const edited = setEnv(healthy.snapshot, 'cluster-west', DAEMONSETS, ZTUNNEL, 'istio-proxy', 'SKIP_VALIDATE_TRUST_DOMAIN');
    assertHealthy(run(trustDomainCheck, edited));
  });

  it("is unknown, never pass, when the peer's istiod cannot be read", () => {
    const edited = setSync(annotation.snapshot, 'cluster-east', ISTIOD_DEPLOYMENTS, 'forbidden');
    const west = run(trustDomainCheck, edited).filter((f) => f.subject.kind === 'Gateway' && f.subject.context === 'cluster-west');
    assert.deepEqual(
      west.map((f) => f.severity),
      ['unknown'],
    );
    assert.match(west[0]?.message ?? '', /cannot tell whether .* names cluster-east's trust domain: forbidden on deployments/);
  });

  it('turns an assumed default trust domain into unknown rather than a failure', () => {
    const edited = setEnv(annotation.snapshot, 'cluster-east', ISTIOD_DEPLOYMENTS, ISTIOD, 'discovery', 'TRUST_DOMAIN');
    const west = run(trustDomainCheck, edited).find((f) => f.subject.kind === 'Gateway' && f.subject.context === 'cluster-west');
    // cluster-east now looks like cluster.local, which the wrong annotation happens to say.
    assert.equal(west?.severity, 'pass');
    assert.match(west?.message ?? '', /assumed default/);
    const other = editObject(edited, 'cluster-west', GATEWAYS, WEST_GATEWAY, (gw) => {
      gw.metadata.annotations = { ...gw.metadata.annotations, 'gateway.istio.io/trust-domain': 'elsewhere.local' };
    });
    const found = run(trustDomainCheck, other).find((f) => f.subject.kind === 'Gateway' && f.subject.context === 'cluster-west');
    assert.equal(found?.severity, 'unknown');
    assert.match(found?.message ?? '', /get configmap istio/);
  });

  it('is unknown when the Gateways cannot be listed', () => {
    const edited = setSync(healthy.snapshot, 'cluster-east', GATEWAYS, 'forbidden');
    const east = run(trustDomainCheck, edited).filter((f) => f.subject.context === 'cluster-east');
    assert.ok(east.some((f) => f.severity === 'unknown' && /forbidden on gateways/.test(f.message)));
    assert.deepEqual(
      problems(east).map((f) => f.severity),
      ['unknown'],
    );
  });
});
