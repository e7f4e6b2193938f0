// MC-LIC-001: the Solo licence must allow MultiCluster (mission-anchors §1.3 License Check,
// §1.8, §4.8). istiod's /debug/license is the authority. Expiry is only in the key's claims;
// the store drops secret values, so the key is decoded only where a snapshot still holds it
// (a Secret with a licence data key) and never printed: only its type, product and expiry are.
import type { CheckDefinition, Evidence, Finding, Severity } from './types.ts';
import type { ContextId, MeshSnapshot } from '../src/store/types.ts';
import { decodeLicenseKey, type LicenseClaims } from '../src/mesh/license.ts';
import { makeFinding, worse } from './makeFinding.ts';
import { contextNames, contextUnreadable, daysUntil, field, isPast, isRecord, unreadable } from './snapshotReads.ts';
import { ISTIOD_ZTUNNEL_PODS } from '../src/store/resourceIds.ts';

/** Data keys a licence Secret may use (Helm license.secretRef, SOLO_LICENSE_SECRET). */
const LICENSE_DATA_KEYS = ['license-key', 'gloo-mesh-license-key', 'gloo-trial-license-key'];
const WARN_DAYS = 30;
/** Products whose licence is feature-restricted (FIPS/LTS only): no MultiCluster. */
const RESTRICTED_PRODUCTS = ['gloocore', 'istiosupportbasic'];

function normalizedProduct(product: string | undefined): string {
  return (product ?? '').toLowerCase().replace(/[-_ ]/g, '');
}

function judgeState(state: string, product: string | undefined): { severity: Severity; why: string } {
  const p = normalizedProduct(product);
  switch (state) {
    case 'OK':
      if (RESTRICTED_PRODUCTS.includes(p))
        return { severity: 'fail', why: `product ${product ?? ''} is restricted to FIPS/LTS builds and does not include MultiCluster` };
      if (p.includes('trial'))
        return {
          severity: 'warn',
          why: `a trial licence (product ${product ?? ''}): field reports say peering connects but global services are not federated`,
        };
      return { severity: 'pass', why: 'license is valid for multicluster' };
    case 'EXPIRED':
      return {
        severity: 'fail',
        why: 'the licence has expired: istiod skips the MultiCluster feature ("SKIPPING FEATURE MultiCluster due to licensing issue")',
      };
    case 'INVALID':
      return { severity: 'fail', why: 'istiod found the licence key invalid' };
    case 'UNSET':
      return { severity: 'fail', why: 'istiod has no licence key ("license key was not set")' };
    case 'BYPASSED':
      return { severity: 'warn', why: 'licensing is bypassed (development builds only)' };
    default:
      return { severity: 'unknown', why: `istiod reports an unrecognised licence state "${state}"` };
  }
}

/** Claims of the licence key held by any Secret the snapshot still has data for. */
function decodedKeys(snapshot: MeshSnapshot, context: ContextId): { where: string; claims: LicenseClaims }[] {
  const found: { where: string; claims: LicenseClaims }[] = [];
  for (const res of Object.values(snapshot.contexts[context]?.resources ?? {})) {
    for (const obj of Object.values(res.objects)) {
      if (obj.kind !== 'Secret') continue;
      const data = field(obj, 'data');
      if (!isRecord(data)) continue;
      for (const key of LICENSE_DATA_KEYS) {
        const value = data[key];
        if (typeof value !== 'string') continue;
        const decoded = decodeLicenseKey(Buffer.from(value, 'base64').toString('utf8'));
        if (decoded.ok)
          found.push({
            where: `Secret ${obj.metadata.namespace ?? ''}/${obj.metadata.name} key ${key} (decoded claims)`,
            claims: decoded.claims,
          });
      }
    }
  }
  return found;
}

