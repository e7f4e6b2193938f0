// MC-XDS-001: what istiod says it is sending. Every ztunnel must be connected to an istiod of
// its cluster (else it runs on stale or no config), and every peer that links to this cluster
// shows up in this istiod's syncz as a subscriber of the federation types (FSDS, SGDS, WDS):
// that row is the far end of the peer's PeerConnected condition, seen from here. Types
// NOT_SENT, STALE or ERROR name a proxy istiod cannot keep in sync.
import type { CheckDefinition, CheckOptions, Evidence, Finding, Severity, SymptomOf } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import type { ProxyStatusRow } from '../src/mesh/syncz.ts';
import { ISTIOD_ZTUNNEL_PODS } from '../src/store/resourceIds.ts';
import { makeFinding } from './makeFinding.ts';
import { contextNames, field, records, unreadable } from './snapshotReads.ts';
import { gatewayRef, peeringOff, peerStateOf } from '../src/mesh/peering.ts';
import { PEER_TYPES, peerSubscriptions, proxyNameOf, ztunnelsWithoutRow } from '../src/mesh/proxyCoverage.ts';
import { peeringOffSymptom } from './peeringSymptoms.ts';

const definition = {
  id: 'MC-XDS-001',
  title: 'Proxies and peers in sync',
} as const;

function isReady(pod: KubeObjectJson): boolean {
  return records(field(pod, 'status', 'conditions')).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
}

interface SynczView {
  rows: ProxyStatusRow[];
  /** istiod pods whose syncz could not be read, with the reason. */
  unread: { pod: string; reason: string }[];
  read: string[];
}

