// MC-CERT-002: a plug-in intermediate or a root that expires stops istiod from signing workload
// certificates, cluster by cluster, on a date nobody watches (mission-anchors §4.2, §5.8). Days
// left are counted from the snapshot's time, so a replayed snapshot gives the same answer.
import type { CheckDefinition, Evidence, Finding, Severity } from './types.ts';
import type { ContextId, MeshSnapshot } from '../src/store/types.ts';
import type { CertificateFacts } from '../src/mesh/certificates.ts';
import { makeFinding, worse } from './makeFinding.ts';
import { readCaMaterial, type CaMaterial, type Part } from './caMaterial.ts';
import { contextNames, daysUntil, isPast } from './snapshotReads.ts';

const WARN_DAYS = 30;
/** Under a week is too little to issue, distribute and roll a new intermediate: treat it as failed. */
const FAIL_DAYS = 7;

interface Dated {
  role: string;
  where: string;
  facts: CertificateFacts;
}

function rolesOf(part: Part, role: (facts: CertificateFacts, index: number) => string): Dated[] {
  return part.state === 'ok' ? part.certificates.map((c, i) => ({ role: role(c.facts, i), where: part.where, facts: c.facts })) : [];
}

/** Each distinct certificate once (chain files repeat ca-cert.pem and the root). */
function datedCertificates(material: CaMaterial): Dated[] {
  const all = [
    ...rolesOf(material.caCert, (_f, i) => (i === 0 ? 'intermediate (signing CA)' : 'intermediate')),
    ...rolesOf(material.certChain, (f) => (f.selfSigned ? 'root' : 'intermediate')),
    ...rolesOf(material.cacertsRoots, () => 'root'),
    ...rolesOf(material.distributedRoots, () => 'root'),
  ];
  const seen = new Set<string>();
  return all.filter((d) => !seen.has(d.facts.sha256) && seen.add(d.facts.sha256));
}

function reasonOf(part: Part): string {
  return part.state === 'ok' ? '' : part.reason;
}

function judge(notAfter: Date, takenAt: string): Severity {
  if (isPast(notAfter, takenAt)) return 'fail';
  const days = daysUntil(notAfter, takenAt);
  return days < FAIL_DAYS ? 'fail' : days < WARN_DAYS ? 'warn' : 'pass';
}

function describeDays(notAfter: Date, takenAt: string): string {
  const days = daysUntil(notAfter, takenAt);
  return isPast(notAfter, takenAt) ? `expired ${Math.abs(days)} days ago` : `${days} days left`;
}

function checkContext(material: CaMaterial, takenAt: string, istioNamespace: string): Finding {
  const context: ContextId = material.context;
  const subject =
    material.cacerts === 'absent'
      ? { context, kind: 'ConfigMap', namespace: istioNamespace, name: 'istio-ca-root-cert' }
      : { context, kind: 'Secret', namespace: istioNamespace, name: 'cacerts' };
  const dated = datedCertificates(material);
  const unreadableParts = [material.caCert, material.distributedRoots].filter((p) => p.state === 'unknown');
  if (dated.length === 0 || (material.cacerts !== 'absent' && material.caCert.state !== 'ok')) {
    const reasons = [material.caCert, material.distributedRoots].map(reasonOf).filter((r) => r !== '');
    return makeFinding(certificateExpiryCheck, {
      severity: 'unknown',
      subject,
      message: `cannot read the CA certificates' expiry: ${reasons.join('; ')}`,
    });
  }
  let severity: Severity = 'pass';
  const problems: string[] = [];
  const evidence: Evidence[] = [];
  for (const d of dated.sort((a, b) => a.facts.notAfter.getTime() - b.facts.notAfter.getTime())) {
    const verdict = judge(d.facts.notAfter, takenAt);
    severity = worse(severity, verdict);
    evidence.push({
      context,
      where: `${d.where} ${d.role} "${d.facts.subject}" notAfter`,
      value: `${d.facts.notAfter.toISOString()} (${describeDays(d.facts.notAfter, takenAt)})`,
    });
    if (verdict !== 'pass')
      problems.push(
        `the ${d.role} "${d.facts.subject}" in ${d.where} ${isPast(d.facts.notAfter, takenAt) ? 'has expired' : verdict === 'fail' ? 'expires within a week' : 'expires soon'}: ` +
          `${describeDays(d.facts.notAfter, takenAt)}`,
      );
  }
  const soonest = dated[0] as Dated;
  if (severity === 'pass' && unreadableParts.length > 0) {
    return makeFinding(certificateExpiryCheck, {
      severity: 'unknown',
      subject,
      evidence,
      message:
        `the readable CA certificates are valid for ${daysUntil(soonest.facts.notAfter, takenAt)} days ` +
        `or more, but ${unreadableParts.map(reasonOf).join('; ')}`,
    });
  }
  if (severity === 'pass') {
    return makeFinding(certificateExpiryCheck, {
      severity,
      subject,
      evidence,
      message:
        `every CA certificate is valid for ${WARN_DAYS} days or more; the first to expire is the ${soonest.role} ` +
        `"${soonest.facts.subject}" (${describeDays(soonest.facts.notAfter, takenAt)})`,
    });
  }
  return makeFinding(certificateExpiryCheck, {
    severity,
    subject,
    evidence,
    message: `${problems.join('; ')}. When the signing CA expires istiod can no longer issue workload certificates in ${context}.`,
    remediation: {
      summary:
        'Issue a new intermediate from the same shared root (or rotate the root with an overlap period: ' +
        'both roots in root-cert.pem first), replace the cacerts Secret, restart istiod, then roll ' +
        'ztunnel so workloads get certificates from the new CA.',
      commands: [
        `kubectl --context ${context} -n ${istioNamespace} get secret cacerts -o jsonpath='{.data.ca-cert\\.pem}' ` +
          `| base64 -d | openssl x509 -noout -subject -enddate`,
        `kubectl --context ${context} -n ${istioNamespace} rollout restart deployment/istiod`,
      ],
    },
  });
}

export const certificateExpiryCheck: CheckDefinition = {
  id: 'MC-CERT-002',
  title: 'CA certificates not expiring',
  reads: ['secrets cacerts (istio namespace): ca-cert.pem, cert-chain.pem, root-cert.pem', 'configmaps istio-ca-root-cert: root-cert.pem'],
  decides:
    `Per context: every intermediate and root found (each once) with its notAfter and days left ` +
    `from the snapshot's time: fails when one has expired or has less than ${FAIL_DAYS} days left ` +
    `(too little to rotate it), warns under ${WARN_DAYS} days. Unknown when the signing CA cannot ` +
    `be read or parsed.`,
  remediation: 'Rotate the intermediate from the shared root before it expires and restart istiod.',
  run(snapshot: MeshSnapshot, options) {
    return contextNames(snapshot).map((context) =>
      checkContext(readCaMaterial(snapshot, context, options.istioNamespace), snapshot.takenAt, options.istioNamespace),
    );
  },
};
