// MC-PEER-002: peering is pairwise and directional. `link --from A --to B` only lets A reach
// B; a pair linked one way shows green conditions on one side and nothing on the other. And a
// remote Gateway keeps the address it was linked with: when the peer's east-west address
// changes, the old Gateway dials nothing. Both need two clusters side by side, which is why
// this is its own check rather than part of MC-PEER-001.
import type { CheckDefinition, Finding } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { GATEWAYS } from '../src/store/resourceIds.ts';
import { makeFinding } from './makeFinding.ts';
import { contextNames, unreadable } from './snapshotReads.ts';
import {
  eastWestAddresses,
  eastWestGateways,
  gatewayRef,
  NETWORK_LABEL,
  peerContextOf,
  remoteGateways,
  specAddresses,
  staleAddressOf,
} from '../src/mesh/peering.ts';
import { NAMESPACES } from '../src/store/resourceIds.ts';
import { objectKey } from '../src/store/objectKey.ts';

const definition = {
  id: 'MC-PEER-002',
  title: 'Peering symmetric and current',
} as const;

function networkOf(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): string | undefined {
  const ns = snapshot.contexts[context]?.resources[NAMESPACES]?.objects[objectKey('Namespace', undefined, istioNamespace)];
  return ns?.metadata.labels?.[NETWORK_LABEL] ?? eastWestGateways(snapshot, context)[0]?.metadata.labels?.[NETWORK_LABEL];
}

/** The name `istioctl multicluster link` gives the Gateway in `from` that points at `to`. */
function expectedGatewayName(snapshot: MeshSnapshot, from: ContextId, to: ContextId, istioNamespace: string): string {
  const toNetwork = networkOf(snapshot, to, istioNamespace);
  const fromNetwork = networkOf(snapshot, from, istioNamespace);
  // On a flat network both share one network name, so the peer's cluster ID tells them apart.
  if (toNetwork === undefined || toNetwork === fromNetwork) return `istio-remote-peer-${snapshot.contexts[to]?.clusterId ?? to}`;
  return `istio-remote-peer-${toNetwork}`;
}

function linksOf(snapshot: MeshSnapshot, context: ContextId): Map<ContextId, KubeObjectJson[]> {
  const links = new Map<ContextId, KubeObjectJson[]>();
  for (const gateway of remoteGateways(snapshot, context)) {
    const peer = peerContextOf(snapshot, context, gateway);
    if (peer === undefined) continue;
    links.set(peer, [...(links.get(peer) ?? []), gateway]);
  }
  return links;
}

function addressFinding(snapshot: MeshSnapshot, from: ContextId, to: ContextId, gateway: KubeObjectJson): Finding {
  const subject = { context: from, kind: 'Gateway', namespace: gateway.metadata.namespace ?? '', name: gateway.metadata.name };
  const dialled = specAddresses(gateway);
  const current = eastWestAddresses(snapshot, to);
  const evidence = [
    { context: from, where: `${gatewayRef(gateway)} .spec.addresses`, value: dialled.join(', ') || '(none)' },
    {
      context: to,
      where: 'east-west Gateway .status.addresses / Service .status.loadBalancer.ingress',
      value: current.join(', ') || '(none)',
    },
  ];
  const contexts = [from, to];
  if (current.length === 0) {
    return makeFinding(definition, {
      severity: 'info',
      subject,
      contexts,
      message:
        `Cannot compare ${gatewayRef(gateway)}'s address with ${to}'s east-west address: ${to}'s east-west ` +
        `gateway has no address (see MC-EW-001).`,
      evidence,
    });
  }
  // The same rule MC-PEER-001's explanation uses, so the stale link this fails is the one it explains.
  if (staleAddressOf(snapshot, from, gateway) !== undefined) {
    return makeFinding(definition, {
      severity: 'fail',
      subject,
      contexts,
      message:
        `${gatewayRef(gateway)} in ${from} points at ${dialled.join(', ') || 'no address'}, but ${to}'s ` +
        `east-west gateway is now at ${current.join(', ')}.`,
      evidence,
      remediation: {
        summary: `Re-link ${from} to ${to} so the remote Gateway carries ${to}'s current east-west address.`,
        commands: [`istioctl --context ${from} multicluster link --from ${from} --to ${to}`],
      },
    });
  }
  return makeFinding(definition, {
    severity: 'pass',
    subject,
    contexts,
    message:
      `${gatewayRef(gateway)} in ${from} points at ${to}'s current east-west address ${dialled.filter((a) => current.includes(a)).join(', ')}, ` +
      `and ${to} links back.`,
    evidence,
  });
}

