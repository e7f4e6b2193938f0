// MC-LOG-001: what ztunnel and istiod are complaining about right now, as named signatures with
// counts (the feeds classify each line; src/mesh/logSignatures.ts). Logs are symptoms: each
// signature is a symptom kind (`log:<id>`), and the explanation pass (checks/explanations.ts,
// the one table of which check explains which signature) puts it under the failing check that
// explains it in the same context, so a report leads with the cause. A signature nothing
// explains is reported on its own: the logs saw something the checks did not.
import type { CheckDefinition, CheckOptions, Evidence, Finding, Subject } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import type { SignatureAggregate, SignatureId } from '../src/mesh/logSignatures.ts';
import { SIGNATURES } from '../src/mesh/logSignatures.ts';
import { ISTIOD_ZTUNNEL_PODS } from '../src/store/resourceIds.ts';
import { makeFinding } from './makeFinding.ts';
import { signatureFailsAlone, type SymptomKind } from './explanations.ts';
import { contextNames, contextUnreadable, field, records, text } from './snapshotReads.ts';

const definition = {
  id: 'MC-LOG-001',
  title: 'No known failure signatures in logs',
} as const;

/** Lines the classifier leaves as "other" but that name their cause plainly. */
function symptomKind(aggregate: SignatureAggregate): SymptomKind {
  if (aggregate.id === 'other-error' && aggregate.examples.some((e) => /licensing issue|expired license/i.test(e))) return 'log:licensing';
  return `log:${aggregate.id}`;
}

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
  'peering-incompatible-env': 'peering discovery is incompatible',
  'other-error': 'error',
};

function podOf(snapshot: MeshSnapshot, context: ContextId, source: string): KubeObjectJson | undefined {
  const [namespace, name] = source.split('/');
  return snapshot.contexts[context]?.resources[ISTIOD_ZTUNNEL_PODS]?.objects[`Pod/${namespace ?? ''}/${name ?? ''}`];
}

/** The workload the lines came from: ztunnel's DaemonSet, istiod's Deployment, or the pod. */
function subjectOf(snapshot: MeshSnapshot, context: ContextId, aggregate: SignatureAggregate, istioNamespace: string): Subject {
  const pods = aggregate.sources.map((s) => ({ source: s, pod: podOf(snapshot, context, s) }));
  const appOf = (s: { source: string; pod: KubeObjectJson | undefined }): string =>
    s.pod?.metadata.labels?.['app'] ?? (s.source.split('/')[1]?.startsWith('istiod') ? 'istiod' : 'ztunnel');
  const ztunnel = pods.find((p) => appOf(p) === 'ztunnel');
  if (ztunnel) {
    const owner = records(field(ztunnel.pod, 'metadata', 'ownerReferences')).find((o) => o['kind'] === 'DaemonSet');
    return {
      context,
      kind: 'DaemonSet',
      namespace: ztunnel.source.split('/')[0] ?? istioNamespace,
      name: text(owner?.['name']) ?? 'ztunnel',
    };
  }
  const istiod = pods.find((p) => appOf(p) === 'istiod');
  if (istiod) return { context, kind: 'Deployment', namespace: istiod.source.split('/')[0] ?? istioNamespace, name: 'istiod' };
  const [first] = aggregate.sources;
  if (first !== undefined) return { context, kind: 'Pod', namespace: first.split('/')[0] ?? '', name: first.split('/')[1] ?? first };
  return { context, kind: 'DaemonSet', namespace: istioNamespace, name: 'ztunnel' };
}

/** ` since 15:42:10 UTC` when a re-run restarted the context's log window, else nothing (counted since the logs were first read). */
function windowText(snapshot: MeshSnapshot, context: ContextId): string {
  const since = snapshot.logWindowSince?.[context];
  return since === undefined ? '' : ` since ${since.slice(11, 19)} UTC`;
}

function windowEvidence(snapshot: MeshSnapshot, context: ContextId): Evidence[] {
  const since = snapshot.logWindowSince?.[context];
  return since === undefined
    ? []
    : [{ context, where: 'log window', value: `lines counted since ${since} (the last re-run of the checks)` }];
}

