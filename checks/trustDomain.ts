// MC-TD-001: every cluster's workload identities are accepted by its peers. ztunnel checks the
// peer east-west gateway's certificate against `spiffe://<trust domain>/ns/<ns>/sa/<account>`
// built from the remote Gateway's `gateway.istio.io/trust-domain` annotation (istio-internals §5,
// §7: `istioctl multicluster link` writes the peer's trust domain there), and clusters in
// different trust domains need the skip-validation settings on istiod and ztunnel, or ztunnel
// logs `peer did not present the expected SAN` (istio/istio #58345, #61608; mission-anchors §4.2).
//
// Our guesses, not established facts: that a remote Gateway without the annotation is read as
// the local trust domain; that ztunnel's variable is `SKIP_VALIDATE_TRUST_DOMAIN` (the issue and
// Solo's examples name it; the reference only confirms istiod's `PILOT_SKIP_VALIDATE_TRUST_DOMAIN`);
// and that both must be set on every cluster of a link whose two trust domains differ.
//
// A cluster's trust domain is istiod's `TRUST_DOMAIN` env. The mesh ConfigMap is not watched, so
// without that env the value is Istio's default `cluster.local`, *assumed*: an assumption never
// turns into a failure, only into `unknown` saying what to look at.
import type { CheckDefinition, Evidence, Finding } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { makeFinding } from './makeFinding.ts';
import { contextNames, field, nameOf, objectsIn, records, text, unreadable } from './snapshotReads.ts';
import { DAEMONSETS, GATEWAYS, ISTIOD_DEPLOYMENTS } from '../src/store/resourceIds.ts';
import { gatewayRef, istiodEnv, peerContextOf, remoteGateways } from '../src/mesh/peering.ts';

export const TRUST_DOMAIN_ANNOTATION = 'gateway.istio.io/trust-domain';
const DEFAULT_TRUST_DOMAIN = 'cluster.local';
const ISTIOD_SKIP = 'PILOT_SKIP_VALIDATE_TRUST_DOMAIN';
const ZTUNNEL_SKIP = 'SKIP_VALIDATE_TRUST_DOMAIN';

interface TrustDomain {
  value: string;
  /** True when istiod sets no TRUST_DOMAIN and the default is taken on trust. */
  assumed: boolean;
  evidence: Evidence;
}

function istiodName(snapshot: MeshSnapshot, context: ContextId): string {
  return objectsIn(snapshot, context, ISTIOD_DEPLOYMENTS)[0]?.metadata.name ?? 'istiod';
}

/** The cluster's trust domain, or why it cannot be read. */
function trustDomainOf(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): TrustDomain | string {
  const env = istiodEnv(snapshot, context);
  if (env === undefined) {
    return unreadable(snapshot, context, ISTIOD_DEPLOYMENTS) ?? `no istiod Deployment (label app=istiod) in namespace ${istioNamespace}`;
  }
  const where = `Deployment ${istioNamespace}/${istiodName(snapshot, context)} container discovery env TRUST_DOMAIN`;
  const value = env.get('TRUST_DOMAIN');
  if (value !== undefined && value !== '') return { value, assumed: false, evidence: { context, where, value } };
  return {
    value: DEFAULT_TRUST_DOMAIN,
    assumed: true,
    evidence: { context, where, value: `(not set; the mesh config's trustDomain is not read, so ${DEFAULT_TRUST_DOMAIN} is assumed)` },
  };
}

function gatewaySubject(context: ContextId, gateway: KubeObjectJson) {
  return { context, kind: 'Gateway', namespace: gateway.metadata.namespace ?? '', name: gateway.metadata.name };
}

function annotateCommand(context: ContextId, gateway: KubeObjectJson, value: string): string {
  return (
    `kubectl --context ${context} -n ${gateway.metadata.namespace ?? ''} annotate gateway ${gateway.metadata.name} ` +
    `${TRUST_DOMAIN_ANNOTATION}=${value} --overwrite`
  );
}

