// MC-LOG-001: what ztunnel and istiod are complaining about right now, as named signatures with
// counts (the feeds classify each line; src/mesh/logSignatures.ts). Logs are symptoms: each
// signature names the checks whose failure would explain it, and when one of those fails in the
// same context the finding says so (`explainedBy`), so a report leads with the cause. A
// signature nothing explains is reported on its own: the logs saw something the checks did not.
import type { CheckDefinition, CheckId, CheckOptions, Evidence, Finding } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import type { SignatureAggregate, SignatureId } from '../src/mesh/logSignatures.ts';
import { SIGNATURES } from '../src/mesh/logSignatures.ts';
import { ISTIOD_ZTUNNEL_PODS } from '../src/feeds/watchedResources.ts';
import { makeFinding } from './makeFinding.ts';
import { contextNames, contextUnreadable, field, records, text } from './snapshotReads.ts';
import { peersCheck } from './peers.ts';
import { networksCheck } from './networks.ts';
import { certificateTrustCheck } from './certificateTrust.ts';
import { licenseCheck } from './license.ts';

const definition = {
  id: 'MC-LOG-001',
  title: 'No known failure signatures in logs',
} as const;

/**
 * The checks that explain each signature, first match wins. 15008 timeouts are a broken path
 * to the peer (MC-PEER-001) before they are a network-label problem, so PEER comes first.
 */
const EXPLAINED_BY: Readonly<Record<SignatureId, readonly CheckId[]>> = {
  'root-of-trust': ['MC-CERT-001'],
  'identity-mismatch': ['MC-CERT-001'],
  'network-identity-mismatch': ['MC-NET-001'],
  'hbone-timeout': ['MC-PEER-001', 'MC-NET-001'],
  'peer-disconnected': ['MC-PEER-001', 'MC-CERT-001'],
  'no-healthy-upstream': ['MC-PEER-001'],
  'unknown-network-gateway': ['MC-PEER-001'],
  'policy-rejection': [],
  'no-healthy-upstream-local': [],
  'connection-refused': [],
  'dns-failure': [],
  'other-error': [],
};

/** Lines the classifier leaves as "other" but that name their cause plainly. */
function refinedExplainers(aggregate: SignatureAggregate): readonly CheckId[] {
  if (aggregate.id === 'other-error' && aggregate.examples.some((e) => /licensing issue|expired license/i.test(e))) return ['MC-LIC-001'];
  return EXPLAINED_BY[aggregate.id];
}

const EXPLAINERS: Readonly<Partial<Record<CheckId, CheckDefinition>>> = {
  'MC-PEER-001': peersCheck,
  'MC-NET-001': networksCheck,
  'MC-CERT-001': certificateTrustCheck,
  'MC-LIC-001': licenseCheck,
};

const GREP: Readonly<Record<SignatureId, string>> = {
  'root-of-trust': 'UnknownIssuer|BadSignature|unknown certificate authority',
  'identity-mismatch': 'expected SAN|trustdomain|no cert pool',
  'policy-rejection': 'policy rejection|401',
  'no-healthy-upstream': 'no healthy upstream',
  'no-healthy-upstream-local': 'no healthy upstream',
  'unknown-network-gateway': 'unknown network gateway|no gateway address',
  'network-identity-mismatch': '240\\.240\\.',
  'hbone-timeout': '15008',
  'peer-disconnected': 'disconnected, retrying',
  'connection-refused': 'Connection refused|os error 111',
  'dns-failure': 'dns|no such host',
  'other-error': 'error',
};

/** Which failing checks each context has, computed once per run and only for the checks asked about. */
function failingIn(snapshot: MeshSnapshot, options: CheckOptions): (check: CheckId, context: ContextId) => boolean {
  const cache = new Map<CheckId, Finding[]>();
  return (check, context) => {
    let findings = cache.get(check);
    if (findings === undefined) {
      const explainer = EXPLAINERS[check];
      try {
        findings = explainer ? explainer.run(snapshot, options) : [];
      } catch {
        // A crashed explainer proves nothing; the registry reports the crash itself.
        findings = [];
      }
      cache.set(check, findings);
    }
    // With --precheck a disconnected peer only warns, and still explains what it causes.
    return findings.some((f) => (f.severity === 'fail' || (options.precheck && f.severity === 'warn')) && f.contexts.includes(context));
  };
}

