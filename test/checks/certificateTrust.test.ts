// MC-CERT-001 on `root-ca-mismatch` (a root per cluster, same name) and on edits: cacerts that
// cannot be read, no plug-in CA, a cacerts root istiod has not distributed yet.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObjectJson, MeshSnapshot } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { certificateTrustCheck } from '../../checks/certificateTrust.ts';
import { issueCertificate } from '../../src/sim/pki.ts';
import { assertNoSecrets, assertRootCauses, editObjects, only, run, scenarioSnapshot, withSync } from './checkHarness.ts';

const CACERTS = 'secrets#cacerts';

describe('MC-CERT-001 root of trust', () => {
  let broken: { snapshot: MeshSnapshot; scenario: Scenario };
  let healthy: MeshSnapshot;
  before(async () => {
    broken = await scenarioSnapshot('root-ca-mismatch');
    healthy = (await scenarioSnapshot('healthy')).snapshot;
  });

  it('fails both clusters, naming the cluster whose root the CA does not chain to, fingerprints side by side', () => {
    const findings = run(certificateTrustCheck, broken.snapshot);
    assertRootCauses(broken.scenario, findings, 'MC-CERT-001');
    const [east] = only(findings, 'cluster-east');
    assert.deepEqual(east?.contexts, ['cluster-east', 'cluster-west']);
    assert.match(east?.message ?? '', /cluster-east's CA does not chain to cluster-west's root/);
    const roots = east?.evidence.filter((e) => e.where.startsWith('ConfigMap istio-system/istio-ca-root-cert')) ?? [];
    assert.deepEqual(
      roots.map((e) => e.context),
      ['cluster-east', 'cluster-west'],
    );
    assert.notEqual(roots[0]?.value, roots[1]?.value);
    assert.ok(
      east?.remediation?.commands.some(
        (c) => c.startsWith('kubectl --context cluster-west ') && c.includes('openssl x509 -noout -fingerprint -sha256'),
      ),
    );
    assertNoSecrets(findings, []);
  });

  it('is unknown when cacerts cannot be read', () => {
    const edited = withSync(
      healthy,
      'cluster-west',
      CACERTS,
      'forbidden',
      'cluster-west: forbidden: user "u" cannot list secrets in namespace "istio-system"',
    );
    const [west] = only(run(certificateTrustCheck, edited), 'cluster-west');
    assert.equal(west?.severity, 'unknown');
    assert.match(west?.message ?? '', /forbidden on secrets/);
  });

  it('compares the distributed roots when no plug-in CA is used', () => {
    const noCacerts = editObjects(
      editObjects(healthy, 'cluster-east', CACERTS, () => undefined),
      'cluster-west',
      CACERTS,
      () => undefined,
    );
    const findings = run(certificateTrustCheck, noCacerts);
    assert.deepEqual(
      findings.map((f) => `${f.subject.kind} ${f.severity}`),
      ['ConfigMap pass', 'ConfigMap pass'],
    );

    const selfSigned = issueCertificate({ commonName: 'istiod self-signed', organization: 'cluster.local', isCa: true });
    const ownRoot = editObjects(noCacerts, 'cluster-west', 'configmaps#istio-ca-root-cert', (cm: KubeObjectJson) => ({
      ...cm,
      data: { 'root-cert.pem': selfSigned.certPem },
    }));
    const [east, west] = run(certificateTrustCheck, ownRoot);
    assert.equal(east?.severity, 'fail');
    assert.equal(west?.severity, 'fail');
    assert.match(west?.message ?? '', /no trusted root issued it/);
  });

  it('warns when cacerts holds a root istiod does not distribute yet', () => {
    const newRoot = issueCertificate({ commonName: 'Root CA', organization: 'Istio', isCa: true });
    const edited = editObjects(healthy, 'cluster-east', CACERTS, (secret: KubeObjectJson) => ({
      ...secret,
      data: { ...(secret['data'] as Record<string, string>), 'root-cert.pem': Buffer.from(newRoot.certPem).toString('base64') },
    }));
    const [east] = only(run(certificateTrustCheck, edited), 'cluster-east');
    assert.equal(east?.severity, 'warn');
    assert.match(east?.message ?? '', /differs from the istio-ca-root-cert bundle/);
  });
});