function checkRemoteGateway(
  snapshot: MeshSnapshot,
  context: ContextId,
  gateway: KubeObjectJson,
  local: TrustDomain | string,
  istioNamespace: string,
): Finding | undefined {
  const peer = peerContextOf(snapshot, context, gateway);
  // A peer outside the loaded contexts has no trust domain to compare with.
  if (peer === undefined) return undefined;
  const subject = gatewaySubject(context, gateway);
  const where = `${gatewayRef(gateway)} .metadata.annotations["${TRUST_DOMAIN_ANNOTATION}"]`;
  const annotation = gateway.metadata.annotations?.[TRUST_DOMAIN_ANNOTATION];
  const evidence: Evidence[] = [{ context, where, value: annotation ?? '(absent)' }];
  const remote = trustDomainOf(snapshot, peer, istioNamespace);
  if (typeof remote === 'string') {
    return makeFinding(trustDomainCheck, {
      severity: 'unknown',
      subject,
      contexts: [context, peer],
      evidence,
      message: `cannot tell whether ${gatewayRef(gateway)} names ${peer}'s trust domain: ${remote}`,
    });
  }
  evidence.push(remote.evidence);
  // Without the annotation the peer is taken to be in our own trust domain (see the header).
  const expectedHere = annotation ?? (typeof local === 'string' ? undefined : local.value);
  if (expectedHere === remote.value) {
    return makeFinding(trustDomainCheck, {
      severity: 'pass',
      subject,
      contexts: [context, peer],
      evidence,
      message:
        `${gatewayRef(gateway)} expects ${peer}'s gateway in trust domain ${remote.value}, which is ${peer}'s` +
        `${remote.assumed ? ' (assumed default)' : ''} trust domain`,
    });
  }
  const said =
    annotation === undefined ? `has no ${TRUST_DOMAIN_ANNOTATION} annotation` : `says ${TRUST_DOMAIN_ANNOTATION}="${annotation}"`;
  const remediation = {
    summary:
      `Set the annotation to ${peer}'s trust domain (what \`istioctl multicluster link\` writes from the peer's mesh config), ` +
      `or re-run the link; ztunnel then expects the SAN the peer's east-west gateway presents.`,
    commands: [annotateCommand(context, gateway, remote.value)],
  };
  if (remote.assumed || expectedHere === undefined) {
    return makeFinding(trustDomainCheck, {
      severity: 'unknown',
      subject,
      contexts: [context, peer],
      evidence,
      message:
        `${gatewayRef(gateway)} ${said}, and ${peer}'s trust domain is not known for sure ` +
        `(istiod sets no TRUST_DOMAIN; compare with \`kubectl --context ${peer} -n ${istioNamespace} get configmap istio -o jsonpath='{.data.mesh}'\`)`,
      remediation,
    });
  }
  return makeFinding(trustDomainCheck, {
    severity: 'fail',
    subject,
    contexts: [context, peer],
    evidence,
    message:
      `${gatewayRef(gateway)} ${said}, but ${peer}'s trust domain is "${remote.value}": ztunnel in ${context} expects the peer's ` +
      `east-west gateway as spiffe://${expectedHere}/… and rejects the spiffe://${remote.value}/… certificate it presents ` +
      `(SAN mismatch); change .metadata.annotations["${TRUST_DOMAIN_ANNOTATION}"] to "${remote.value}"`,
    remediation,
  });
}

/** The contexts linked with this one either way (its remote Gateways, and peers' Gateways that point here). */
function linkedPeers(snapshot: MeshSnapshot, context: ContextId): ContextId[] {
  const found = new Set<ContextId>();
  for (const gateway of remoteGateways(snapshot, context)) {
    const peer = peerContextOf(snapshot, context, gateway);
    if (peer !== undefined) found.add(peer);
  }
  for (const other of contextNames(snapshot)) {
    if (other === context) continue;
    if (remoteGateways(snapshot, other).some((g) => peerContextOf(snapshot, other, g) === context)) found.add(other);
  }
  return [...found].sort();
}

function ztunnelDaemonSets(snapshot: MeshSnapshot, context: ContextId): KubeObjectJson[] {
  return objectsIn(snapshot, context, DAEMONSETS).filter(
    (d) => d.metadata.labels?.['app'] === 'ztunnel' || d.metadata.labels?.['app.kubernetes.io/name'] === 'ztunnel',
  );
}

function ztunnelContainer(daemonSet: KubeObjectJson): Record<string, unknown> | undefined {
  const containers = records(field(daemonSet, 'spec', 'template', 'spec', 'containers'));
  return containers.find((c) => c['name'] === 'istio-proxy') ?? containers[0];
}

function envValue(container: Record<string, unknown> | undefined, name: string): string | undefined {
  return text(records(container?.['env']).find((e) => e['name'] === name)?.['value']);
}