function synczOf(snapshot: MeshSnapshot, context: ContextId): SynczView {
  const view: SynczView = { rows: [], unread: [], read: [] };
  for (const [pod, fact] of Object.entries(snapshot.facts[context]?.syncz ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (fact.state === 'known') {
      view.rows.push(...fact.value.rows);
      view.read.push(pod);
    } else {
      view.unread.push({ pod, reason: fact.reason });
    }
  }
  return view;
}

function ztunnelFindings(snapshot: MeshSnapshot, context: ContextId, view: SynczView): Finding[] {
  const findings: Finding[] = [];
  for (const pod of ztunnelsWithoutRow(snapshot, context, view.rows)) {
    const subject = { context, kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name };
    const ready = isReady(pod);
    const evidence: Evidence[] = [{ context, where: `syncz of ${view.read.join(', ')}`, value: `no row ${proxyNameOf(pod)}` }];
    if (view.unread.length > 0) {
      findings.push(
        makeFinding(definition, {
          severity: 'unknown',
          subject,
          message:
            `${proxyNameOf(pod)} is not in the syncz of ${view.read.join(', ')}, and ${view.unread.map((u) => u.pod).join(', ')} ` +
            `could not be read (${view.unread[0]?.reason ?? ''}): it may be connected there.`,
          evidence,
        }),
      );
      continue;
    }
    findings.push(
      makeFinding(definition, {
        severity: 'fail',
        subject,
        message:
          `ztunnel ${pod.metadata.name} is not connected to any istiod of ${context}${ready ? '' : ' (the pod is not Ready)'}: ` +
          `it gets no workload or policy updates.`,
        evidence,
        remediation: {
          summary: 'Look at the ztunnel pod and its XDS client log lines.',
          commands: [`kubectl --context ${context} -n ${subject.namespace} logs ${pod.metadata.name} | grep -i xds`],
          actionId: 'rerun-checks',
        },
        ...(ready ? {} : { symptomOf: { kind: 'ztunnel-not-ready', contexts: [context] } }),
      }),
    );
  }
  return findings;
}

/** What the missing subscription of the peer in `from` may be a symptom of. */
function missingPeerSymptom(
  snapshot: MeshSnapshot,
  from: ContextId,
  gateway: KubeObjectJson,
  istioNamespace: string,
): SymptomOf | undefined {
  const off = peeringOff(snapshot, from, istioNamespace);
  if (off) return peeringOffSymptom(off, from);
  // A link not known to be up (no status) explains a missing subscription as well as a broken one.
  return peerStateOf(gateway) !== 'connected' ? { kind: 'peer-link-down', contexts: [from] } : undefined;
}

function peerFindings(snapshot: MeshSnapshot, context: ContextId, view: SynczView, options: CheckOptions): Finding[] {
  const findings: Finding[] = [];
  for (const { from, link, cluster, istiodPods, subscribed } of peerSubscriptions(snapshot, context, view.rows)) {
    const subject = { context: from, kind: 'Gateway', namespace: link.metadata.namespace ?? '', name: link.metadata.name };
    if (subscribed.length === 0) {
      if (cluster === undefined && istiodPods.length === 0) {
        findings.push(
          makeFinding(definition, {
            severity: 'unknown',
            subject,
            contexts: [context, from],
            message: `${from}'s CLUSTER_ID and istiod pods are not known, so its subscription to ${context}'s istiod cannot be found.`,
          }),
        );
        continue;
      }
      if (view.unread.length > 0) {
        findings.push(
          makeFinding(definition, {
            severity: 'unknown',
            subject,
            contexts: [context, from],
            message:
              `${from} links to ${context} (${gatewayRef(link)}), but ${from}'s istiod is not in the syncz ` +
              `read from ${context}, and ${view.unread.map((u) => u.pod).join(', ')} could not be read.`,
          }),
        );
        continue;
      }
      const symptomOf = missingPeerSymptom(snapshot, from, link, options.istioNamespace);
      findings.push(
        makeFinding(definition, {
          // Before linking is finished (--precheck) a peer that is not connected yet only warns.
          severity: options.precheck ? 'warn' : 'fail',
          subject,
          contexts: [context, from],
          message:
            `${from} links to ${context} (${gatewayRef(link)}), but no istiod of cluster ${cluster ?? from} ` +
            `subscribes (${PEER_TYPES.join('/')}) to ${context}'s istiod ${view.read.join(', ')}: the peering ` +
            `stream is not up.`,
          evidence: [
            {
              context,
              where: `syncz of ${view.read.join(', ')}`,
              value: `rows: ${view.rows.map((r) => `${r.name}@${r.cluster}`).join(', ') || '(none)'}`,
            },
          ],
          remediation: {
            summary: `Check ${from}'s peering (istiod logs, port 15012 of ${context}'s east-west gateway).`,
            commands: [
              `kubectl --context ${from} -n ${options.istioNamespace} logs deploy/istiod --since=15m | grep -E 'peering|deltaadsc'`,
            ],
            actionId: 'rerun-checks',
          },
          ...(symptomOf ? { symptomOf } : {}),
        }),
      );
      continue;
    }
    const types = new Set(subscribed.flatMap((r) => r.types.map((t) => t.short)));
    const lacking = PEER_TYPES.filter((t) => !types.has(t));
    if (lacking.length > 0) {
      findings.push(
        makeFinding(definition, {
          severity: 'warn',
          subject,
          contexts: [context, from],
          message: `${from}'s istiod is subscribed to ${context}'s istiod but not to ${lacking.join(', ')} (has ${[...types].join(', ')}).`,
          evidence: subscribed.map((r) => ({
            context,
            where: `syncz row ${r.name}`,
            value: r.types.map((t) => `${t.short}:${t.status}`).join(' '),
          })),
        }),
      );
    }
  }
  return findings;
}

const SEVERITY_OF: Readonly<Record<string, Severity>> = { ERROR: 'fail', STALE: 'fail', NOT_SENT: 'warn' };

function typeFindings(context: ContextId, view: SynczView): Finding[] {
  const findings: Finding[] = [];
  for (const row of view.rows) {
    const bad = row.types.filter((t) => SEVERITY_OF[t.status] !== undefined);
    if (bad.length === 0) continue;
    const severity: Severity = bad.some((t) => SEVERITY_OF[t.status] === 'fail') ? 'fail' : 'warn';
    const dot = row.name.lastIndexOf('.');
    findings.push(
      makeFinding(definition, {
        severity,
        subject: {
          context,
          kind: 'Pod',
          namespace: dot > 0 ? row.name.slice(dot + 1) : '',
          name: dot > 0 ? row.name.slice(0, dot) : row.name,
        },
        message: `${row.name} (cluster ${row.cluster}) on ${row.istiod}: ${bad.map((t) => `${t.short} ${t.status}${t.error ? ` (${t.error})` : ''}`).join(', ')}.`,
        evidence: [
          { context, where: `syncz of ${row.istiod} row ${row.name}`, value: row.types.map((t) => `${t.short}:${t.status}`).join(' ') },
        ],
        remediation: {
          summary:
            'A STALE type was sent but not acknowledged, ERROR was rejected (NACK); NOT_SENT was never sent. Look at the proxy and istiod logs.',
          commands: [`istioctl --context ${context} proxy-status`],
          actionId: 'rerun-checks',
        },
      }),
    );
  }
  return findings;
}

function contextFindings(snapshot: MeshSnapshot, context: ContextId, options: CheckOptions): Finding[] {
  const view = synczOf(snapshot, context);
  const subject = { context, kind: 'Deployment', namespace: options.istioNamespace, name: 'istiod' };
  if (view.read.length === 0) {
    const podsWhy = unreadable(snapshot, context, ISTIOD_ZTUNNEL_PODS);
    const reason = view.unread[0]?.reason ?? podsWhy ?? 'no istiod pod was found to ask';
    // A forbidden port-forward is the console's own access, which MC-ACCESS-001 reports.
    const forbidden = Object.values(snapshot.facts[context]?.syncz ?? {}).some((f) => f.state === 'unknown' && f.errorKind === 'forbidden');
    return [
      makeFinding(definition, {
        severity: 'unknown',
        subject,
        message: `istiod's syncz of ${context} could not be read: ${reason}.`,
        ...(forbidden ? { symptomOf: { kind: 'syncz-forbidden', contexts: [context] } } : {}),
      }),
    ];
  }
  const findings = [
    ...ztunnelFindings(snapshot, context, view),
    ...peerFindings(snapshot, context, view, options),
    ...typeFindings(context, view),
  ];
  if (findings.length === 0) {
    const ztunnels = view.rows.filter((r) => r.name.startsWith('ztunnel')).length;
    const peers = view.rows.filter((r) => r.types.some((t) => t.short === 'FSDS')).length;
    findings.push(
      makeFinding(definition, {
        severity: 'pass',
        subject,
        message: `${view.read.join(', ')}: ${ztunnels} ztunnel(s) and ${peers} peer istiod(s) subscribed, all types in sync.`,
      }),
    );
  }
  return findings;
}

function run(snapshot: MeshSnapshot, options: CheckOptions): Finding[] {
  return contextNames(snapshot).flatMap((context) => contextFindings(snapshot, context, options));
}

export const proxyStatusCheck: CheckDefinition = {
  ...definition,
  reads: [
    'the syncz fact of every istiod pod (proxy-status rows)',
    `${ISTIOD_ZTUNNEL_PODS}: ztunnel and istiod pods`,
    'istio-remote Gateways of the other contexts (which peers should be subscribed here)',
  ],
  decides:
    'Every ztunnel pod must appear in the syncz of an istiod of its context (fail; explained by MC-POD-001 when the pod is not Ready). ' +
    ('Every loaded context that links to this one must have its istiod subscribed here (fail, warn ' +
      'with --precheck; explained by MC-PEER-001 when its Gateway is disconnected or has no status, by ' +
      'MC-ENV-001/MC-LIC-001/MC-NET-001 when its peering is off). ') +
    'Types ERROR or STALE fail, NOT_SENT warns. An istiod whose syncz could not be read makes the answer unknown, never pass.',
  remediation:
    'Look at the proxies istiod cannot keep in sync (`istioctl proxy-status`) and at the peering streams of the clusters that link here.',
  run,
};