function signatureFinding(snapshot: MeshSnapshot, context: ContextId, aggregate: SignatureAggregate, istioNamespace: string): Finding {
  const kind = symptomKind(aggregate);
  const subject = subjectOf(snapshot, context, aggregate, istioNamespace);
  const licensing = kind === 'log:licensing';
  const meaning = licensing ? 'istiod skips licensed features (MultiCluster) because of its licence.' : SIGNATURES[aggregate.id].meaning;
  const title = licensing ? 'Licensing errors' : aggregate.title;
  const evidence: Evidence[] = aggregate.examples.map((line, i) => ({
    context,
    where: `log ${aggregate.sources[Math.min(i, aggregate.sources.length - 1)] ?? subject.name} (example ${i + 1} of ${aggregate.count})`,
    value: line,
  }));
  evidence.push({
    context,
    where: 'seen',
    value: `${aggregate.count}× from ${aggregate.firstSeen} to ${aggregate.lastSeen} in ${aggregate.sources.join(', ')}`,
  });
  evidence.push(...windowEvidence(snapshot, context));
  const workload = subject.kind === 'Pod' ? `pod ${subject.name}` : `${subject.kind.toLowerCase()}/${subject.name}`;
  return makeFinding(definition, {
    // Signatures with a cross-cluster cause are failures of the mesh; the rest are worth a look.
    severity: signatureFailsAlone(kind) ? 'fail' : 'warn',
    subject,
    message: `${title} ×${aggregate.count} in ${context} (${aggregate.sources.length} pod${aggregate.sources.length === 1 ? '' : 's'}${windowText(snapshot, context)}): ${meaning}`,
    evidence,
    remediation: {
      summary: 'Read the lines around these errors.',
      commands: [
        `kubectl --context ${context} -n ${subject.namespace ?? istioNamespace} logs ${workload} --since=15m | grep -E '${GREP[aggregate.id]}'`,
      ],
    },
    symptomOf: { kind, contexts: [context] },
  });
}

function contextFindings(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): Finding[] {
  const ctx = snapshot.contexts[context];
  const subject = { context, kind: 'DaemonSet', namespace: istioNamespace, name: 'ztunnel' };
  const down = contextUnreadable(ctx);
  const aggregates = Object.values(snapshot.logSignatures[context] ?? {})
    .filter((a): a is SignatureAggregate => a !== undefined)
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  const findings = aggregates.map((a) => signatureFinding(snapshot, context, a, istioNamespace));
  if (findings.length > 0) return findings;
  if (down !== undefined)
    return [makeFinding(definition, { severity: 'unknown', subject, message: `No logs read from ${context}: ${down}.` })];
  const streams = Object.entries(ctx?.logStreams ?? {});
  if (streams.length === 0) {
    return [
      makeFinding(definition, {
        severity: 'unknown',
        subject,
        message: `No ztunnel or istiod log of ${context} is followed, so no signature could be seen.`,
      }),
    ];
  }
  // A stream being reopened after a clean end is still read; one retrying after an error
  // (refused, timed out) has not delivered its lines, so it cannot vouch for "no signature".
  const unread = streams.filter(([, s]) => s.phase !== 'following' && !(s.phase === 'retrying' && s.error === undefined));
  if (unread.length > 0) {
    const reasons = [...new Set(unread.map(([, s]) => (s.error ? s.error.message : s.phase)))];
    // Logs the user may not read are the console's access problem, which MC-ACCESS-001 reports.
    const forbidden = unread.some(([, s]) => s.phase === 'forbidden');
    return [
      makeFinding(definition, {
        severity: 'unknown',
        subject,
        message:
          `No failure signature in the logs that could be read, but ${unread.length} of ${streams.length} ` +
          `log streams of ${context} are not followed (${reasons.join('; ')}).`,
        evidence: unread.map(([pod, s]) => ({ context, where: `log ${pod}`, value: s.phase })),
        ...(forbidden ? { symptomOf: { kind: 'logs-forbidden', contexts: [context] } } : {}),
      }),
    ];
  }
  return [
    makeFinding(definition, {
      severity: 'pass',
      subject,
      message: `No failure signature in ${streams.length} followed ztunnel/istiod logs of ${context}${windowText(snapshot, context)}.`,
      evidence: windowEvidence(snapshot, context),
    }),
  ];
}

function run(snapshot: MeshSnapshot, options: CheckOptions): Finding[] {
  return contextNames(snapshot).flatMap((context) => contextFindings(snapshot, context, options.istioNamespace));
}

export const logSignaturesCheck: CheckDefinition = {
  ...definition,
  reads: [
    'log signatures of every context (ztunnel and istiod logs, classified by src/mesh/logSignatures.ts)',
    'log stream states (forbidden, not followed) for `unknown`',
  ],
  decides:
    'Each signature seen in a context is one finding with its count, pods and example lines. ' +
    ('Signatures with a cross-cluster cause fail: 240.240.x.y passthrough → MC-NET-001; unknown ' +
      'issuer / SAN mismatch → MC-CERT-001; 15008 timeouts, peering stream drops, unknown network ' +
      'gateway, no healthy upstream of a global service → MC-PEER-001; istiod refusing peering for its env → MC-ENV-001. ') +
    ('When that check fails in the same context the explanation pass puts the finding under it; ' +
      'otherwise it is reported on its own. DNS lookup failures sit under MC-DNS-001 when DNS capture is off, and warn on their own; ' +
      'other errors warn. ') +
    'No signature passes only when every log stream is followed; forbidden or capped streams make it unknown. ' +
    'Signatures count from when the logs were first read, or from the last re-run of the checks (`r`), which starts the window again.',
  remediation:
    'Fix the check named in explainedBy; a signature on its own points at something the other checks do not see (read the example lines).',
  run,
};
