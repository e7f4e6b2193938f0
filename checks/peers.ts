// MC-PEER-001: is every istio-remote Gateway connected to its peer? Solo's peering controller
// writes gloo.solo.io/PeerConnected and PeeringSucceeded on each one; istioctl counts a peer
// as connected when neither is non-True, so a Gateway with no status at all passes there. Here
// it is `unknown`: nobody has said the peer is connected. The peering helpers at the bottom
// (which context a remote Gateway points at, the east-west addresses, why peering is off) are
// shared by the other multicluster checks so they all read a link the same way.
import type { CheckDefinition, CheckId, CheckOptions, Evidence, Finding, Severity } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { GATEWAYS } from '../src/feeds/watchedResources.ts';
import { makeFinding } from './makeFinding.ts';
import { certificateTrustCheck } from './certificateTrust.ts';
import { contextNames, field, objectsIn, records, text, unreadable } from './snapshotReads.ts';

export const PEER_CONNECTED = 'gloo.solo.io/PeerConnected';
export const PEERING_SUCCEEDED = 'gloo.solo.io/PeeringSucceeded';
export const PEER_DATA_PLANE_PROGRAMMED = 'gloo.solo.io/PeerDataPlaneProgrammed';
export const NETWORK_LABEL = 'topology.istio.io/network';
export const CLUSTER_LABEL = 'topology.istio.io/cluster';

const definition = {
  id: 'MC-PEER-001',
  title: 'Peers connected',
} as const;

export interface GatewayCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export function gatewayClassOf(gateway: KubeObjectJson): string | undefined {
  return text(field(gateway, 'spec', 'gatewayClassName'));
}

export function remoteGateways(snapshot: MeshSnapshot, context: ContextId): KubeObjectJson[] {
  return objectsIn(snapshot, context, GATEWAYS).filter((g) => gatewayClassOf(g) === 'istio-remote');
}

export function eastWestGateways(snapshot: MeshSnapshot, context: ContextId): KubeObjectJson[] {
  return objectsIn(snapshot, context, GATEWAYS).filter((g) => gatewayClassOf(g) === 'istio-eastwest');
}

export function conditionOf(gateway: KubeObjectJson, type: string): GatewayCondition | undefined {
  const found = records(field(gateway, 'status', 'conditions')).find((c) => c['type'] === type);
  if (!found) return undefined;
  return { type, status: text(found['status']) ?? '', reason: text(found['reason']) ?? '', message: text(found['message']) ?? '' };
}

/** `False Pending "not connected to peer"`: a condition as a user reads it. */
export function describeCondition(condition: GatewayCondition): string {
  return `${condition.status} ${condition.reason}${condition.message !== '' ? ` "${condition.message}"` : ''}`;
}

export function gatewayRef(gateway: KubeObjectJson): string {
  return `Gateway ${gateway.metadata.namespace ?? ''}/${gateway.metadata.name}`;
}

/** The addresses a remote Gateway tells istiod to dial (spec.addresses). */
export function specAddresses(gateway: KubeObjectJson): string[] {
  return records(field(gateway, 'spec', 'addresses'))
    .map((a) => text(a['value']))
    .filter((v): v is string => v !== undefined && v !== '');
}

/** Where peers can reach this context now: its east-west Gateways' status addresses and the LB ingress of their Service. */
export function eastWestAddresses(snapshot: MeshSnapshot, context: ContextId): string[] {
  const found = new Set<string>();
  for (const gateway of eastWestGateways(snapshot, context)) {
    for (const a of records(field(gateway, 'status', 'addresses'))) {
      const value = text(a['value']);
      if (value) found.add(value);
    }
  }
  for (const service of objectsIn(snapshot, context, 'services#eastwest')) {
    for (const ingress of records(field(service, 'status', 'loadBalancer', 'ingress'))) {
      const value = text(ingress['ip']) ?? text(ingress['hostname']);
      if (value) found.add(value);
    }
  }
  return [...found].sort();
}

/**
 * The loaded context a remote Gateway points at: by its topology.istio.io/cluster label (what
 * `link` writes) matched against each context's CLUSTER_ID, else by its address matching a
 * context's east-west address. Undefined when the peer is not among the loaded contexts.
 */
export function peerContextOf(snapshot: MeshSnapshot, from: ContextId, gateway: KubeObjectJson): ContextId | undefined {
  const others = contextNames(snapshot).filter((c) => c !== from);
  const cluster = gateway.metadata.labels?.[CLUSTER_LABEL];
  if (cluster !== undefined) {
    const byCluster = others.find((c) => snapshot.contexts[c]?.clusterId === cluster);
    if (byCluster !== undefined) return byCluster;
  }
  const addresses = specAddresses(gateway);
  return others.find((c) => eastWestAddresses(snapshot, c).some((a) => addresses.includes(a)));
}