function podOf(snapshot: MeshSnapshot, context: ContextId, source: string): KubeObjectJson | undefined {
  const [namespace, name] = source.split('/');
  return snapshot.contexts[context]?.resources[ISTIOD_ZTUNNEL_PODS]?.objects[`Pod/${namespace ?? ''}/${name ?? ''}`];
}

/** The workload the lines came from: ztunnel's DaemonSet, istiod's Deployment, or the pod. */
function subjectOf(snapshot: MeshSnapshot, context: ContextId, aggregate: SignatureAggregate): { context: string; kind: string; namespace?: string; name: string } {
  const pods = aggregate.sources.map((s) => ({ source: s, pod: podOf(snapshot, context, s) }));
  const appOf = (s: { source: string; pod: KubeObjectJson | undefined }): string =>
    s.pod?.metadata.labels?.['app'] ?? (s.source.split('/')[1]?.startsWith('istiod') ? 'istiod' : 'ztunnel');
  const ztunnel = pods.find((p) => appOf(p) === 'ztunnel');
  if (ztunnel) {
    const owner = records(field(ztunnel.pod, 'metadata', 'ownerReferences')).find((o) => o['kind'] === 'DaemonSet');
    return { context, kind: 'DaemonSet', namespace: ztunnel.source.split('/')[0] ?? 'istio-system', name: text(owner?.['name']) ?? 'ztunnel' };
  }
  const istiod = pods.find((p) => appOf(p) === 'istiod');
  if (istiod) return { context, kind: 'Deployment', namespace: istiod.source.split('/')[0] ?? 'istio-system', name: 'istiod' };
  const [first] = aggregate.sources;
  if (first !== undefined) return { context, kind: 'Pod', namespace: first.split('/')[0] ?? '', name: first.split('/')[1] ?? first };
  return { context, kind: 'DaemonSet', namespace: 'istio-system', name: 'ztunnel' };
}

function signatureFinding(snapshot: MeshSnapshot, context: ContextId, aggregate: SignatureAggregate, fails: (c: CheckId, ctx: ContextId) => boolean): Finding {
  const explainers = refinedExplainers(aggregate);
  const explainedBy = explainers.find((check) => fails(check, context));
  const subject = subjectOf(snapshot, context, aggregate);
  const licensing = explainers.includes('MC-LIC-001');
  const meaning = licensing ? 'istiod skips licensed features (MultiCluster) because of its licence.' : SIGNATURES[aggregate.id].meaning;
  const title = licensing ? 'Licensing errors' : aggregate.title;
  const evidence: Evidence[] = aggregate.examples.map((line, i) => ({
    context,
    where: `log ${aggregate.sources[Math.min(i, aggregate.sources.length - 1)] ?? subject.name} (example ${i + 1} of ${aggregate.count})`,
    value: line,
  }));
  evidence.push({ context, where: 'seen', value: `${aggregate.count}× from ${aggregate.firstSeen} to ${aggregate.lastSeen} in ${aggregate.sources.join(', ')}` });
  const ownStory = explainedBy === undefined && explainers.length > 0 ? ` (nothing explains it: ${explainers.join(' and ')} ${explainers.length === 1 ? 'does' : 'do'} not fail here)` : '';
  const workload = subject.kind === 'Pod' ? `pod ${subject.name}` : `${subject.kind.toLowerCase()}/${subject.name}`;
  const finding = makeFinding(definition, {
    // Signatures with a cross-cluster cause are failures of the mesh; the rest are worth a look.
    severity: explainers.length > 0 ? 'fail' : 'warn',
    subject,
    message: `${title} ×${aggregate.count} in ${context} (${aggregate.sources.length} pod${aggregate.sources.length === 1 ? '' : 's'}): ${meaning}${ownStory}`,
    evidence,
    remediation: {
      summary: explainedBy !== undefined ? `Fix ${explainedBy} first; these lines should stop.` : 'Read the lines around these errors.',
      commands: [`kubectl --context ${context} -n ${subject.namespace ?? 'istio-system'} logs ${workload} --since=15m | grep -E '${GREP[aggregate.id]}'`],
    },
  });
  return explainedBy !== undefined ? { ...finding, explainedBy } : finding;
}

