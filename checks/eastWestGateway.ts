// MC-EW-001: every cluster needs a programmed east-west Gateway (class istio-eastwest) with an
// address peers can dial (mission-anchors §1.3 Gateway Check, §4.3; istio-internals §7.2).
// The mode (LoadBalancer or NodePort) is read from its Service so a missing address comes with
// the reason: a LoadBalancer nobody assigned an ingress to, or a NodePort Service.
import type { CheckDefinition, Evidence, Finding, Severity } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { EASTWEST_SERVICES, GATEWAYS } from '../src/store/resourceIds.ts';
import { DATA_PLANE_SERVICE_TYPE, eastWestModeOf, eastWestServiceOf, ingressOf } from '../src/mesh/eastWestService.ts';
import { makeFinding, worse } from './makeFinding.ts';
import { contextNames, field, objectsIn, records, text, unreadable } from './snapshotReads.ts';

const SERVICES = EASTWEST_SERVICES;

function classOf(gateway: KubeObjectJson): string | undefined {
  return text(field(gateway, 'spec', 'gatewayClassName'));
}

interface ModeReading {
  mode: string;
  evidence: Evidence[];
  /** Why the gateway has no usable address, when the Service explains it. */
  noAddressReason?: string;
}

function readMode(
  context: ContextId,
  gateway: KubeObjectJson,
  services: KubeObjectJson[] | undefined,
  servicesWhy: string | undefined,
): ModeReading {
  const annotated = gateway.metadata.annotations?.[DATA_PLANE_SERVICE_TYPE];
  if (services === undefined)
    return { mode: annotated ?? 'unknown', evidence: [], noAddressReason: `its Service cannot be read: ${servicesWhy ?? ''}` };
  const service = eastWestServiceOf(gateway, services);
  if (!service) {
    return {
      mode: annotated ?? 'unknown',
      evidence: [],
      noAddressReason:
        `no Service labelled istio.io/expose-istiod was found for it in namespace ${gateway.metadata.namespace ?? ''}: ` +
        `Istio has not deployed the gateway, or its Service lacks the label`,
    };
  }
  const type = text(field(service, 'spec', 'type')) ?? 'ClusterIP';
  const mode = eastWestModeOf(gateway, service);
  const where = `Service ${service.metadata.namespace ?? ''}/${service.metadata.name}`;
  const evidence: Evidence[] = [{ context, where: `${where} .spec.type`, value: type }];
  if (type === 'LoadBalancer') {
    const ingress = ingressOf(service);
    evidence.push({ context, where: `${where} .status.loadBalancer.ingress`, value: ingress.length > 0 ? ingress.join(', ') : '(none)' });
    // Solo's NodePort recipe: the LoadBalancer address carries xDS, node ports carry the data plane.
    const nodePortDataPlane = annotated?.toLowerCase() === 'nodeport';
    if (nodePortDataPlane)
      evidence.push({ context, where: `Gateway .metadata.annotations[${DATA_PLANE_SERVICE_TYPE}]`, value: annotated ?? '' });
    return {
      mode,
      evidence,
      ...(ingress.length === 0 && {
        noAddressReason:
          'its LoadBalancer Service has no ingress address (EXTERNAL-IP <pending>): the platform has ' +
          'not assigned one (no LoadBalancer controller, quota, or an ELB hostname still propagating)',
      }),
    };
  }
  if (type === 'NodePort' || annotated?.toLowerCase() === 'nodeport') {
    return {
      mode,
      evidence,
      noAddressReason:
        'NodePort mode: the address is a node address, which istiod has not reported (node address ' +
        'discovery may have failed; istiod needs RBAC to list nodes)',
    };
  }
  return {
    mode,
    evidence,
    noAddressReason:
      `its Service is of type ${type}, which peers in other clusters cannot reach; use LoadBalancer, ` +
      `or NodePort with ${DATA_PLANE_SERVICE_TYPE}: nodeport`,
  };
}