/** The env of istiod's discovery container, from the watched Deployment; undefined when not read. */
export function istiodEnv(snapshot: MeshSnapshot, context: ContextId): Map<string, string> | undefined {
  if (unreadable(snapshot, context, 'deployments.apps#istiod') !== undefined) return undefined;
  const deployments = objectsIn(snapshot, context, 'deployments.apps#istiod');
  if (deployments.length === 0) return undefined;
  const env = new Map<string, string>();
  for (const deployment of deployments) {
    const containers = records(field(deployment, 'spec', 'template', 'spec', 'containers'));
    const discovery = containers.find((c) => c['name'] === 'discovery') ?? containers[0];
    for (const variable of records(discovery?.['env'])) {
      const name = text(variable['name']);
      const value = text(variable['value']);
      if (name !== undefined && value !== undefined) env.set(name, value);
    }
  }
  return env;
}

/**
 * Why istiod in this context runs no peering controller, when the snapshot proves it: the
 * peering env is off (MC-ENV-001) or the licence is not OK (MC-LIC-001). Symptoms of that
 * (no peer status, no generated entries, no subscription) name it as their explanation.
 */
export function peeringOff(snapshot: MeshSnapshot, context: ContextId): { check: CheckId; reason: string } | undefined {
  const env = istiodEnv(snapshot, context);
  if (env !== undefined && env.get('ENABLE_PEERING_DISCOVERY') !== 'true') {
    return { check: 'MC-ENV-001', reason: `istiod in ${context} does not have ENABLE_PEERING_DISCOVERY=true, so its peering controller is off` };
  }
  for (const [pod, fact] of Object.entries(snapshot.facts[context]?.license ?? {})) {
    if (fact.state === 'known' && fact.value.state !== 'OK') {
      return { check: 'MC-LIC-001', reason: `istiod ${pod} in ${context} reports licence state ${fact.value.state}, so the MultiCluster feature is skipped` };
    }
  }
  return undefined;
}

export type PeerState = 'connected' | 'disconnected' | 'noStatus';

/** Connected ⇔ PeerConnected and PeeringSucceeded are present and True; neither present ⇒ no status. */
export function peerStateOf(gateway: KubeObjectJson): PeerState {
  const gating = [conditionOf(gateway, PEER_CONNECTED), conditionOf(gateway, PEERING_SUCCEEDED)];
  if (gating.every((c) => c === undefined)) return 'noStatus';
  return gating.every((c) => c?.status === 'True') ? 'connected' : 'disconnected';
}

/**
 * Whether MC-CERT-001 fails for this context: the peer istiod rejects a client certificate from
 * a foreign root, so a disconnected peer is then a symptom of the trust problem. Computed at most
 * once per run.
 */
function trustFailsIn(snapshot: MeshSnapshot, options: CheckOptions): (context: ContextId) => boolean {
  let failing: Set<string> | undefined;
  return (context) => {
    if (failing === undefined) {
      failing = new Set();
      try {
        for (const f of certificateTrustCheck.run(snapshot, options)) if (f.severity === 'fail') for (const c of f.contexts) failing.add(c);
      } catch {
        // A crashed trust check proves nothing; the registry reports the crash itself.
      }
    }
    return failing.has(context);
  };
}

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

