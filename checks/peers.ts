// MC-PEER-001: is every istio-remote Gateway connected to its peer? Solo's peering controller
// writes gloo.solo.io/PeerConnected and PeeringSucceeded on each one; istioctl counts a peer
// as connected when neither is non-True, so a Gateway with no status at all passes there. Here
// it is `unknown`: nobody has said the peer is connected. How a link is read (which context a
// remote Gateway points at, its conditions, why peering is off) is src/mesh/peering.ts.
import type { CheckDefinition, CheckOptions, Evidence, Finding, Severity, SymptomOf } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { GATEWAYS } from '../src/store/resourceIds.ts';
import {
  conditionOf,
  describeCondition,
  gatewayRef,
  NETWORK_LABEL,
  PEER_CONNECTED,
  PEER_DATA_PLANE_PROGRAMMED,
  PEERING_SUCCEEDED,
  peerContextOf,
  peeringOff,
  peerStateOf,
  remoteGateways,
  specAddresses,
  staleAddressOf,
  type GatewayCondition,
} from '../src/mesh/peering.ts';
import { makeFinding } from './makeFinding.ts';
import { contextNames, unreadable } from './snapshotReads.ts';
import { peeringOffSymptom } from './peeringSymptoms.ts';

const definition = {
  id: 'MC-PEER-001',
  title: 'Peers connected',
} as const;

function conditionEvidence(context: string, gateway: KubeObjectJson): Evidence[] {
  const evidence: Evidence[] = [];
  for (const type of [PEER_CONNECTED, PEERING_SUCCEEDED, PEER_DATA_PLANE_PROGRAMMED]) {
    const condition = conditionOf(gateway, type);
    evidence.push({
      context,
      where: `${gatewayRef(gateway)} .status.conditions[type=${type}]`,
      value: condition ? describeCondition(condition) : '(absent)',
    });
  }
  evidence.push({ context, where: `${gatewayRef(gateway)} .spec.addresses`, value: specAddresses(gateway).join(', ') || '(none)' });
  return evidence;
}

function peerName(snapshot: MeshSnapshot, context: ContextId, gateway: KubeObjectJson): { label: string; peer: ContextId | undefined } {
  const peer = peerContextOf(snapshot, context, gateway);
  const network = gateway.metadata.labels?.[NETWORK_LABEL];
  const label = peer ?? `network ${network ?? '(unlabelled)'}`;
  return { label, peer };
}

function checkGateway(snapshot: MeshSnapshot, context: ContextId, gateway: KubeObjectJson, options: CheckOptions): Finding {
  const subject = { context, kind: 'Gateway', namespace: gateway.metadata.namespace ?? '', name: gateway.metadata.name };
  const { label, peer } = peerName(snapshot, context, gateway);
  const contexts = peer !== undefined ? [context, peer] : [context];
  const evidence = conditionEvidence(context, gateway);
  const relink = peer !== undefined ? [`istioctl --context ${context} multicluster link --from ${context} --to ${peer}`] : [];
  const inspect = [
    `kubectl --context ${context} -n ${subject.namespace} get gateway ${subject.name} -o yaml`,
    `kubectl --context ${context} -n ${options.istioNamespace} logs deploy/istiod --since=15m | grep -E 'peering|deltaadsc'`,
  ];
  const state = peerStateOf(gateway);
  if (state === 'noStatus') {
    const off = peeringOff(snapshot, context, options.istioNamespace);
    return makeFinding(definition, {
      severity: 'unknown',
      subject,
      contexts,
      message:
        `${gatewayRef(gateway)} to ${label} has no ${PEER_CONNECTED} or ${PEERING_SUCCEEDED} condition: ` +
        `istiod's peering controller has not reported on it${off ? ` (${off.reason})` : ''}, so the ` +
        `link is not known to be up.`,
      evidence,
      remediation: {
        summary: 'Make sure istiod runs the peering controller (ENABLE_PEERING_DISCOVERY=true, valid licence), then re-check.',
        commands: inspect,
        actionId: 'rerun-checks',
      },
      ...(off ? { symptomOf: peeringOffSymptom(off, context) } : {}),
    });
  }
  const dataPlane = conditionOf(gateway, PEER_DATA_PLANE_PROGRAMMED);
  const dataPlaneNote = dataPlane ? `; ${PEER_DATA_PLANE_PROGRAMMED} ${describeCondition(dataPlane)}` : '';
  if (state === 'disconnected') {
    const bad = [conditionOf(gateway, PEER_CONNECTED), conditionOf(gateway, PEERING_SUCCEEDED)]
      .filter((c): c is GatewayCondition => c !== undefined && c.status !== 'True')
      .map((c) => `${c.type} ${describeCondition(c)}`);
    const severity: Severity = options.precheck ? 'warn' : 'fail';
    const off = peeringOff(snapshot, context, options.istioNamespace);
    // Dialling an address the peer no longer has is proof; otherwise a peer istiod rejecting a
    // client certificate from a foreign root makes a disconnect a trust problem.
    const stale = staleAddressOf(snapshot, context, gateway);
    const symptomOf: SymptomOf = off
      ? peeringOffSymptom(off, context)
      : stale !== undefined
        ? { kind: 'stale-peer-address', contexts: [context] }
        : { kind: 'peer-disconnected', contexts: [context] };
    return makeFinding(definition, {
      severity,
      subject,
      contexts,
      message: `${gatewayRef(gateway)} to ${label} is not connected: ${bad.join('; ')}${dataPlaneNote}.`,
      evidence,
      remediation: {
        summary:
          `Check that ports 15012 (xDS) and 15008 (HBONE) of ${label}'s east-west gateway (${specAddresses(gateway).join(', ') || 'no address'}) ` +
          `are reachable from ${context}, then re-link if the address changed.`,
        commands: [...relink, ...inspect],
        actionId: 'rerun-checks',
      },
      symptomOf,
    });
  }
  if (dataPlane !== undefined && dataPlane.status !== 'True') {
    return makeFinding(definition, {
      severity: 'warn',
      subject,
      contexts,
      message:
        `${gatewayRef(gateway)} to ${label} is connected, but ${PEER_DATA_PLANE_PROGRAMMED} is ${describeCondition(dataPlane)}: ` +
        `cross-network traffic may not flow.`,
      evidence,
      remediation: { summary: 'Check the east-west gateway listeners (HBONE on 15008) of the peer.', commands: inspect },
    });
  }
  return makeFinding(definition, {
    severity: 'pass',
    subject,
    contexts,
    message: `${gatewayRef(gateway)} to ${label} is connected (${PEER_CONNECTED} and ${PEERING_SUCCEEDED} True)${dataPlaneNote}.`,
    evidence,
  });
}

