// MC-NET-001: one cluster, one network name, said the same way everywhere. istiod reads it
// from the istio namespace label, the east-west Gateway carries it, ztunnel has it in NETWORK;
// when they disagree ztunnel looks service VIPs up under the wrong network and traffic dies
// at 240.240.x.y. A remote Gateway must carry the network of the cluster it points at. Two
// clusters with one name are a flat network: intended when flat (autogenflat) entries exist.
import type { CheckDefinition, Evidence, Finding, IntendedChange, Remediation } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { DAEMONSETS, GATEWAYS, NAMESPACES, WORKLOAD_ENTRIES } from '../src/store/resourceIds.ts';
import { objectKey } from '../src/store/objectKey.ts';
import { targetOf } from './remediationTargets.ts';
import { makeFinding } from './makeFinding.ts';
import { contextNames, field, objectsIn, records, text, unreadable } from './snapshotReads.ts';
import { eastWestGateways, gatewayRef, NETWORK_LABEL, peerContextOf, remoteGateways } from '../src/mesh/peering.ts';

const definition = {
  id: 'MC-NET-001',
  title: 'Network labels consistent',
} as const;

/** A label value as the user must read it: an empty one is visible. */
function quoted(value: string): string {
  return value === '' ? 'empty ("")' : `"${value}"`;
}

/** One place that names the cluster's network. */
interface NetworkSource {
  kind: 'Namespace' | 'Gateway' | 'DaemonSet';
  namespace?: string;
  name: string;
  where: string;
  value: string;
  /** The object as read: a relabel's target, with the uid and resourceVersion to precondition on. */
  object?: KubeObjectJson;
}

function ztunnelDaemonSets(snapshot: MeshSnapshot, context: ContextId): KubeObjectJson[] {
  return objectsIn(snapshot, context, DAEMONSETS).filter(
    (d) => d.metadata.labels?.['app'] === 'ztunnel' || d.metadata.labels?.['app.kubernetes.io/name'] === 'ztunnel',
  );
}

function istioNamespaceObject(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): KubeObjectJson | undefined {
  return snapshot.contexts[context]?.resources[NAMESPACES]?.objects[objectKey('Namespace', undefined, istioNamespace)];
}

function networkSources(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): NetworkSource[] {
  const sources: NetworkSource[] = [];
  const ns = istioNamespaceObject(snapshot, context, istioNamespace);
  const nsValue = ns?.metadata.labels?.[NETWORK_LABEL];
  if (nsValue !== undefined) {
    sources.push({
      kind: 'Namespace',
      name: istioNamespace,
      where: `Namespace ${istioNamespace} .metadata.labels["${NETWORK_LABEL}"]`,
      value: nsValue,
      object: ns,
    });
  }
  for (const gateway of eastWestGateways(snapshot, context)) {
    const value = gateway.metadata.labels?.[NETWORK_LABEL];
    if (value === undefined) continue;
    sources.push({
      kind: 'Gateway',
      namespace: gateway.metadata.namespace ?? '',
      name: gateway.metadata.name,
      where: `${gatewayRef(gateway)} .metadata.labels["${NETWORK_LABEL}"]`,
      value,
      object: gateway,
    });
  }
  for (const daemonSet of ztunnelDaemonSets(snapshot, context)) {
    for (const container of records(field(daemonSet, 'spec', 'template', 'spec', 'containers'))) {
      const value = text(records(container['env']).find((e) => e['name'] === 'NETWORK')?.['value']);
      if (value === undefined) continue;
      sources.push({
        kind: 'DaemonSet',
        namespace: daemonSet.metadata.namespace ?? '',
        name: daemonSet.metadata.name,
        where: `DaemonSet ${daemonSet.metadata.namespace ?? ''}/${daemonSet.metadata.name} .spec.template.spec.containers[${text(container['name']) ?? '?'}].env[NETWORK]`,
        value,
        object: daemonSet,
      });
    }
  }
  return sources;
}

/** The value most sources agree on; on a tie the namespace label, which is what istiod reads. */
function majority(sources: readonly NetworkSource[]): string | undefined {
  const counts = new Map<string, number>();
  for (const s of sources) counts.set(s.value, (counts.get(s.value) ?? 0) + 1);
  const best = Math.max(0, ...counts.values());
  const tied = [...counts.entries()].filter(([, n]) => n === best).map(([v]) => v);
  if (tied.length <= 1) return tied[0];
  return sources.find((s) => s.kind === 'Namespace' && tied.includes(s.value))?.value ?? tied.sort()[0];
}

/** The network a context calls its own (majority of its labels), or undefined when none is set. */
export function clusterNetwork(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): string | undefined {
  return majority(networkSources(snapshot, context, istioNamespace));
}

