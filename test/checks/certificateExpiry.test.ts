// MC-CERT-002 on `intermediate-expiring` (cluster-west's intermediate ends in 6 days) and on the
// healthy snapshot read at later times: days left count from the snapshot's own time.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { MeshSnapshot } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { certificateExpiryCheck } from '../../checks/certificateExpiry.ts';
import { assertRootCauses, copy, only, run, scenarioSnapshot, withSync } from './checkHarness.ts';

const DAY_MS = 86_400_000;

function readLater(snapshot: MeshSnapshot, days: number): MeshSnapshot {
  const later = copy(snapshot);
  later.takenAt = new Date(Date.parse(snapshot.takenAt) + days * DAY_MS).toISOString();
  return later;
}

describe('MC-CERT-002 CA expiry', () => {
  let broken: { snapshot: MeshSnapshot; scenario: Scenario };
  let healthy: MeshSnapshot;
  before(async () => {
    broken = await scenarioSnapshot('intermediate-expiring');
    healthy = (await scenarioSnapshot('healthy')).snapshot;
  });

  it('fails the intermediate that ends within a week, with its days left', () => {
    const findings = run(certificateExpiryCheck, broken.snapshot);
    assertRootCauses(broken.scenario, findings, 'MC-CERT-002');
    const [west] = only(findings, 'cluster-west');
    assert.match(west?.message ?? '', /intermediate \(signing CA\) "CN=Intermediate CA west, O=Istio" .* 6 days left/);
    assert.match(west?.evidence[0]?.value ?? '', /\(6 days left\)$/);
    assert.equal(only(findings, 'cluster-east')[0]?.severity, 'pass');
  });

  it('warns under 30 days and fails once expired, counting from the snapshot time', () => {
    // The healthy intermediates are issued for 730 days.
    const [soon] = only(run(certificateExpiryCheck, readLater(healthy, 710)), 'cluster-east');
    assert.equal(soon?.severity, 'warn');
    assert.match(soon?.message ?? '', /expires soon: (19|20) days left/);
    const [expired] = only(run(certificateExpiryCheck, readLater(healthy, 740)), 'cluster-east');
    assert.equal(expired?.severity, 'fail');
    assert.match(expired?.message ?? '', /has expired: expired (9|10) days ago/);
  });

  it('is unknown when the CA cannot be read', () => {
    const edited = withSync(
      withSync(healthy, 'cluster-east', 'secrets#cacerts', 'error', 'boom'),
      'cluster-east',
      'configmaps#istio-ca-root-cert',
      'error',
      'boom',
    );
    const [east] = only(run(certificateExpiryCheck, edited), 'cluster-east');
    assert.equal(east?.severity, 'unknown');
    assert.match(east?.message ?? '', /cannot read secrets: boom/);
  });
});
