// MC-SVC-001: a Service becomes global with solo.io/service-scope (on the Service, or on its
// Namespace; the Service's label wins), and istiod then generates ServiceEntry
// `autogen.<ns>.<svc>` (`autogen.<segment>.<ns>.<svc>` with segments) in every peered cluster.
// The classic failure is the label on one side only ("global service has no remote endpoints")
// or no generated entry at all; this check lays out, per global service, where it is labelled
// and where its ServiceEntry exists.
import type { CheckDefinition, CheckOptions, Evidence, Finding, SymptomOf } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { makeFinding } from './makeFinding.ts';
import { contextNames, objectsIn, unreadable } from './snapshotReads.ts';
import { peerContextOf, peeringOff, peerStateOf, remoteGateways } from '../src/mesh/peering.ts';
import { GLOBAL_SERVICES, NAMESPACES, SERVICE_ENTRIES } from '../src/store/resourceIds.ts';
import { objectKey } from '../src/store/objectKey.ts';
import { peeringOffSymptom } from './peeringSymptoms.ts';

const definition = {
  id: 'MC-SVC-001',
  title: 'Global services generated',
} as const;

const SCOPE_LABEL = 'solo.io/service-scope';
const GLOBAL_SCOPES: readonly string[] = ['global', 'global-only', 'segment'];

interface GlobalService {
  namespace: string;
  name: string;
  /** Context → scope value and where it came from. */
  labelled: Map<ContextId, { scope: string; from: 'Service' | 'Namespace' }>;
}

function namespaceScope(snapshot: MeshSnapshot, context: ContextId, namespace: string): string | undefined {
  return snapshot.contexts[context]?.resources[NAMESPACES]?.objects[objectKey('Namespace', undefined, namespace)]?.metadata.labels?.[
    SCOPE_LABEL
  ];
}

function hasNamespace(snapshot: MeshSnapshot, context: ContextId, namespace: string): boolean {
  return snapshot.contexts[context]?.resources[NAMESPACES]?.objects[objectKey('Namespace', undefined, namespace)] !== undefined;
}

/** The generated ServiceEntry for ns/svc, whichever segment it was made for. */
function serviceEntryFor(snapshot: MeshSnapshot, context: ContextId, namespace: string, name: string): KubeObjectJson | undefined {
  return objectsIn(snapshot, context, SERVICE_ENTRIES).find((se) => {
    const labels = se.metadata.labels ?? {};
    if (labels['solo.io/parent-service'] === name && labels['solo.io/parent-service-namespace'] === namespace) return true;
    return se.metadata.name.startsWith('autogen.') && se.metadata.name.endsWith(`.${namespace}.${name}`);
  });
}

function collectGlobalServices(snapshot: MeshSnapshot, contexts: readonly ContextId[]): Map<string, GlobalService> {
  const services = new Map<string, GlobalService>();
  for (const context of contexts) {
    for (const service of objectsIn(snapshot, context, GLOBAL_SERVICES)) {
      const namespace = service.metadata.namespace ?? '';
      const own = service.metadata.labels?.[SCOPE_LABEL];
      // The Service label wins over the Namespace's; an empty one defers to the Namespace.
      const scope = own !== undefined && own !== '' ? own : namespaceScope(snapshot, context, namespace);
      if (scope === undefined || !GLOBAL_SCOPES.includes(scope)) continue;
      const key = `${namespace}/${service.metadata.name}`;
      const entry = services.get(key) ?? { namespace, name: service.metadata.name, labelled: new Map() };
      entry.labelled.set(context, { scope, from: own !== undefined && own !== '' ? 'Service' : 'Namespace' });
      services.set(key, entry);
    }
  }
  return services;
}

/** The contexts `context` receives services from: the loaded peers its remote Gateways point at. */
function peersOf(snapshot: MeshSnapshot, context: ContextId): ContextId[] {
  return remoteGateways(snapshot, context)
    .map((g) => peerContextOf(snapshot, context, g))
    .filter((c): c is ContextId => c !== undefined);
}