function skipValidationFindings(snapshot: MeshSnapshot, context: ContextId, local: TrustDomain, istioNamespace: string): Finding[] {
  const deployment = istiodName(snapshot, context);
  const istiodSubject = { context, kind: 'Deployment', namespace: istioNamespace, name: deployment };
  const peers = linkedPeers(snapshot, context);
  const domains = peers.map((peer) => ({ peer, domain: trustDomainOf(snapshot, peer, istioNamespace) }));
  const differing = domains.filter(
    (d): d is { peer: ContextId; domain: TrustDomain } => typeof d.domain !== 'string' && d.domain.value !== local.value,
  );
  const evidence: Evidence[] = [local.evidence, ...differing.map((d) => d.domain.evidence)];
  if (differing.length === 0) {
    const unread = domains.filter((d) => typeof d.domain === 'string').map((d) => d.peer);
    return [
      makeFinding(trustDomainCheck, {
        severity: unread.length > 0 ? 'unknown' : 'pass',
        subject: istiodSubject,
        evidence,
        message:
          peers.length === 0
            ? `trust domain ${local.value}${local.assumed ? ' (assumed default)' : ''}; no linked peer to compare with`
            : unread.length > 0
              ? `trust domain ${local.value}; the trust domain of ${unread.join(', ')} cannot be read, so whether skip-validation is needed is unknown`
              : `trust domain ${local.value}${local.assumed ? ' (assumed default)' : ''}, the same as ${peers.join(', ')}: skip-validation is not needed`,
      }),
    ];
  }
  const theirs = differing.map((d) => `${d.peer} uses "${d.domain.value}"`).join(', ');
  const why = `${context} is in trust domain "${local.value}" but ${theirs}`;
  if (local.assumed || differing.some((d) => d.domain.assumed)) {
    return [
      makeFinding(trustDomainCheck, {
        severity: 'unknown',
        subject: istiodSubject,
        contexts: [context, ...differing.map((d) => d.peer)],
        evidence,
        message: `${why}, but one side's trust domain is only assumed (istiod sets no TRUST_DOMAIN); read the mesh config's trustDomain to be sure`,
      }),
    ];
  }
  const findings: Finding[] = [];
  const env = istiodEnv(snapshot, context);
  const istiodSkip = env?.get(ISTIOD_SKIP);
  const istiodWhere = `Deployment ${istioNamespace}/${deployment} container discovery env ${ISTIOD_SKIP}`;
  findings.push(
    istiodSkip === 'true'
      ? makeFinding(trustDomainCheck, {
          severity: 'pass',
          subject: istiodSubject,
          evidence: [...evidence, { context, where: istiodWhere, value: istiodSkip }],
          message: `${why}; istiod has ${ISTIOD_SKIP}=true`,
        })
      : makeFinding(trustDomainCheck, {
          severity: 'fail',
          subject: istiodSubject,
          evidence: [...evidence, { context, where: istiodWhere, value: istiodSkip === undefined ? '(not set)' : `"${istiodSkip}"` }],
          message:
            `${why}, and istiod ${istioNamespace}/${deployment} does not have ${ISTIOD_SKIP}=true ` +
            `(${istiodSkip === undefined ? 'not set' : `it is "${istiodSkip}"`}): identities from the other trust domain are rejected`,
          remediation: {
            summary:
              `Set ${ISTIOD_SKIP}=true on istiod, as the install guide does for clusters in different trust domains; make it ` +
              `last through the istiod Helm release (pilot.env.${ISTIOD_SKIP}=true), the kubectl command changes the running Deployment only.`,
            commands: [
              `kubectl --context ${context} -n ${istioNamespace} set env deployment/${deployment} -c discovery ${ISTIOD_SKIP}=true`,
            ],
          },
        }),
  );
  const dsWhy = unreadable(snapshot, context, DAEMONSETS);
  const daemonSets = dsWhy === undefined ? ztunnelDaemonSets(snapshot, context) : [];
  if (daemonSets.length === 0) {
    findings.push(
      makeFinding(trustDomainCheck, {
        severity: 'unknown',
        subject: { context, kind: 'DaemonSet', namespace: istioNamespace, name: 'ztunnel' },
        evidence,
        message: `${why}; cannot tell whether ztunnel has ${ZTUNNEL_SKIP}=true: ${dsWhy ?? 'no ztunnel DaemonSet found'}`,
      }),
    );
  }
  for (const ds of daemonSets) {
    const container = ztunnelContainer(ds);
    const value = envValue(container, ZTUNNEL_SKIP);
    const subject = { context, kind: 'DaemonSet', namespace: ds.metadata.namespace ?? '', name: ds.metadata.name };
    const where = `DaemonSet ${nameOf(ds)} container ${text(container?.['name']) ?? '?'} env ${ZTUNNEL_SKIP}`;
    findings.push(
      value === 'true'
        ? makeFinding(trustDomainCheck, {
            severity: 'pass',
            subject,
            evidence: [...evidence, { context, where, value }],
            message: `${why}; ztunnel ${nameOf(ds)} has ${ZTUNNEL_SKIP}=true`,
          })
        : makeFinding(trustDomainCheck, {
            severity: 'fail',
            subject,
            evidence: [...evidence, { context, where, value: value === undefined ? '(not set)' : `"${value}"` }],
            message:
              `${why}, and ztunnel ${nameOf(ds)} does not have ${ZTUNNEL_SKIP}=true: it expects peers' east-west gateways ` +
              `in spiffe://${local.value}/… and rejects their certificates (SAN mismatch)`,
            remediation: {
              summary:
                `Set ${ZTUNNEL_SKIP}=true on ztunnel; make it last through the ztunnel Helm release (env.${ZTUNNEL_SKIP}=true), ` +
                `the kubectl command changes the running DaemonSet only.`,
              commands: [
                `kubectl --context ${context} -n ${ds.metadata.namespace ?? ''} set env daemonset/${ds.metadata.name} ` +
                  `-c ${text(container?.['name']) ?? 'istio-proxy'} ${ZTUNNEL_SKIP}=true`,
              ],
            },
          }),
    );
  }
  return findings;
}

