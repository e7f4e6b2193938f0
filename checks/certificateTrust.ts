// MC-CERT-001: ambient multicluster needs one root of trust (mission-anchors §4.2; istio-internals
// §4.3): every cluster's signing CA (cacerts ca-cert.pem, via cert-chain.pem) must verify, by name
// and signature, against every cluster's distributed root (istio-ca-root-cert). Roots are shown
// side by side by SHA-256 fingerprint, the comparison field scripts make by hand.
import type { CheckDefinition, Evidence, Finding, Severity } from './types.ts';
import type { ContextId, MeshSnapshot } from '../src/store/types.ts';
import { verifyChain, type ParsedCertificate } from '../src/mesh/certificates.ts';
import { makeFinding, worse } from './makeFinding.ts';
import { readCaMaterial, trustedRoots, type CaMaterial } from './caMaterial.ts';
import { contextNames } from './snapshotReads.ts';

interface Signer {
  leaf: ParsedCertificate;
  intermediates: ParsedCertificate[];
  where: string;
}

/** The certificate that signs this cluster's workload certificates, and the chain it presents. */
function signerOf(material: CaMaterial): Signer | string {
  if (material.cacerts === 'unknown') return material.cacertsReason ?? 'cacerts cannot be read';
  if (material.cacerts === 'absent') {
    // No plug-in CA: istiod's self-signed root signs directly, and is what it distributes.
    const roots = material.distributedRoots;
    if (roots.state !== 'ok') return roots.reason;
    const leaf = roots.certificates[0] as ParsedCertificate;
    return { leaf, intermediates: [], where: roots.where };
  }
  if (material.caCert.state !== 'ok') return material.caCert.reason;
  const leaf = material.caCert.certificates[0] as ParsedCertificate;
  const chain = material.certChain.state === 'ok' ? material.certChain.certificates : [];
  return { leaf, intermediates: [...material.caCert.certificates.slice(1), ...chain], where: material.caCert.where };
}

function rootsEvidence(all: CaMaterial[]): Evidence[] {
  return all.map((m) => {
    const roots = trustedRoots(m);
    return {
      context: m.context,
      where: `${roots.where} SHA-256`,
      value:
        roots.state === 'ok' ? roots.certificates.map((c) => `${c.facts.sha256} (${c.facts.subject})`).join('; ') : `(${roots.reason})`,
    };
  });
}

function sameFingerprints(a: ParsedCertificate[], b: ParsedCertificate[]): boolean {
  const fa = a.map((c) => c.facts.sha256).sort();
  const fb = b.map((c) => c.facts.sha256).sort();
  return fa.length === fb.length && fa.every((f, i) => f === fb[i]);
}