function run(snapshot: MeshSnapshot, options: { precheck: boolean; istioNamespace: string }): Finding[] {
  const findings: Finding[] = [];
  const contexts = contextNames(snapshot);
  const readable = new Map<ContextId, string | undefined>(contexts.map((c) => [c, unreadable(snapshot, c, GATEWAYS)]));
  const links = new Map<ContextId, Map<ContextId, KubeObjectJson[]>>(contexts.map((c) => [c, linksOf(snapshot, c)]));
  for (const from of contexts) {
    const why = readable.get(from);
    if (why !== undefined) {
      findings.push(
        makeFinding(definition, {
          severity: 'unknown',
          subject: { context: from, kind: 'Gateway', name: 'istio-remote' },
          message: `Cannot tell which clusters ${from} links to: ${why}.`,
        }),
      );
      continue;
    }
    for (const [to, gateways] of links.get(from) ?? new Map<ContextId, KubeObjectJson[]>()) {
      const back = readable.get(to);
      if (back !== undefined) {
        findings.push(
          makeFinding(definition, {
            severity: 'unknown',
            subject: { context: to, kind: 'Gateway', name: 'istio-remote' },
            contexts: [from, to],
            message: `${from} links to ${to}, but whether ${to} links back cannot be read: ${back}.`,
          }),
        );
        continue;
      }
      if (!links.get(to)?.has(from)) {
        const name = expectedGatewayName(snapshot, to, from, options.istioNamespace);
        const namespace =
          gateways[0]?.metadata.namespace ?? eastWestGateways(snapshot, to)[0]?.metadata.namespace ?? options.istioNamespace;
        findings.push(
          makeFinding(definition, {
            severity: options.precheck ? 'warn' : 'fail',
            subject: { context: to, kind: 'Gateway', namespace, name },
            contexts: [to, from],
            message:
              `${from} links to ${to} (${gateways.map(gatewayRef).join(', ')}), but ${to} has no istio-remote ` +
              `Gateway for ${from}: the pair is linked one way only.`,
            evidence: gateways.map((g) => ({
              context: from,
              where: `${gatewayRef(g)} .metadata.labels`,
              value: JSON.stringify(g.metadata.labels ?? {}),
            })),
            remediation: {
              summary: `Link ${to} back to ${from}.`,
              commands: [`istioctl --context ${to} multicluster link --from ${to} --to ${from}`],
            },
          }),
        );
        continue;
      }
      for (const gateway of gateways) findings.push(addressFinding(snapshot, from, to, gateway));
    }
    for (const gateway of remoteGateways(snapshot, from)) {
      if (peerContextOf(snapshot, from, gateway) !== undefined) continue;
      findings.push(
        makeFinding(definition, {
          severity: 'info',
          subject: { context: from, kind: 'Gateway', namespace: gateway.metadata.namespace ?? '', name: gateway.metadata.name },
          message:
            `${gatewayRef(gateway)} points at a cluster outside the checked contexts (cluster ${gateway.metadata.labels?.['topology.istio.io/cluster'] ?? '?'}, ` +
            `${specAddresses(gateway).join(', ') || 'no address'}): symmetry not checked.`,
        }),
      );
    }
  }
  return findings;
}

export const peerSymmetryCheck: CheckDefinition = {
  ...definition,
  reads: [
    `${GATEWAYS}: istio-remote Gateways' topology.istio.io/cluster label and spec.addresses in every context`,
    'east-west Gateway status.addresses and services#eastwest load-balancer ingress of each peer',
    "each context's CLUSTER_ID (from istiod)",
  ],
  decides:
    'For every pair of checked contexts: if A has an istio-remote Gateway for B but B has none ' +
    'for A, the pair is linked one way only (fail, warn with --precheck; subject: the Gateway B ' +
    'is missing). ' +
    ("For pairs linked both ways, each remote Gateway must point at one of the peer's current east-west " +
      'addresses (fail otherwise; info when the peer has no address at all). ') +
    'Remote Gateways to clusters outside the checked contexts are listed as info.',
  remediation: 'Run `istioctl multicluster link --from <a> --to <b>` for the missing direction, or re-link when the peer address changed.',
  run,
};
