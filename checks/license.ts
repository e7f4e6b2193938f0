// MC-LIC-001: the Solo licence must allow MultiCluster (mission-anchors §1.3 License Check,
// §1.8, §4.8). istiod's /debug/license is the authority on validity. Expiry is only in the
// key's claims, which the store keeps in place of the key (src/store/licenseClaims.ts): the
// countdown names where istiod reads the key and how to put a new one there.
import type { CheckDefinition, Evidence, Finding, Remediation, Severity } from './types.ts';
import type { ContextId, MeshSnapshot } from '../src/store/types.ts';
import { makeFinding, worse } from './makeFinding.ts';
import { contextNames, contextUnreadable, daysUntil, isPast, unreadable } from './snapshotReads.ts';
import { ISTIOD_ZTUNNEL_PODS } from '../src/store/resourceIds.ts';
import { isRestrictedProduct } from '../src/mesh/license.ts';
import { describeSource, licenseKeyReadings, type LicenseKeySource } from './licenseKeySource.ts';

// A renewal from Solo takes days to weeks of paperwork: a month's notice leaves time for it.
const WARN_DAYS = 30;

function judgeState(state: string, product: string | undefined): { severity: Severity; why: string } {
  switch (state) {
    case 'OK':
      if (isRestrictedProduct(product))
        return { severity: 'fail', why: `product ${product ?? ''} is restricted to FIPS/LTS builds and does not include MultiCluster` };
      if ((product ?? '').toLowerCase().includes('trial'))
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

  const sources: LicenseKeySource[] = [];
  // Keys whose expiry could not be read: validity still comes from istiod, the countdown does not.
  const noExpiry: string[] = [];
  for (const reading of licenseKeyReadings(snapshot, context)) {
    const where = describeSource(reading.source);
    sources.push(reading.source);
    const claims = reading.claims;
    if (!claims) {
      evidence.push({ context, where, value: `claims unknown: ${reading.missing ?? 'not read'}` });
      noExpiry.push(`${where}: ${reading.missing ?? 'not read'}`);
      continue;
    }
    if (claims.error !== undefined) {
      evidence.push({ context, where, value: `not decodable: ${claims.error}` });
      continue;
    }
    const parts = [claims.type ? `type ${claims.type}` : undefined, claims.product ? `product ${claims.product}` : undefined];
    const expiresAt = claims.expiresAt !== undefined ? new Date(claims.expiresAt) : undefined;
    if (expiresAt && !Number.isNaN(expiresAt.getTime())) {
      const days = daysUntil(expiresAt, snapshot.takenAt);
      const date = expiresAt.toISOString().slice(0, 10);
      const expired = isPast(expiresAt, snapshot.takenAt);
      parts.push(
        expired
          ? `expired ${expiresAt.toISOString()} (${Math.abs(days)} days ago)`
          : `expires ${expiresAt.toISOString()} (${days} days left)`,
      );
      // Past expiry istiod runs an enterprise key on a grace period and skips MultiCluster for a
      // trial: either way the key must be replaced now.
      const expiry: Severity = expired ? 'fail' : days < WARN_DAYS ? 'warn' : 'pass';
      if (expired) {
        reasons.push(
          `the licence key in ${where} expired ${Math.abs(days)} days ago (${date})` +
            (claims.type === 'trial' ? '' : '; istiod keeps MultiCluster on only for a grace period'),
        );
      } else if (expiry === 'warn') {
        reasons.push(`the licence key in ${where} expires in ${days} ${days === 1 ? 'day' : 'days'} (${date})`);
      }
      // The decoded key alone never proves the licence valid: istiod may reject its signature.
      severity = severity === undefined ? (expiry === 'pass' ? undefined : expiry) : worse(severity, expiry);
    }
    evidence.push({ context, where: `${where} (decoded claims)`, value: parts.filter((p) => p !== undefined).join(', ') || 'no claims' });
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
      message: `cannot tell whether the licence is valid for multicluster: ${why}. The key's own claims cannot tell: only istiod can check its signature.`,
    });
  }
  if (severity === 'pass') {
    const message =
      noExpiry.length > 0
        ? `license is valid for multicluster; its expiry is unknown (${noExpiry.join('; ')})`
        : 'license is valid for multicluster';
    return makeFinding(licenseCheck, { severity, subject, evidence, message });
  }
  const expiring = reasons.length > 0 && reasons.every((r) => / expires in \d+ days? /.test(r));
  return makeFinding(licenseCheck, {
    severity,
    subject,
    evidence,
    message: expiring
      ? `licence valid for multicluster for now: ${reasons.join('; ')}`
      : `found invalid license for multicluster: ${reasons.join('; ')}`,
    remediation: renewal(context, istioNamespace, sources),
  });
}

/** How to put a new key where this istiod reads it; the key is read from a file, never typed into a command line. */
function renewal(context: ContextId, istioNamespace: string, sources: LicenseKeySource[]): Remediation {
  const commands: string[] = [];
  for (const source of sources) {
    if (source.kind === 'secret') {
      commands.push(
        `kubectl --context ${context} -n ${source.namespace} create secret generic ${source.name} --from-file=${source.key}=./license.key ` +
          `--dry-run=client -o yaml | kubectl --context ${context} apply -f -`,
      );
    } else {
      commands.push(
        `kubectl --context ${context} -n ${source.namespace} set env deployment/${source.deployment} -c ${source.container} ${source.name}="$(cat ./license.key)"`,
      );
    }
  }
  const where =
    sources.length > 0
      ? `Put the new key (saved as ./license.key) where istiod reads it: ${[...new Set(sources.map(describeSource))].join('; ')}`
      : 'Put it where istiod reads it (Helm value license.value or license.secretRef, or the SOLO_LICENSE_KEY / SOLO_LICENSE_SECRET env)';
  return {
    summary: `Get a new enterprise licence key for Solo Istio from Solo. ${where}, then restart istiod and check /debug/license.`,
    commands: [
      ...commands,
      `kubectl --context ${context} -n ${istioNamespace} rollout restart deployment/istiod`,
      `kubectl --context ${context} -n ${istioNamespace} logs deployment/istiod -c discovery | grep -i licens`,
    ],
  };
}

export const licenseCheck: CheckDefinition = {
  id: 'MC-LIC-001',
  title: 'Licence valid for multicluster',
  reads: [
    'facts.license (istiod /debug/license on every istiod pod)',
    'istiod Deployment env (SOLO_LICENSE_KEY inline or from a Secret, SOLO_LICENSE_SECRET): where the key is read from',
    'the claims (type, product, expiry) the store kept of each licence key, in place of the key',
  ],
  decides:
    'Per context: fails when any istiod reports State EXPIRED, INVALID or UNSET, or a product restricted ' +
    'to FIPS/LTS (GlooCore, IstioSupportBasic); warns on a trial product or BYPASSED. When the ' +
    'key can be decoded its expiry is shown with the days left and where the key lives: warn under ' +
    '30 days, fail past expiry (an enterprise key only runs on a grace period). Unknown when no istiod ' +
    'answered /debug/license (forbidden port-forward, Istio before 1.27) and no key could be decoded.',
  remediation: 'Install a valid enterprise licence (Helm license.value / license.secretRef) and restart istiod.',
  run(snapshot: MeshSnapshot, options) {
    return contextNames(snapshot).map((context) => checkContext(snapshot, context, options.istioNamespace));
  },
};