/** What a ServiceEntry missing in `context` may be a symptom of. */
function missingEntrySymptom(
  snapshot: MeshSnapshot,
  context: ContextId,
  service: GlobalService,
  istioNamespace: string,
): SymptomOf | undefined {
  const off = peeringOff(snapshot, context, istioNamespace);
  if (off) return peeringOffSymptom(off, context);
  if (service.labelled.has(context)) return undefined;
  const brokenLink = remoteGateways(snapshot, context).some((g) => {
    const peer = peerContextOf(snapshot, context, g);
    return peer !== undefined && service.labelled.has(peer) && peerStateOf(g) !== 'connected';
  });
  return brokenLink ? { kind: 'service-link-down', contexts: [context] } : undefined;
}

function serviceFindings(
  snapshot: MeshSnapshot,
  contexts: readonly ContextId[],
  service: GlobalService,
  unreadableIn: Map<ContextId, string>,
  istioNamespace: string,
): Finding[] {
  const key = `${service.namespace}/${service.name}`;
  const findings: Finding[] = [];
  const evidence: Evidence[] = [];
  const expectedIn = contexts.filter((c) => service.labelled.has(c) || peersOf(snapshot, c).some((p) => service.labelled.has(p)));
  for (const [context, { scope, from }] of service.labelled) {
    evidence.push({
      context,
      where:
        from === 'Service'
          ? `Service ${key} .metadata.labels["${SCOPE_LABEL}"]`
          : `Namespace ${service.namespace} .metadata.labels["${SCOPE_LABEL}"]`,
      value: scope,
    });
  }
  const present: ContextId[] = [];
  for (const context of expectedIn) {
    const why = unreadableIn.get(context);
    if (why !== undefined) continue;
    const se = serviceEntryFor(snapshot, context, service.namespace, service.name);
    evidence.push({
      context,
      where: `ServiceEntry ${istioNamespace}/autogen.${service.namespace}.${service.name}`,
      value: se ? `present (${se.metadata.name})` : 'absent',
    });
    if (se) present.push(context);
  }
  for (const context of expectedIn) {
    if (unreadableIn.has(context) || present.includes(context)) continue;
    const symptomOf = missingEntrySymptom(snapshot, context, service, istioNamespace);
    const why = service.labelled.has(context)
      ? `${key} is labelled ${SCOPE_LABEL}=${service.labelled.get(context)?.scope ?? ''} in ${context}`
      : `${key} is global in ${[...service.labelled.keys()].join(', ')}, which ${context} is linked to`;
    findings.push(
      makeFinding(definition, {
        severity: 'fail',
        subject: { context, kind: 'ServiceEntry', namespace: istioNamespace, name: `autogen.${service.namespace}.${service.name}` },
        contexts: [context, ...[...service.labelled.keys()].filter((c) => c !== context)],
        message:
          `${why}, but ${context} has no generated ServiceEntry autogen.${service.namespace}.${service.name}: ` +
          `${service.name}.${service.namespace}.mesh.internal does not resolve there.`,
        evidence,
        remediation: {
          summary:
            'Check that istiod runs the peering controller and that the peering to the clusters exporting the service is connected; then re-check.',
          commands: [`kubectl --context ${context} -n ${istioNamespace} get serviceentries -l solo.io/parent-service=${service.name}`],
          actionId: 'rerun-checks',
        },
        ...(symptomOf ? { symptomOf } : {}),
      }),
    );
  }
  // The label belongs on every cluster that has endpoints; a namespace that exists where the
  // label does not suggests the Service is there, unlabelled (unlabelled Services are not watched).
  const unlabelledWithNamespace = contexts.filter(
    (c) => !service.labelled.has(c) && !unreadableIn.has(c) && hasNamespace(snapshot, c, service.namespace),
  );
  for (const context of unlabelledWithNamespace) {
    findings.push(
      makeFinding(definition, {
        severity: 'warn',
        subject: { context, kind: 'Service', namespace: service.namespace, name: service.name },
        contexts: [context, ...service.labelled.keys()],
        message:
          `${key} is global in ${[...service.labelled.keys()].join(', ')} but not labelled (or absent) ` +
          `in ${context}, which has namespace ${service.namespace}: if it runs there, its endpoints are ` +
          `not shared.`,
        evidence,
        remediation: {
          summary: `Label the Service in ${context} too, if it exists there.`,
          commands: [
            `kubectl --context ${context} -n ${service.namespace} label service ${service.name} ${SCOPE_LABEL}=${[...service.labelled.values()][0]?.scope ?? 'global'} ` +
              `--overwrite`,
          ],
        },
      }),
    );
  }
  if (findings.length === 0) {
    const [first] = service.labelled.keys();
    findings.push(
      makeFinding(definition, {
        severity: 'pass',
        subject: { context: first ?? '', kind: 'Service', namespace: service.namespace, name: service.name },
        contexts: expectedIn,
        message:
          `${key} is global in ${[...service.labelled.keys()].join(', ')}; ServiceEntry autogen.${service.namespace}.${service.name} ` +
          `is present in ${present.join(', ') || 'no readable context'}.`,
        evidence,
      }),
    );
  }
  return findings;
}

