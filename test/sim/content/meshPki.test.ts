import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { buildMeshPki } from '../../../src/sim/content/meshPki.ts';
import type { ClusterCaFiles } from '../../../src/sim/content/meshPki.ts';

const now = new Date('2026-03-01T10:20:30Z');
const DAY_MS = 86_400_000;
const clusters = [
  { context: 'kind-east', clusterId: 'east' },
  { context: 'kind-west', clusterId: 'west' },
  { context: 'kind-north', clusterId: 'north' },
];

const certs = (files: ClusterCaFiles): { root: X509Certificate; ca: X509Certificate } => ({
  root: new X509Certificate(files.rootCertPem),
  ca: new X509Certificate(files.caCertPem),
});

/** Splits a PEM bundle into certificates, in order. */
function pemBlocks(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\r?\n?/g) ?? [];
}

function assertWellFormed(files: ClusterCaFiles): void {
  const { root, ca } = certs(files);
  assert.equal(ca.ca, true, 'ca-cert.pem is a CA');
  assert.equal(root.ca, true, 'root-cert.pem is a CA');
  assert.ok(ca.verify(root.publicKey), 'intermediate signed by its own root');
  assert.ok(ca.checkIssued(root));
  // cert-chain.pem = ca-cert.pem + root-cert.pem, like the Makefile builds it.
  const chain = pemBlocks(files.certChainPem).map((pem) => new X509Certificate(pem).fingerprint256);
  assert.deepEqual(chain, [ca.fingerprint256, root.fingerprint256]);
  // ca-key.pem matches ca-cert.pem (istiod's tls.X509KeyPair check).
  const publicFromKey = createPublicKey(createPrivateKey(files.caKeyPem)).export({ type: 'spki', format: 'der' });
  assert.deepEqual(publicFromKey, ca.publicKey.export({ type: 'spki', format: 'der' }));
}

describe('mesh plug-in CA material', () => {
  it('shared root: one root everywhere, and every intermediate verifies against every root', () => {
    const pki = buildMeshPki({ mode: 'shared-root' }, clusters, now);
    assert.deepEqual(
      [...pki.keys()],
      clusters.map((c) => c.context),
    );
    const all = [...pki.values()];
    for (const files of all) assertWellFormed(files);
    assert.equal(new Set(all.map((f) => certs(f).root.fingerprint256)).size, 1);
    assert.equal(new Set(all.map((f) => certs(f).ca.subject)).size, clusters.length, 'intermediates have distinct subjects');
    for (const a of all) for (const b of all) assert.ok(certs(a).ca.verify(certs(b).root.publicKey));
  });

  it('root per cluster: same root name, different keys, so chains fail across clusters', () => {
    const pki = buildMeshPki({ mode: 'root-per-cluster' }, clusters, now);
    const all = [...pki.values()];
    for (const files of all) assertWellFormed(files);
    assert.equal(new Set(all.map((f) => certs(f).root.fingerprint256)).size, clusters.length);
    assert.equal(new Set(all.map((f) => certs(f).root.subject)).size, 1, 'the names alone cannot tell the roots apart');
    for (const [i, a] of all.entries()) {
      for (const [j, b] of all.entries()) {
        if (i !== j) assert.equal(certs(a).ca.verify(certs(b).root.publicKey), false, `${i} verified against ${j}`);
      }
    }
  });

  it("expiring intermediate: only the named cluster's intermediate ends within daysLeft", () => {
    const pki = buildMeshPki({ mode: 'expiring-intermediate', context: 'kind-west', daysLeft: 5 }, clusters, now);
    for (const files of pki.values()) assertWellFormed(files);
    const notAfter = (context: string): number => new Date(certs(pki.get(context) as ClusterCaFiles).ca.validTo).getTime();
    assert.ok(notAfter('kind-west') > now.getTime());
    assert.ok(notAfter('kind-west') <= now.getTime() + 5 * DAY_MS);
    assert.ok(notAfter('kind-east') > now.getTime() + 365 * DAY_MS);
    assert.ok(notAfter('kind-north') > now.getTime() + 365 * DAY_MS);
    const roots = new Set([...pki.values()].map((f) => certs(f).root.fingerprint256));
    assert.equal(roots.size, 1, 'the root stays shared');
  });
});
