// MC-LIC-001 on `license-invalid` (cluster-west on an expired trial) and on edits: facts that
// could not be read, restricted and trial products, and a decodable key whose expiry is shown
// while the key itself never appears in a finding.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact, LicenseFactValue, MeshSnapshot } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { licenseCheck } from '../../checks/license.ts';
import { makeLicenseKey } from '../../src/sim/content/license.ts';
import { assertNoSecrets, assertRootCauses, copy, ctx, only, resourceOf, run, scenarioSnapshot, withSync } from './checkHarness.ts';

function withLicenseFacts(snapshot: MeshSnapshot, context: string, fact: (observedAt: string) => Fact<LicenseFactValue>): MeshSnapshot {
  const next = copy(snapshot);
  const facts = next.facts[ctx(context)];
  assert.ok(facts);
  const license: Record<string, Fact<LicenseFactValue>> = {};
  for (const pod of Object.keys(facts.license)) license[pod] = fact(next.takenAt);
  Object.assign(facts, { license });
  return next;
}

describe('MC-LIC-001 licence', () => {
  let broken: { snapshot: MeshSnapshot; scenario: Scenario };
  let healthy: MeshSnapshot;
  before(async () => {
    broken = await scenarioSnapshot('license-invalid');
    healthy = (await scenarioSnapshot('healthy')).snapshot;
  });

  it('fails where istiod reports EXPIRED, quoting the state and product', () => {
    const findings = run(licenseCheck, broken.snapshot);
    assertRootCauses(broken.scenario, findings, 'MC-LIC-001');
    const [west] = only(findings, 'cluster-west');
    assert.match(west?.message ?? '', /^found invalid license for multicluster: .*expired/);
    assert.ok(west?.evidence.some((e) => e.value === 'State EXPIRED, Product gloo-trial'));
    assert.ok(west?.remediation?.commands.every((c) => c.startsWith('kubectl --context cluster-west ')));
    assert.equal(only(findings, 'cluster-east')[0]?.message, 'license is valid for multicluster');
  });

  it('is unknown, never pass, when /debug/license could not be read (old istiod: 404)', () => {
    const edited = withLicenseFacts(healthy, 'cluster-east', (at) => ({
      state: 'unknown',
      reason: 'istiod has no /debug/license: not supported before Istio 1.27',
      errorKind: 'notFound',
      observedAt: at,
    }));
    const [east] = only(run(licenseCheck, edited), 'cluster-east');
    assert.equal(east?.severity, 'unknown');
    assert.match(east?.message ?? '', /not supported on Istio versions <1\.27/);
  });

  it('is unknown when no istiod answered at all', () => {
    const edited = copy(healthy);
    Object.assign(edited.facts[ctx('cluster-west')] ?? {}, { license: {} });
    const [west] = only(run(licenseCheck, edited), 'cluster-west');
    assert.equal(west?.severity, 'unknown');
    assert.match(west?.message ?? '', /no istiod pod has answered/);

    const podsForbidden = withSync(
      edited,
      'cluster-west',
      'pods#istiod-ztunnel',
      'forbidden',
      'cluster-west: forbidden: user "u" cannot list pods at cluster scope',
    );
    const [blind] = only(run(licenseCheck, podsForbidden), 'cluster-west');
    assert.equal(blind?.severity, 'unknown');
    assert.match(blind?.message ?? '', /istiod pods cannot be listed, so \/debug\/license was not asked \(forbidden on pods/);
  });

  it('fails a FIPS/LTS-only product and warns on a trial product even when State is OK', () => {
    const core = withLicenseFacts(healthy, 'cluster-east', (at) => ({
      state: 'known',
      value: { state: 'OK', product: 'GlooCore' },
      observedAt: at,
    }));
    assert.equal(only(run(licenseCheck, core), 'cluster-east')[0]?.severity, 'fail');
    const trial = withLicenseFacts(healthy, 'cluster-east', (at) => ({
      state: 'known',
      value: { state: 'OK', product: 'gloo-trial' },
      observedAt: at,
    }));
    const [east] = only(run(licenseCheck, trial), 'cluster-east');
    assert.equal(east?.severity, 'warn');
    assert.match(east?.message ?? '', /trial/);
  });

  it("shows a decodable key's expiry with days left and warns under 30 days, without the key", () => {
    const key = makeLicenseKey({ type: 'enterprise', product: 'gloo-mesh', expiresInDays: 12 }, new Date(healthy.takenAt));
    const edited = copy(healthy);
    const secrets = resourceOf(edited, 'cluster-east', 'secrets#cacerts');
    secrets.objects = {
      ...secrets.objects,
      'Secret/istio-system/solo-istio-license': {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'solo-istio-license', namespace: 'istio-system' },
        data: { 'license-key': Buffer.from(key).toString('base64') },
      },
    };
    const findings = run(licenseCheck, edited);
    const [east] = only(findings, 'cluster-east');
    assert.equal(east?.severity, 'warn');
    assert.match(east?.message ?? '', /expires in 12 days/);
    assert.ok(east?.evidence.some((e) => /type enterprise, product gloo-mesh, expires .* \(12 days left\)/.test(e.value)));
    assertNoSecrets(findings, [key, Buffer.from(key).toString('base64'), key.split('.')[2] ?? key]);
  });
});