function checkContext(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): Finding {
  const subject = { context, kind: 'Deployment', namespace: istioNamespace, name: 'istiod' };
  const down = contextUnreadable(snapshot.contexts[context]);
  if (down !== undefined) return makeFinding(licenseCheck, { severity: 'unknown', subject, message: `cannot read the licence: ${down}` });

  let severity: Severity | undefined;
  const evidence: Evidence[] = [];
  const reasons: string[] = [];
  const unknownReasons: string[] = [];
  const facts = snapshot.facts[context]?.license ?? {};
  for (const pod of Object.keys(facts).sort()) {
    const fact = facts[pod];
    if (!fact) continue;
    if (fact.state === 'unknown') {
      unknownReasons.push(
        fact.errorKind === 'notFound' ? `License Check is not supported on Istio versions <1.27 (${fact.reason})` : fact.reason,
      );
      continue;
    }
    const { state, product } = fact.value;
    evidence.push({
      context,
      where: `istiod ${istioNamespace}/${pod} /debug/license`,
      value: `State ${state}${product ? `, Product ${product}` : ''}`,
    });
    const verdict = judgeState(state, product);
    severity = severity === undefined ? verdict.severity : worse(severity, verdict.severity);
    if (verdict.severity !== 'pass') reasons.push(`istiod ${pod}: ${verdict.why}`);
  }

  for (const { where, claims } of decodedKeys(snapshot, context)) {
    const parts = [claims.type ? `type ${claims.type}` : undefined, claims.product ? `product ${claims.product}` : undefined];
    if (claims.expiresAt) {
      const days = daysUntil(claims.expiresAt, snapshot.takenAt);
      parts.push(`expires ${claims.expiresAt.toISOString()} (${days} days left)`);
      const expired = isPast(claims.expiresAt, snapshot.takenAt);
      const expiry: Severity = expired ? (claims.type === 'trial' ? 'fail' : 'warn') : days < WARN_DAYS ? 'warn' : 'pass';
      if (expiry !== 'pass') {
        reasons.push(
          expired
            ? `the licence key expired ${Math.abs(days)} days ago${claims.type === 'trial' ? '' : ' (istiod allows a grace period for non-trial keys)'}`
            : `the licence key expires in ${days} days`,
        );
      }
      // The decoded key alone never proves the licence valid: istiod may reject its signature.
      severity = severity === undefined ? (expiry === 'pass' ? undefined : expiry) : worse(severity, expiry);
    }
    evidence.push({ context, where, value: parts.filter((p) => p !== undefined).join(', ') || 'no claims' });
  }

  if (severity === undefined) {
    // The debug feed only asks istiod pods it has seen: unreadable pods explain missing answers.
    const podsWhy = unreadable(snapshot, context, ISTIOD_ZTUNNEL_PODS);
    const why =
      unknownReasons.length > 0
        ? unknownReasons.join('; ')
        : podsWhy !== undefined
          ? `istiod pods cannot be listed, so /debug/license was not asked (${podsWhy})`
          : 'no istiod pod has answered /debug/license yet';
    return makeFinding(licenseCheck, {
      severity: 'unknown',
      subject,
      evidence,
      message: `cannot tell whether the licence is valid for multicluster: ${why}. The licence key itself is a secret the console does not read.`,
    });
  }
  if (severity === 'pass') {
    return makeFinding(licenseCheck, { severity, subject, evidence, message: 'license is valid for multicluster' });
  }
  return makeFinding(licenseCheck, {
    severity,
    subject,
    evidence,
    message: `found invalid license for multicluster: ${reasons.join('; ')}`,
    remediation: {
      summary:
        'Get an enterprise licence for Solo Istio from Solo and put it where istiod reads it (Helm ' +
        'value license.value or license.secretRef, or the SOLO_LICENSE_KEY / SOLO_LICENSE_SECRET env), ' +
        'then restart istiod. Check the result on /debug/license.',
      commands: [
        `kubectl --context ${context} -n ${istioNamespace} rollout restart deployment/istiod`,
        `kubectl --context ${context} -n ${istioNamespace} logs deployment/istiod -c discovery | grep -i licens`,
      ],
    },
  });
}

export const licenseCheck: CheckDefinition = {
  id: 'MC-LIC-001',
  title: 'Licence valid for multicluster',
  reads: [
    'facts.license (istiod /debug/license on every istiod pod)',
    'Secrets holding a licence key, when the snapshot has their data (decoded, never shown)',
  ],
  decides:
    'Per context: fails when any istiod reports State EXPIRED, INVALID or UNSET, or a product restricted ' +
    'to FIPS/LTS (GlooCore, IstioSupportBasic); warns on a trial product or BYPASSED. When the ' +
    'key can be decoded its expiry is shown with the days left: warn under 30 days, and past expiry ' +
    'fail for a trial key or warn for an enterprise key (grace period). Unknown when no istiod ' +
    'answered /debug/license (forbidden port-forward, Istio before 1.27) and no key could be decoded.',
  remediation: 'Install a valid enterprise licence (Helm license.value / license.secretRef) and restart istiod.',
  run(snapshot: MeshSnapshot, options) {
    return contextNames(snapshot).map((context) => checkContext(snapshot, context, options.istioNamespace));
  },
};