function checkGateway(
  context: ContextId,
  gateway: KubeObjectJson,
  services: KubeObjectJson[] | undefined,
  servicesWhy: string | undefined,
): Finding {
  const ns = gateway.metadata.namespace ?? '';
  const name = gateway.metadata.name;
  const subject = { context, kind: 'Gateway', namespace: ns, name };
  const where = `Gateway ${ns}/${name}`;
  const conditions = records(field(gateway, 'status', 'conditions'));
  const programmed = conditions.find((c) => c['type'] === 'Programmed');
  const addresses = records(field(gateway, 'status', 'addresses'))
    .map((a) => text(a['value']))
    .filter((v): v is string => v !== undefined && v !== '');
  const mode = readMode(context, gateway, services, servicesWhy);
  const evidence: Evidence[] = [
    {
      context,
      where: `${where} .status.conditions[Programmed]`,
      value: programmed
        ? `${text(programmed['status']) ?? ''} ${text(programmed['reason']) ?? ''}: ${text(programmed['message']) ?? ''}`.trim()
        : '(absent)',
    },
    { context, where: `${where} .status.addresses`, value: addresses.length > 0 ? addresses.join(', ') : '(none)' },
    ...mode.evidence,
  ];
  let severity: Severity = 'pass';
  const problems: string[] = [];
  if (!programmed) {
    severity = 'unknown';
    problems.push('it has no Programmed condition yet (no controller has reconciled it: is istiod running?)');
  } else if (programmed['status'] !== 'True') {
    severity = 'fail';
    problems.push(
      `Programmed is ${text(programmed['status']) ?? ''} with reason ${text(programmed['reason']) ?? ''}: "${text(programmed['message']) ?? ''}"`,
    );
  }
  if (addresses.length === 0) {
    severity = worse(severity, 'fail');
    problems.push(`it has no address${mode.noAddressReason ? `: ${mode.noAddressReason}` : ''}`);
  }
  if (severity === 'pass') {
    return makeFinding(eastWestGatewayCheck, {
      severity,
      subject,
      evidence,
      message: `${where} is programmed, ${mode.mode} mode, address ${addresses.join(', ')}`,
    });
  }
  return makeFinding(eastWestGatewayCheck, {
    severity,
    subject,
    evidence,
    message: `${where} (${mode.mode} mode): ${problems.join('; ')}. Peers have nothing to dial until it is programmed with an address.`,
    remediation: {
      summary:
        mode.mode === 'LoadBalancer'
          ? 'Give the LoadBalancer Service an external address (install a LoadBalancer controller such ' +
            'as MetalLB or cloud-provider support, or fix the quota), or switch the east-west gateway to ' +
            'NodePort peering; then re-link the peers.'
          : 'Make the east-west gateway reachable from the other clusters (LoadBalancer, or NodePort with ' +
            'the peering annotations) and check the Gateway status; then re-link the peers.',
      commands: [
        `kubectl --context ${context} -n ${ns} get gateway ${name} -o yaml`,
        `kubectl --context ${context} -n ${ns} get service -l istio.io/expose-istiod -o wide`,
        `kubectl --context ${context} -n ${ns} describe service ${name}`,
      ],
    },
  });
}

export const eastWestGatewayCheck: CheckDefinition = {
  id: 'MC-EW-001',
  title: 'East-west gateway programmed with an address',
  reads: [
    'gateways.gateway.networking.k8s.io (class istio-eastwest): Programmed condition, status.addresses',
    'services labelled istio.io/expose-istiod: type and LoadBalancer ingress',
  ],
  decides:
    'Per context: fails when there is no Gateway of class istio-eastwest, when its Programmed condition ' +
    'is not True (reason and message quoted), or when it has no status address (with the reason ' +
    'read from its Service: LoadBalancer without ingress, NodePort without a node address, or an ' +
    'unreachable type). Unknown when Gateways cannot be read or the Gateway has no Programmed condition ' +
    'yet.',
  remediation: 'Expose the east-west gateway (istioctl multicluster expose) with a LoadBalancer that gets an address, or NodePort peering.',
  run(snapshot: MeshSnapshot) {
    const findings: Finding[] = [];
    for (const context of contextNames(snapshot)) {
      const why = unreadable(snapshot, context, GATEWAYS);
      if (why !== undefined) {
        findings.push(
          makeFinding(eastWestGatewayCheck, {
            severity: 'unknown',
            subject: { context, kind: 'Gateway', name: 'istio-eastwest' },
            message: `cannot read the east-west Gateway: ${why}`,
          }),
        );
        continue;
      }
      const eastWest = objectsIn(snapshot, context, GATEWAYS).filter((g) => classOf(g) === 'istio-eastwest');
      if (eastWest.length === 0) {
        findings.push(
          makeFinding(eastWestGatewayCheck, {
            severity: 'fail',
            subject: { context, kind: 'Gateway', name: 'istio-eastwest' },
            message: 'no configured eastwest gateways: no Gateway of class istio-eastwest exists, so no peer can reach this cluster',
            remediation: {
              summary:
                'Create the east-west Gateway with istioctl multicluster expose (it needs the topology.istio.io/network ' +
                'label on the istio namespace).',
              commands: [`istioctl --context ${context} multicluster expose --namespace istio-eastwest --wait`],
            },
          }),
        );
        continue;
      }
      const servicesWhy = unreadable(snapshot, context, SERVICES);
      const services = servicesWhy === undefined ? objectsIn(snapshot, context, SERVICES) : undefined;
      for (const gateway of eastWest) findings.push(checkGateway(context, gateway, services, servicesWhy));
    }
    return findings;
  },
};