function relabel(context: ContextId, source: NetworkSource, value: string): Remediation {
  const label: IntendedChange = { op: 'setLabel', key: NETWORK_LABEL, value };
  const targets = source.object ? { targets: [targetOf(context, source.object, label)] } : {};
  switch (source.kind) {
    case 'Namespace':
      return {
        summary: `Label the ${source.name} namespace with the network the rest of ${context} uses.`,
        commands: [`kubectl --context ${context} label namespace ${source.name} ${NETWORK_LABEL}=${value} --overwrite`],
        actionId: 'relabel-network',
        ...targets,
      };
    case 'Gateway':
      return {
        summary: `Label the east-west Gateway with ${context}'s network.`,
        commands: [
          `kubectl --context ${context} -n ${source.namespace ?? ''} label gateway ${source.name} ${NETWORK_LABEL}=${value} --overwrite`,
        ],
        actionId: 'relabel-network',
        ...targets,
      };
    case 'DaemonSet':
      // ztunnel's NETWORK comes from its Helm chart: patching the DaemonSet would be undone by the next upgrade.
      return {
        summary: `Give ztunnel NETWORK=${value} (the ztunnel chart's network value; set it in Helm so an upgrade keeps it).`,
        commands: [`kubectl --context ${context} -n ${source.namespace ?? ''} set env daemonset/${source.name} NETWORK=${value}`],
        ...(source.object
          ? { targets: [targetOf(context, source.object, { op: 'helmValue', release: 'ztunnel', key: 'network', value })] }
          : {}),
      };
  }
}

function localFindings(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): Finding[] {
  const why = unreadable(snapshot, context, NAMESPACES);
  if (why !== undefined) {
    return [
      makeFinding(definition, {
        severity: 'unknown',
        subject: { context, kind: 'Namespace', name: istioNamespace },
        message: `Cannot read the ${istioNamespace} namespace's network label: ${why}.`,
      }),
    ];
  }
  const sources = networkSources(snapshot, context, istioNamespace);
  const evidence: Evidence[] = sources.map((s) => ({ context, where: s.where, value: s.value }));
  const agreed = majority(sources);
  const nsSubject = { context, kind: 'Namespace', name: istioNamespace };
  const findings: Finding[] = [];
  if (!sources.some((s) => s.kind === 'Namespace')) {
    findings.push(
      makeFinding(definition, {
        severity: 'fail',
        subject: nsSubject,
        message: `The ${istioNamespace} namespace has no ${NETWORK_LABEL} label: istiod's peering waits for it and ${context} has no network.`,
        evidence,
        ...(agreed !== undefined
          ? {
              remediation: relabel(
                context,
                {
                  kind: 'Namespace',
                  name: istioNamespace,
                  where: '',
                  value: agreed,
                  object: istioNamespaceObject(snapshot, context, istioNamespace),
                },
                agreed,
              ),
            }
          : {}),
      }),
    );
  }
  if (agreed === undefined) return findings;
  for (const source of sources.filter((s) => s.value !== agreed)) {
    findings.push(
      makeFinding(definition, {
        severity: 'fail',
        subject: {
          context,
          kind: source.kind,
          ...(source.namespace !== undefined ? { namespace: source.namespace } : {}),
          name: source.name,
        },
        message: `${source.where} is ${quoted(source.value)}, but ${context}'s other network labels say ${quoted(agreed)}.`,
        evidence,
        remediation: relabel(context, source, agreed),
      }),
    );
  }
  if (findings.length === 0) {
    const unread = [DAEMONSETS, GATEWAYS].map((r) => unreadable(snapshot, context, r)).filter((r): r is string => r !== undefined);
    findings.push(
      makeFinding(definition, {
        severity: 'pass',
        subject: nsSubject,
        message: `${sources.map((s) => s.kind).join(', ')} agree on network ${agreed}${unread.length > 0 ? ` (not compared: ${unread.join('; ')})` : ''}.`,
        evidence,
      }),
    );
  }
  return findings;
}

function remoteGatewayFindings(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): Finding[] {
  const findings: Finding[] = [];
  if (unreadable(snapshot, context, GATEWAYS) !== undefined) return findings;
  for (const gateway of remoteGateways(snapshot, context)) {
    const peer = peerContextOf(snapshot, context, gateway);
    if (peer === undefined) continue;
    const subject = { context, kind: 'Gateway', namespace: gateway.metadata.namespace ?? '', name: gateway.metadata.name };
    const label = gateway.metadata.labels?.[NETWORK_LABEL];
    const peerNetworks = [...new Set(networkSources(snapshot, peer, istioNamespace).map((s) => s.value))];
    const peerNetwork = clusterNetwork(snapshot, peer, istioNamespace);
    if (peerNetwork === undefined) continue;
    const evidence: Evidence[] = [
      { context, where: `${gatewayRef(gateway)} .metadata.labels["${NETWORK_LABEL}"]`, value: label ?? '(absent)' },
      { context: peer, where: `network of ${peer}`, value: peerNetworks.join(', ') },
    ];
    // A peer whose own labels disagree is reported there; any of its names is accepted here.
    if (label !== undefined && peerNetworks.includes(label)) continue;
    findings.push(
      makeFinding(definition, {
        severity: 'fail',
        subject,
        contexts: [context, peer],
        message:
          label === undefined
            ? `${gatewayRef(gateway)} (to ${peer}) has no ${NETWORK_LABEL} label; ${peer}'s network is ${peerNetwork}.`
            : `${gatewayRef(gateway)} (to ${peer}) is labelled network ${quoted(label)}, but ${peer}'s network is ${quoted(peerNetwork)}.`,
        evidence,
        remediation: {
          summary: `Label the remote Gateway with ${peer}'s network, or re-link.`,
          commands: [
            `kubectl --context ${context} -n ${subject.namespace} label gateway ${subject.name} ${NETWORK_LABEL}=${peerNetwork} --overwrite`,
            `istioctl --context ${context} multicluster link --from ${context} --to ${peer}`,
          ],
          actionId: 'relabel-network',
          targets: [targetOf(context, gateway, { op: 'setLabel', key: NETWORK_LABEL, value: peerNetwork })],
        },
      }),
    );
  }
  return findings;
}