function run(snapshot: MeshSnapshot, options: CheckOptions): Finding[] {
  const findings: Finding[] = [];
  for (const context of contextNames(snapshot)) {
    const why = unreadable(snapshot, context, GATEWAYS);
    if (why !== undefined) {
      findings.push(
        makeFinding(definition, {
          severity: 'unknown',
          subject: { context, kind: 'Gateway', name: 'istio-remote' },
          message: `Cannot read the istio-remote Gateways of ${context}: ${why}.`,
        }),
      );
      continue;
    }
    const gateways = remoteGateways(snapshot, context);
    if (gateways.length === 0) {
      // When a loaded peer links here, the missing way back is MC-PEER-002's finding.
      const linkedFrom = contextNames(snapshot).some(
        (other) => other !== context && remoteGateways(snapshot, other).some((g) => peerContextOf(snapshot, other, g) === context),
      );
      findings.push(
        makeFinding(definition, {
          severity: 'warn',
          subject: { context, kind: 'Gateway', name: 'istio-remote' },
          message: `no configured peers: ${context} has no Gateway of class istio-remote${options.precheck ? ' (expected before linking)' : ''}.`,
          remediation: {
            summary: 'Link this cluster to its peers.',
            commands: contextNames(snapshot)
              .filter((c) => c !== context)
              .map((peer) => `istioctl --context ${context} multicluster link --from ${context} --to ${peer}`),
          },
          ...(linkedFrom ? { symptomOf: { kind: 'missing-way-back', contexts: [context] } } : {}),
        }),
      );
      continue;
    }
    for (const gateway of gateways) findings.push(checkGateway(snapshot, context, gateway, options));
  }
  return findings;
}

export const peersCheck: CheckDefinition = {
  ...definition,
  reads: [
    `${GATEWAYS} (class istio-remote): status.conditions ${PEER_CONNECTED}, ${PEERING_SUCCEEDED}, ${PEER_DATA_PLANE_PROGRAMMED}; spec.addresses`,
    'deployments.apps#istiod env and the licence fact (why a Gateway has no status)',
  ],
  decides:
    `Each istio-remote Gateway passes when ${PEER_CONNECTED} and ${PEERING_SUCCEEDED} are both ` +
    `True, and fails when either is present and not True (reasons and messages quoted). ` +
    (`A Gateway with neither condition is unknown (istioctl would count it as connected). ${PEER_DATA_PLANE_PROGRAMMED} ` +
      `is shown; not True on a connected peer is a warning. `) +
    'A context without istio-remote Gateways warns "no configured peers". With --precheck a disconnected peer warns instead of failing. ' +
    ('A disconnected or silent peer is a symptom of no peering controller (MC-ENV-001 / MC-LIC-001 / MC-NET-001), ' +
      'of a stale peer address (MC-PEER-002) or of a foreign root (MC-CERT-001) when those fail (checks/explanations.ts).'),
  remediation:
    'Make ports 15012 and 15008 of the peer east-west gateway reachable; re-run `istioctl multicluster ' +
    'link` if the peer address changed; make sure istiod runs the peering controller.',
  run,
};