function run(snapshot: MeshSnapshot, options: CheckOptions): Finding[] {
  const contexts = contextNames(snapshot);
  const findings: Finding[] = [];
  const unreadableIn = new Map<ContextId, string>();
  for (const context of contexts) {
    const why = [GLOBAL_SERVICES, SERVICE_ENTRIES, NAMESPACES].map((r) => unreadable(snapshot, context, r)).find((r) => r !== undefined);
    if (why === undefined) continue;
    unreadableIn.set(context, why);
    findings.push(
      makeFinding(definition, {
        severity: 'unknown',
        subject: { context, kind: 'Service', name: `${SCOPE_LABEL}` },
        message: `Cannot read the global services or generated ServiceEntries of ${context}: ${why}.`,
      }),
    );
  }
  const services = collectGlobalServices(snapshot, contexts);
  for (const key of [...services.keys()].sort()) {
    const service = services.get(key);
    if (service) findings.push(...serviceFindings(snapshot, contexts, service, unreadableIn, options.istioNamespace));
  }
  // A Namespace labelled global whose Services are not watched: say what was generated for it.
  for (const context of contexts) {
    if (unreadableIn.has(context)) continue;
    for (const ns of objectsIn(snapshot, context, NAMESPACES)) {
      const scope = ns.metadata.labels?.[SCOPE_LABEL];
      if (scope === undefined || !GLOBAL_SCOPES.includes(scope)) continue;
      if ([...services.values()].some((s) => s.namespace === ns.metadata.name && s.labelled.has(context))) continue;
      const generated = objectsIn(snapshot, context, SERVICE_ENTRIES).filter(
        (se) => se.metadata.labels?.['solo.io/parent-service-namespace'] === ns.metadata.name,
      );
      findings.push(
        makeFinding(definition, {
          severity: generated.length > 0 ? 'pass' : 'unknown',
          subject: { context, kind: 'Namespace', name: ns.metadata.name },
          message:
            generated.length > 0
              ? `Namespace ${ns.metadata.name} is labelled ${SCOPE_LABEL}=${scope}; generated: ${generated.map((se) => se.metadata.name).join(', ')}.`
              : `Namespace ${ns.metadata.name} is labelled ${SCOPE_LABEL}=${scope}, but no ServiceEntry was ` +
                `generated for it and its unlabelled Services are not watched, so whether any is missing is ` +
                `not known.`,
        }),
      );
    }
  }
  if (findings.length === 0) {
    for (const context of contexts) {
      findings.push(
        makeFinding(definition, {
          severity: 'pass',
          subject: { context, kind: 'Service', name: SCOPE_LABEL },
          message: `No global services in ${context}.`,
        }),
      );
    }
  }
  return findings;
}

export const globalServicesCheck: CheckDefinition = {
  ...definition,
  reads: [
    `services#global: Services labelled ${SCOPE_LABEL}; namespaces: the same label on their Namespace`,
    `${SERVICE_ENTRIES}: generated autogen.<ns>.<svc> entries`,
    'istio-remote Gateways (which clusters each context receives services from)',
  ],
  decides:
    `A Service is global when its ${SCOPE_LABEL} (or, without one, its Namespace's) is global, global-only or segment. ` +
    ('Its generated ServiceEntry must exist in every context where it is labelled and in every context ' +
      'linked to one: missing fails (explained by MC-ENV-001/MC-LIC-001/MC-NET-001 when peering is off, by MC-PEER-001 ' +
      'when the link to its exporter is down or not known to be up). ') +
    "A context that has the Service's namespace but no labelled Service warns: the label belongs on every cluster with endpoints.",
  remediation: `Label the Service ${SCOPE_LABEL}=global in every cluster that runs it; fix peering where the generated ServiceEntry is missing.`,
  run,
};