function hasAutogenflat(snapshot: MeshSnapshot, context: ContextId): boolean {
  return objectsIn(snapshot, context, WORKLOAD_ENTRIES).some((we) =>
    (we.metadata.labels?.['solo.io/source-workload'] ?? we.metadata.name).startsWith('autogenflat.'),
  );
}

function uniquenessFindings(snapshot: MeshSnapshot, istioNamespace: string): Finding[] {
  const byNetwork = new Map<string, ContextId[]>();
  for (const context of contextNames(snapshot)) {
    const network = clusterNetwork(snapshot, context, istioNamespace);
    if (network !== undefined) byNetwork.set(network, [...(byNetwork.get(network) ?? []), context]);
  }
  const findings: Finding[] = [];
  for (const [network, contexts] of byNetwork) {
    if (contexts.length < 2) continue;
    const flat = contexts.some((c) => hasAutogenflat(snapshot, c));
    const [first] = contexts;
    if (first === undefined) continue;
    findings.push(
      makeFinding(definition, {
        severity: flat ? 'info' : 'fail',
        subject: { context: first, kind: 'Namespace', name: istioNamespace },
        contexts,
        message: flat
          ? `${contexts.join(', ')} share network ${network} and have autogenflat WorkloadEntries: flat ` +
            `networking, peers are reached directly (not through the east-west gateway).`
          : `${contexts.join(', ')} share network ${network} without flat-network entries: peering treats ` +
            `them as one flat network and skips the east-west gateway.`,
        evidence: contexts.map((c) => ({
          context: c,
          where: `Namespace ${istioNamespace} .metadata.labels["${NETWORK_LABEL}"]`,
          value: network,
        })),
        ...(flat
          ? {}
          : {
              remediation: {
                summary: 'Give each cluster its own network name unless a flat network is intended.',
                commands: contexts
                  .slice(1)
                  .map((c) => `kubectl --context ${c} label namespace ${istioNamespace} ${NETWORK_LABEL}=<unique-network> --overwrite`),
                actionId: 'relabel-network',
                // The new name is the user's to choose: no value.
                targets: contexts.slice(1).flatMap((c) => {
                  const ns = istioNamespaceObject(snapshot, c, istioNamespace);
                  return ns ? [targetOf(c, ns, { op: 'setLabel', key: NETWORK_LABEL })] : [];
                }),
              },
            }),
      }),
    );
  }
  return findings;
}

function run(snapshot: MeshSnapshot, options: { istioNamespace: string }): Finding[] {
  const findings: Finding[] = [];
  for (const context of contextNames(snapshot)) {
    findings.push(...localFindings(snapshot, context, options.istioNamespace));
    findings.push(...remoteGatewayFindings(snapshot, context, options.istioNamespace));
  }
  findings.push(...uniquenessFindings(snapshot, options.istioNamespace));
  return findings;
}

export const networksCheck: CheckDefinition = {
  ...definition,
  reads: [
    `namespaces: the istio namespace's ${NETWORK_LABEL} label`,
    `${GATEWAYS}: the east-west Gateway's and each istio-remote Gateway's ${NETWORK_LABEL} label`,
    "daemonsets.apps: ztunnel's NETWORK env",
    'workloadentries.networking.istio.io: autogenflat entries (flat networking intended)',
  ],
  decides:
    `Per context, the istio namespace label, the east-west Gateway label and ztunnel's NETWORK ` +
    `must agree; the odd one out fails (the namespace when labels tie), a missing namespace label ` +
    `fails. ` +
    (`Each istio-remote Gateway's label must equal the network of the loaded cluster it points at. ` +
      `Two clusters with one network fail unless autogenflat entries show flat networking is intended ` +
      `(then info).`),
  remediation:
    'Relabel the object that disagrees (`kubectl label … --overwrite`), or give ztunnel the right NETWORK through its Helm values.',
  run,
};
