// The resource types a simulated cluster serves, and which of them are installed.
// CRD-backed types can be missing from a cluster (scenario) or removed at run time (fault);
// a missing type is unknown to routing (404) and absent from discovery.
import type { ResourceType } from './types.ts';

function core(
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[],
  subresources: string[],
  fieldSelectors: string[] = [],
): ResourceType {
  return {
    group: '',
    version: 'v1',
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames,
    builtin: true,
    subresources,
    fieldSelectors,
    crd: false,
  };
}

function apps(kind: string, plural: string, shortNames: string[]): ResourceType {
  return { ...core(kind, plural, true, shortNames, ['status']), group: 'apps' };
}

function custom(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[],
  subresources: string[],
): ResourceType {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames,
    builtin: false,
    subresources,
    fieldSelectors: [],
    crd: true,
  };
}

/**
 * Every type the simulator can serve. fieldSelectors lists what the real apiserver's field
 * label conversion accepts beyond metadata.name (and metadata.namespace for namespaced kinds).
 */
export const RESOURCE_TYPES: ResourceType[] = [
  core('Namespace', 'namespaces', false, ['ns'], ['status', 'finalize'], ['status.phase']),
  core(
    'Pod',
    'pods',
    true,
    ['po'],
    ['status', 'log', 'portforward'],
    [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
    ],
  ),
  core('Service', 'services', true, ['svc'], ['status'], ['spec.clusterIP', 'spec.type']),
  core('ConfigMap', 'configmaps', true, ['cm'], []),
  // Served so the console's detail view can ask for an object's events as it does of a real
  // cluster; scenarios may hold none (an empty list).
  core(
    'Event',
    'events',
    true,
    ['ev'],
    [],
    [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  ),
  core('Secret', 'secrets', true, [], [], ['type']),
  core('Node', 'nodes', false, ['no'], ['status'], ['spec.unschedulable']),
  apps('Deployment', 'deployments', ['deploy']),
  apps('DaemonSet', 'daemonsets', ['ds']),
  custom('gateway.networking.k8s.io', 'v1', 'Gateway', 'gateways', true, ['gtw'], ['status']),
  custom('gateway.networking.k8s.io', 'v1', 'GatewayClass', 'gatewayclasses', false, ['gc'], ['status']),
  custom('networking.istio.io', 'v1', 'WorkloadEntry', 'workloadentries', true, ['we'], ['status']),
  custom('networking.istio.io', 'v1', 'ServiceEntry', 'serviceentries', true, ['se'], ['status']),
  custom('admin.solo.io', 'v1alpha1', 'Segment', 'segments', true, [], ['status']),
];

/** '<plural>.<group>', the name of the CRD that defines a custom type. */
export function crdName(rt: ResourceType): string {
  return `${rt.plural}.${rt.group}`;
}

export function apiVersionOf(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

export class ResourceRegistry {
  readonly #types: ResourceType[];
  readonly #missing = new Set<string>();

  constructor(types: ResourceType[], crdsMissing: string[]) {
    // Frozen so no caller can alter what discovery and routing agree on.
    this.#types = types.map((t) => Object.freeze({ ...t }));
    for (const name of crdsMissing) this.#missing.add(name);
  }

  #installed(rt: ResourceType): boolean {
    return !rt.crd || !this.#missing.has(crdName(rt));
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    const rt = this.#types.find((t) => t.group === group && t.version === version && t.plural === plural);
    return rt && this.#installed(rt) ? rt : undefined;
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const rt = this.#types.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
    return rt && this.#installed(rt) ? rt : undefined;
  }

  /** Like byKind but also finds types whose CRD is not installed (the store keeps their objects). */
  anyByKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.#types.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  }

  served(): ResourceType[] {
    return this.#types.filter((t) => this.#installed(t));
  }

  all(): ResourceType[] {
    return [...this.#types];
  }

  isInstalled(rt: ResourceType): boolean {
    return this.#installed(rt);
  }

  setInstalled(crdName: string, installed: boolean): void {
    if (installed) this.#missing.delete(crdName);
    else this.#missing.add(crdName);
  }
}