function checkGateway(snapshot: MeshSnapshot, context: ContextId, gateway: KubeObjectJson, precheck: boolean, trustFails: (c: ContextId) => boolean): Finding {
  const subject = { context, kind: 'Gateway', namespace: gateway.metadata.namespace ?? '', name: gateway.metadata.name };
  const { label, peer } = peerName(snapshot, context, gateway);
  const contexts = peer !== undefined ? [context, peer] : [context];
  const evidence = conditionEvidence(context, gateway);
  const relink = peer !== undefined ? [`istioctl --context ${context} multicluster link --from ${context} --to ${peer}`] : [];
  const inspect = [
    `kubectl --context ${context} -n ${subject.namespace} get gateway ${subject.name} -o yaml`,
    `kubectl --context ${context} -n istio-system logs deploy/istiod --since=15m | grep -E 'peering|deltaadsc'`,
  ];
  const state = peerStateOf(gateway);
  if (state === 'noStatus') {
    const off = peeringOff(snapshot, context);
    return {
      ...makeFinding(definition, {
        severity: 'unknown',
        subject,
        contexts,
        message: `${gatewayRef(gateway)} to ${label} has no ${PEER_CONNECTED} or ${PEERING_SUCCEEDED} condition: istiod's peering controller has not reported on it${off ? ` (${off.reason})` : ''}, so the link is not known to be up.`,
        evidence,
        remediation: { summary: 'Make sure istiod runs the peering controller (ENABLE_PEERING_DISCOVERY=true, valid licence), then re-check.', commands: inspect, actionId: 'rerun-checks' },
      }),
      ...(off ? { explainedBy: off.check } : {}),
    };
  }
  const dataPlane = conditionOf(gateway, PEER_DATA_PLANE_PROGRAMMED);
  const dataPlaneNote = dataPlane ? `; ${PEER_DATA_PLANE_PROGRAMMED} ${describeCondition(dataPlane)}` : '';
  if (state === 'disconnected') {
    const bad = [conditionOf(gateway, PEER_CONNECTED), conditionOf(gateway, PEERING_SUCCEEDED)]
      .filter((c): c is GatewayCondition => c !== undefined && c.status !== 'True')
      .map((c) => `${c.type} ${describeCondition(c)}`);
    const severity: Severity = precheck ? 'warn' : 'fail';
    const off = peeringOff(snapshot, context);
    const explainedBy: CheckId | undefined = off?.check ?? (trustFails(context) ? 'MC-CERT-001' : undefined);
    return {
      ...makeFinding(definition, {
        severity,
        subject,
        contexts,
        message: `${gatewayRef(gateway)} to ${label} is not connected: ${bad.join('; ')}${dataPlaneNote}.`,
        evidence,
        remediation: {
          summary: `Check that ports 15012 (xDS) and 15008 (HBONE) of ${label}'s east-west gateway (${specAddresses(gateway).join(', ') || 'no address'}) are reachable from ${context}, then re-link if the address changed.`,
          commands: [...relink, ...inspect],
          actionId: 'rerun-checks',
        },
      }),
      ...(explainedBy ? { explainedBy } : {}),
    };
  }
  if (dataPlane !== undefined && dataPlane.status !== 'True') {
    return makeFinding(definition, {
      severity: 'warn',
      subject,
      contexts,
      message: `${gatewayRef(gateway)} to ${label} is connected, but ${PEER_DATA_PLANE_PROGRAMMED} is ${describeCondition(dataPlane)}: cross-network traffic may not flow.`,
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
  const trustFails = trustFailsIn(snapshot, options);
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
      findings.push({
        ...makeFinding(definition, {
          severity: 'warn',
          subject: { context, kind: 'Gateway', name: 'istio-remote' },
          message: `no configured peers: ${context} has no Gateway of class istio-remote${options.precheck ? ' (expected before linking)' : ''}.`,
          remediation: {
            summary: 'Link this cluster to its peers.',
            commands: contextNames(snapshot)
              .filter((c) => c !== context)
              .map((peer) => `istioctl --context ${context} multicluster link --from ${context} --to ${peer}`),
          },
        }),
        ...(linkedFrom ? { explainedBy: 'MC-PEER-002' as const } : {}),
      });
      continue;
    }
    for (const gateway of gateways) findings.push(checkGateway(snapshot, context, gateway, options.precheck, trustFails));
  }
  return findings;
}

export const peersCheck: CheckDefinition = {
  ...definition,
  reads: [
    `${GATEWAYS} (class istio-remote): status.conditions ${PEER_CONNECTED}, ${PEERING_SUCCEEDED}, ${PEER_DATA_PLANE_PROGRAMMED}; spec.addresses`,
    'deployments.apps#istiod env and the licence fact (why a Gateway has no status)',
    'MC-CERT-001 findings (a foreign root behind a disconnected peer)',
  ],
  decides:
    `Each istio-remote Gateway passes when ${PEER_CONNECTED} and ${PEERING_SUCCEEDED} are both True, and fails when either is present and not True (reasons and messages quoted). ` +
    `A Gateway with neither condition is unknown (istioctl would count it as connected). ${PEER_DATA_PLANE_PROGRAMMED} is shown; not True on a connected peer is a warning. ` +
    'A context without istio-remote Gateways warns "no configured peers". With --precheck a disconnected peer warns instead of failing. ' +
    'A disconnected or silent peer names its explanation when one fails: MC-ENV-001 / MC-LIC-001 (no peering controller), MC-CERT-001 (foreign root).',
  remediation:
    'Make ports 15012 and 15008 of the peer east-west gateway reachable; re-run `istioctl multicluster link` if the peer address changed; make sure istiod runs the peering controller.',
  run,
};
