// Istio plug-in CA material per simulated cluster (reference §4.2–4.3): what goes into each
// cluster's `cacerts` Secret (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem) and its
// `istio-ca-root-cert` ConfigMap (root-cert.pem). Shaped like istio's tools/certs Makefile
// output: a "Root CA" (O=Istio) and one intermediate per cluster, chain = intermediate + root.
//
// The three modes are the trust situations the checks must tell apart:
//  - shared-root:           one root, every cluster's intermediate chains to it (healthy);
//  - root-per-cluster:      each cluster ran the Makefile on its own: same root *name*, different
//                           keys, so chains cross-verify by name but not by signature (BadSignature);
//  - expiring-intermediate: shared root, one cluster's intermediate ends within `daysLeft` days.
import { issueCertificate } from '../pki.ts';
import type { IssuedCertificate } from '../pki.ts';

export type PkiMode =
  { mode: 'shared-root' } | { mode: 'root-per-cluster' } | { mode: 'expiring-intermediate'; context: string; daysLeft: number };

export interface ClusterCaFiles {
  /** root-cert.pem: in cacerts and in the istio-ca-root-cert ConfigMap. */
  rootCertPem: string;
  /** ca-cert.pem: this cluster's intermediate (signing) CA. */
  caCertPem: string;
  /** ca-key.pem: the intermediate's private key. A secret: never print or log it. */
  caKeyPem: string;
  /** cert-chain.pem: ca-cert.pem followed by root-cert.pem. */
  certChainPem: string;
}

const DAY_MS = 86_400_000;
/** The Makefile's defaults: root 3650 days, intermediate 730 days. */
const ROOT_DAYS = 3650;
const INTERMEDIATE_DAYS = 730;

export function buildMeshPki(mode: PkiMode, clusters: { context: string; clusterId: string }[], now: Date): Map<string, ClusterCaFiles> {
  const sharedRoot = mode.mode === 'root-per-cluster' ? undefined : issueRoot(now);
  const files = new Map<string, ClusterCaFiles>();
  for (const cluster of clusters) {
    const root = sharedRoot ?? issueRoot(now);
    const expiring = mode.mode === 'expiring-intermediate' && mode.context === cluster.context;
    const notAfter = expiring ? new Date(now.getTime() + mode.daysLeft * DAY_MS) : new Date(now.getTime() + INTERMEDIATE_DAYS * DAY_MS);
    const intermediate = issueCertificate({
      // The Makefile tells intermediates apart with L=<cluster>; pki.ts has no locality, so the
      // cluster id goes in the common name to keep subjects distinct for chain building.
      commonName: `Intermediate CA ${cluster.clusterId}`,
      organization: 'Istio',
      isCa: true,
      issuer: root,
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter,
    });
    files.set(cluster.context, {
      rootCertPem: root.certPem,
      caCertPem: intermediate.certPem,
      caKeyPem: intermediate.keyPem,
      certChainPem: intermediate.certPem + root.certPem,
    });
  }
  return files;
}

function issueRoot(now: Date): IssuedCertificate {
  return issueCertificate({
    commonName: 'Root CA',
    organization: 'Istio',
    isCa: true,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + ROOT_DAYS * DAY_MS),
  });
}
