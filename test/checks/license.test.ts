// MC-LIC-001 on `license-invalid` (cluster-west on an expired trial) and on edits: facts that
// could not be read, restricted and trial products, an expired key; and the countdown for each
// place istiod reads its key from, while the key itself never appears in a finding or snapshot.
import { after, describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fact, LicenseFactValue, MeshSnapshot } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { licenseCheck } from '../../checks/license.ts';
import { snapshotOfScenario } from '../helpers/meshSnapshot.ts';
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

  it('still trusts /debug/license when the licence Secret cannot be read, and says the expiry is unknown', () => {
    const blind = withSync(
      healthy,
      'cluster-east',
      'secrets#license',
      'forbidden',
      'cluster-east: forbidden: user "u" cannot list secrets in istio-system',
    );
    resourceOf(blind, 'cluster-east', 'secrets#license').objects = {};
    const [east] = only(run(licenseCheck, blind), 'cluster-east');
    assert.equal(east?.severity, 'pass');
    assert.match(
      east?.message ?? '',
      /^license is valid for multicluster; its expiry is unknown \(Secret istio-system\/solo-istio-license key license-key: Secrets cannot be read \(forbidden/,
    );
  });

  it('fails once the key has expired, even while istiod still says OK (grace period)', () => {
    const edited = copy(healthy);
    const secrets = resourceOf(edited, 'cluster-east', 'secrets#license');
    const expired = new Date(Date.parse(healthy.takenAt) - 2 * 86_400_000).toISOString();
    secrets.objects = Object.fromEntries(
      Object.entries(secrets.objects).map(([k, o]) => [
        k,
        { ...o, licenseClaims: { 'data/license-key': { type: 'enterprise', product: 'gloo-mesh', expiresAt: expired } } },
      ]),
    );
    const [east] = only(run(licenseCheck, edited), 'cluster-east');
    assert.equal(east?.severity, 'fail');
    assert.match(
      east?.message ?? '',
      /the licence key in Secret istio-system\/solo-istio-license key license-key expired 2 days ago \(\d{4}-\d\d-\d\d\); istiod keeps MultiCluster on only for a grace period/,
    );
  });
});

// The countdown for each place istiod may read its key from: the built-in `license-expiring`
// (Helm license.value: the chart's Secret through secretKeyRef) and the same mesh with the key
// in a user's Secret named by SOLO_LICENSE_SECRET, or inline in SOLO_LICENSE_KEY.
const SOURCES: { source: 'value' | 'secretRef' | 'env'; where: string; command: RegExp }[] = [
  {
    source: 'value',
    where: 'Secret istio-system/solo-istio-license key license-key',
    command:
      /^kubectl --context cluster-west -n istio-system create secret generic solo-istio-license --from-file=license-key=\.\/license\.key /,
  },
  {
    source: 'secretRef',
    where: 'Secret istio-system/solo-license key gloo-mesh-license-key',
    command:
      /^kubectl --context cluster-west -n istio-system create secret generic solo-license --from-file=gloo-mesh-license-key=\.\/license\.key /,
  },
  {
    source: 'env',
    where: 'istiod env SOLO_LICENSE_KEY (Deployment istio-system/istiod, container discovery)',
    command:
      /^kubectl --context cluster-west -n istio-system set env deployment\/istiod -c discovery SOLO_LICENSE_KEY="\$\(cat \.\/license\.key\)"$/,
  },
];

describe('MC-LIC-001 counts down to expiry wherever the key comes from', { concurrency: 1 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-tui-license-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const { source, where, command } of SOURCES) {
    it(`license.source ${source}: warns with the days left, names ${where}, never shows the key`, async () => {
      const builtin = await readFile(new URL('../../src/sim/scenario/builtin/license-expiring.yaml', import.meta.url), 'utf8');
      const text = builtin.replace('expiresInDays: 3 }', `expiresInDays: 3, source: ${source} }`);
      assert.notEqual(text, builtin, 'the scenario plants the source');
      const file = join(dir, `license-${source}.yaml`);
      writeFileSync(file, text);
      const taken = await snapshotOfScenario('license-expiring', { file });
      try {
        const findings = run(licenseCheck, taken.snapshot);
        assertRootCauses(taken.sim.scenario, findings, 'MC-LIC-001');
        const [west] = only(findings, 'cluster-west');
        assert.equal(west?.severity, 'warn');
        assert.match(west?.message ?? '', new RegExp(`the licence key in ${escape(where)} expires in 3 days \\(\\d{4}-\\d\\d-\\d\\d\\)`));
        assert.ok(
          west?.evidence.some(
            (e) =>
              e.where === `${where} (decoded claims)` && /^type enterprise, product gloo-mesh, expires .* \(3 days left\)$/.test(e.value),
          ),
        );
        assert.match(west?.remediation?.commands[0] ?? '', command);
        assert.equal(only(findings, 'cluster-east')[0]?.severity, 'pass');
        const keys = plantedKeys(taken.sim.scenario, 'cluster-west');
        assert.equal(keys.length, 1, 'the simulator planted one key');
        const secrets = keys.flatMap((k) => [k, Buffer.from(k).toString('base64'), ...k.split('.').filter((part) => part.length >= 8)]);
        assertNoSecrets(findings, secrets);
        const stored = JSON.stringify(taken.snapshot);
        for (const secret of secrets) assert.ok(!stored.includes(secret), 'the snapshot holds the licence key');
      } finally {
        await taken.stop();
      }
    });
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The licence keys the simulator put in a cluster: Secret data and inline env values. */
function plantedKeys(scenario: Scenario, context: string): string[] {
  const cluster = scenario.clusters.find((c) => c.context === context);
  const keys = new Set<string>();
  for (const o of cluster?.objects ?? []) {
    const data = (o as { data?: Record<string, string> }).data ?? {};
    for (const name of ['license-key', 'gloo-mesh-license-key'])
      if (o.kind === 'Secret' && data[name]) keys.add(Buffer.from(data[name], 'base64').toString('utf8'));
    for (const match of JSON.stringify(o).matchAll(/"name":"SOLO_LICENSE_KEY","value":"([^"]+)"/g)) if (match[1]) keys.add(match[1]);
  }
  return [...keys];
}