export const trustDomainCheck: CheckDefinition = {
  id: 'MC-TD-001',
  title: 'Trust domains agree',
  reads: [
    'deployments.apps (app=istiod): discovery env TRUST_DOMAIN and PILOT_SKIP_VALIDATE_TRUST_DOMAIN',
    'gateways.gateway.networking.k8s.io (class istio-remote): annotation gateway.istio.io/trust-domain',
    'daemonsets.apps (ztunnel): env SKIP_VALIDATE_TRUST_DOMAIN',
  ],
  decides:
    "Fails when an istio-remote Gateway's gateway.istio.io/trust-domain annotation is not the trust domain of the peer it " +
    'points at (istiod TRUST_DOMAIN there), and when linked clusters are in different trust domains but istiod lacks ' +
    'PILOT_SKIP_VALIDATE_TRUST_DOMAIN=true or ztunnel lacks SKIP_VALIDATE_TRUST_DOMAIN=true. Unknown when a trust domain ' +
    "cannot be read, or is only assumed (istiod sets no TRUST_DOMAIN and the mesh config's trustDomain is not read) and " +
    'the answer depends on it. ztunnel SAN / trust-domain mismatch log lines are its symptoms.',
  remediation:
    "Annotate the remote Gateway with the peer's trust domain (or re-run istioctl multicluster link); with different " +
    'trust domains, set the skip-validation env on istiod and ztunnel through their Helm releases.',
  run(snapshot: MeshSnapshot, options) {
    const findings: Finding[] = [];
    for (const context of contextNames(snapshot)) {
      const local = trustDomainOf(snapshot, context, options.istioNamespace);
      const gatewaysWhy = unreadable(snapshot, context, GATEWAYS);
      if (gatewaysWhy !== undefined) {
        findings.push(
          makeFinding(trustDomainCheck, {
            severity: 'unknown',
            subject: { context, kind: 'Gateway', name: 'istio-remote' },
            message: `cannot read the remote Gateways' trust-domain annotations: ${gatewaysWhy}`,
          }),
        );
      } else {
        for (const gateway of remoteGateways(snapshot, context)) {
          const finding = checkRemoteGateway(snapshot, context, gateway, local, options.istioNamespace);
          if (finding !== undefined) findings.push(finding);
        }
      }
      if (typeof local === 'string') {
        findings.push(
          makeFinding(trustDomainCheck, {
            severity: 'unknown',
            subject: { context, kind: 'Deployment', namespace: options.istioNamespace, name: 'istiod' },
            message: `cannot read ${context}'s trust domain: ${local}`,
          }),
        );
      } else {
        findings.push(...skipValidationFindings(snapshot, context, local, options.istioNamespace));
      }
    }
    return findings;
  },
};