function contextFindings(snapshot: MeshSnapshot, context: ContextId, fails: (c: CheckId, ctx: ContextId) => boolean): Finding[] {
  const ctx = snapshot.contexts[context];
  const subject = { context, kind: 'DaemonSet', namespace: 'istio-system', name: 'ztunnel' };
  const down = contextUnreadable(ctx);
  const aggregates = Object.values(snapshot.logSignatures[context] ?? {})
    .filter((a): a is SignatureAggregate => a !== undefined)
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  const findings = aggregates.map((a) => signatureFinding(snapshot, context, a, fails));
  if (findings.length > 0) return findings;
  if (down !== undefined) return [makeFinding(definition, { severity: 'unknown', subject, message: `No logs read from ${context}: ${down}.` })];
  const streams = Object.entries(ctx?.logStreams ?? {});
  if (streams.length === 0) {
    return [makeFinding(definition, { severity: 'unknown', subject, message: `No ztunnel or istiod log of ${context} is followed, so no signature could be seen.` })];
  }
  // A stream being reopened after a clean end is still read; one retrying after an error
  // (refused, timed out) has not delivered its lines, so it cannot vouch for "no signature".
  const unread = streams.filter(([, s]) => s.phase !== 'following' && !(s.phase === 'retrying' && s.error === undefined));
  if (unread.length > 0) {
    const reasons = [...new Set(unread.map(([, s]) => (s.error ? s.error.message : s.phase)))];
    // Logs the user may not read are the console's access problem, which MC-ACCESS-001 reports.
    const forbidden = unread.some(([, s]) => s.phase === 'forbidden');
    return [
      {
        ...makeFinding(definition, {
        severity: 'unknown',
        subject,
        message: `No failure signature in the logs that could be read, but ${unread.length} of ${streams.length} log streams of ${context} are not followed (${reasons.join('; ')}).`,
          evidence: unread.map(([pod, s]) => ({ context, where: `log ${pod}`, value: s.phase })),
        }),
        ...(forbidden ? { explainedBy: 'MC-ACCESS-001' as const } : {}),
      },
    ];
  }
  return [makeFinding(definition, { severity: 'pass', subject, message: `No failure signature in ${streams.length} followed ztunnel/istiod logs of ${context}.` })];
}

function run(snapshot: MeshSnapshot, options: CheckOptions): Finding[] {
  const fails = failingIn(snapshot, options);
  return contextNames(snapshot).flatMap((context) => contextFindings(snapshot, context, fails));
}

export const logSignaturesCheck: CheckDefinition = {
  ...definition,
  reads: [
    'log signatures of every context (ztunnel and istiod logs, classified by src/mesh/logSignatures.ts)',
    'log stream states (forbidden, not followed) for `unknown`',
    'MC-PEER-001, MC-NET-001, MC-CERT-001, MC-LIC-001 findings (which signatures are explained)',
  ],
  decides:
    'Each signature seen in a context is one finding with its count, pods and example lines. ' +
    'Signatures with a cross-cluster cause fail: 240.240.x.y passthrough → MC-NET-001; unknown issuer / SAN mismatch → MC-CERT-001; 15008 timeouts, peering stream drops, unknown network gateway, no healthy upstream of a global service → MC-PEER-001. ' +
    'When that check fails in the same context the finding is `explainedBy` it; otherwise it is reported on its own. Other errors warn. ' +
    'No signature passes only when every log stream is followed; forbidden or capped streams make it unknown.',
  remediation: 'Fix the check named in explainedBy; a signature on its own points at something the other checks do not see (read the example lines).',
  run,
};