function checkContext(material: CaMaterial, all: CaMaterial[], istioNamespace: string): Finding {
  const context = material.context;
  const subject =
    material.cacerts === 'absent'
      ? { context, kind: 'ConfigMap', namespace: istioNamespace, name: 'istio-ca-root-cert' }
      : { context, kind: 'Secret', namespace: istioNamespace, name: 'cacerts' };
  const evidence = rootsEvidence(all);
  const signer = signerOf(material);
  if (typeof signer === 'string') {
    return makeFinding(certificateTrustCheck, {
      severity: 'unknown',
      subject,
      evidence,
      message: `cannot check ${context}'s CA: ${signer}`,
    });
  }
  evidence.push({
    context,
    where: `${signer.where}`,
    value: `subject "${signer.leaf.facts.subject}", issuer "${signer.leaf.facts.issuer}", SHA-256 ${signer.leaf.facts.sha256}`,
  });

  let severity: Severity = 'pass';
  const problems: string[] = [];
  const unknowns: string[] = [];
  const involved = new Set<string>([context]);
  if (!signer.leaf.facts.isCa) {
    severity = 'fail';
    problems.push(`${signer.where} is not a CA certificate (basicConstraints CA:TRUE missing), so it cannot sign workload certificates`);
  }
  for (const other of all) {
    const roots = trustedRoots(other);
    if (roots.state !== 'ok') {
      unknowns.push(`${other.context}'s root cannot be read (${roots.reason})`);
      continue;
    }
    const verdict = verifyChain(signer.leaf, signer.intermediates, roots.certificates);
    if (!verdict.ok) {
      severity = 'fail';
      involved.add(other.context);
      problems.push(
        other.context === context
          ? `${context}'s own CA does not chain to its own distributed root: ${verdict.reason}`
          : `${context}'s CA does not chain to ${other.context}'s root: ${verdict.reason}`,
      );
    }
  }
  if (
    material.cacerts === 'present' &&
    material.cacertsRoots.state === 'ok' &&
    material.distributedRoots.state === 'ok' &&
    !sameFingerprints(material.cacertsRoots.certificates, material.distributedRoots.certificates)
  ) {
    severity = worse(severity, 'warn');
    problems.push(
      'cacerts root-cert.pem differs from the istio-ca-root-cert bundle istiod distributes: istiod has not reloaded the plug-in CA (restart istiod)',
    );
  }
  if (severity === 'pass' && unknowns.length > 0) {
    return makeFinding(certificateTrustCheck, {
      severity: 'unknown',
      subject,
      evidence,
      message: `${context}'s CA verifies against the roots that could be read, but ${unknowns.join('; ')}`,
    });
  }
  if (severity === 'pass') {
    const peers = all.length > 1 ? `every cluster's root (${all.map((m) => m.context).join(', ')})` : 'its own root';
    return makeFinding(certificateTrustCheck, {
      severity,
      subject,
      evidence,
      message: `${context}'s CA chains to ${peers}: one shared root of trust`,
    });
  }
  const contexts = [...involved];
  return makeFinding(certificateTrustCheck, {
    severity,
    subject,
    contexts,
    evidence,
    message:
      `${problems.join('; ')}${unknowns.length > 0 ? `; also ${unknowns.join('; ')}` : ''}. Ambient ` +
      `cannot use a root per cluster: ztunnel rejects the peer's certificate (UnknownIssuer / BadSignature) ` +
      `and istiod's peering stream fails TLS.`,
    remediation: {
      summary:
        "Issue every cluster's intermediate CA from one shared root (for example with Istio's tools/certs " +
        'Makefile), replace the cacerts Secret in each cluster with its intermediate, key, chain and ' +
        'the shared root-cert.pem, then restart istiod and the ztunnel DaemonSet. Compare the root ' +
        'fingerprints first:',
      commands: all.map(
        (m) =>
          `kubectl --context ${m.context} -n ${istioNamespace} get configmap istio-ca-root-cert -o jsonpath='{.data.root-cert\\.pem}' ` +
          `| openssl x509 -noout -fingerprint -sha256`,
      ),
    },
  });
}

export const certificateTrustCheck: CheckDefinition = {
  id: 'MC-CERT-001',
  title: 'One root of trust across clusters',
  reads: [
    'secrets cacerts (istio namespace): ca-cert.pem, cert-chain.pem, root-cert.pem (ca-key.pem is never read)',
    'configmaps istio-ca-root-cert (istio namespace): root-cert.pem',
  ],
  decides:
    "Per context: the signing CA (cacerts ca-cert.pem, with cert-chain.pem as intermediates; istiod's " +
    'self-signed root when there is no cacerts) must verify by issuer name and signature against ' +
    "every loaded cluster's distributed root bundle (istio-ca-root-cert), and must be a CA. Fails " +
    'on any cluster it does not chain to; warns when cacerts root-cert.pem differs from the distributed ' +
    'bundle (istiod not reloaded). Root SHA-256 fingerprints of every cluster are the evidence. ' +
    'Unknown when any of the material cannot be read or parsed.',
  remediation: 'Plug in intermediates from one shared root in every cluster (cacerts), then restart istiod and ztunnel.',
  run(snapshot: MeshSnapshot, options) {
    const all = contextNames(snapshot).map((context: ContextId) => readCaMaterial(snapshot, context, options.istioNamespace));
    return all.map((material) => checkContext(material, all, options.istioNamespace));
  },
};
