// Reader for one entry of `clusters:` (and for `defaults:`, which may hold the same fields
// except the cluster's identity). A cluster's own value wins over `defaults`, which wins over
// the built-in default of a healthy Solo ambient multicluster install.
import { loadBalancerAddress, nodeAddress } from './generate/addresses.ts';
import { readBreakage, emptyBreakage } from './readBreakage.ts';
import { readCrdName, readFault, readManifest, readUser } from './readFaultsAndUsers.ts';
import { readLog } from './readLogs.ts';
import { checkUniqueVerbatim, readIstiodDebug, readPodLog } from './readVerbatim.ts';
import { SpecProblem } from './scenarioError.ts';
import type { AddressType, ClusterSpec, ExtraContextSpec, GlobalServiceSpec, LicenseSpec } from './spec.ts';
import {
  child,
  optional,
  readInteger,
  readList,
  readMapping,
  readName,
  readOneOf,
  readString,
  required,
  type Mapping,
} from './specReader.ts';

const IDENTITY_KEYS = ['context', 'clusterId', 'peers', 'extraContexts'] as const;
// Per cluster only: pod names and a cluster's way of being made are never shared.
const OWN_ONLY_KEYS = ['mode', 'podLogs', 'istiodDebug'] as const;
/** What a `mode: manifests-only` cluster may say: everything else describes what to generate. */
const MANIFESTS_ONLY_KEYS: readonly string[] = [
  'mode',
  'context',
  'clusterId',
  'network',
  'manifests',
  'podLogs',
  'istiodDebug',
  'users',
  'kubeconfigUser',
  'extraContexts',
  'crdsMissing',
  'faults',
];
const SHARED_KEYS = [
  'network',
  'trustDomain',
  'istioVersion',
  'istioNamespace',
  'ztunnelNamespace',
  'cniNamespace',
  'gatewayNamespace',
  'segment',
  'nodes',
  'region',
  'istiodReplicas',
  'eastWest',
  'logFormat',
  'license',
  'synczShape',
  'appNamespaces',
  'globalServices',
  'breakage',
  'manifests',
  'logs',
  'users',
  'kubeconfigUser',
  'crdsMissing',
  'faults',
] as const;
export const CLUSTER_KEYS: readonly string[] = [...IDENTITY_KEYS, ...SHARED_KEYS, ...OWN_ONLY_KEYS];
export const DEFAULTS_KEYS: readonly string[] = SHARED_KEYS;

const ADDRESS_TYPES: readonly AddressType[] = ['LoadBalancer', 'NodePort', 'none'];

function readVersion(value: unknown, path: string): string {
  const version = readString(value, path);
  if (!/^1\.\d+\.\d+([-.][0-9A-Za-z.-]+)?$/.test(version)) {
    throw new SpecProblem(path, `expected an Istio version like "1.28.2-solo"; got ${JSON.stringify(version)}`);
  }
  return version;
}

function readContextName(value: unknown, path: string): string {
  const name = readString(value, path);
  if (!/^[A-Za-z0-9][A-Za-z0-9._@:-]*$/.test(name))
    throw new SpecProblem(path, `expected a kubeconfig context name; got ${JSON.stringify(name)}`);
  return name;
}

function readExtraContext(value: unknown, path: string): ExtraContextSpec {
  const m = readMapping(value, path, ['context', 'user']);
  return { context: required(m, 'context', path, readContextName), user: optional(m, 'user', path, readName, 'admin') };
}

function readLicense(value: unknown, path: string): LicenseSpec | null {
  if (value === 'none') return null;
  if (typeof value === 'string')
    throw new SpecProblem(path, `expected a mapping {type, product, expiresInDays} or "none"; got ${JSON.stringify(value)}`);
  const m = readMapping(value, path, ['type', 'product', 'expiresInDays', 'state', 'source']);
  const license: LicenseSpec = {
    type: optional(m, 'type', path, (v, p) => readOneOf(v, p, ['enterprise', 'trial'] as const), 'enterprise'),
    product: optional(m, 'product', path, readString, 'gloo-mesh'),
    expiresInDays: optional(m, 'expiresInDays', path, (v, p) => readInteger(v, p, -36_500, 36_500), 365),
  };
  const state = optional(
    m,
    'state',
    path,
    (v, p) => readOneOf(v, p, ['OK', 'INVALID', 'EXPIRED', 'UNSET', 'BYPASSED'] as const),
    undefined,
  );
  if (state !== undefined) license.state = state;
  const source = optional(m, 'source', path, (v, p) => readOneOf(v, p, ['value', 'secretRef', 'env'] as const), undefined);
  if (source !== undefined) license.source = source;
  return license;
}

function readEastWest(value: unknown, path: string): NonNullable<ClusterFields['eastWest']> {
  const m = readMapping(value, path, ['addressType', 'address', 'dataPlane']);
  const result: NonNullable<ClusterFields['eastWest']> = {};
  const addressType = optional(m, 'addressType', path, (v, p) => readOneOf(v, p, ADDRESS_TYPES), undefined);
  const address = optional(m, 'address', path, readAddress, undefined);
  const dataPlane = optional(m, 'dataPlane', path, (v, p) => readOneOf(v, p, ['LoadBalancer', 'NodePort'] as const), undefined);
  if (addressType !== undefined) result.addressType = addressType;
  if (address !== undefined) result.address = address;
  if (dataPlane === 'NodePort') {
    // The recipe keeps a LoadBalancer for xDS: a NodePort Service has no stable address to dial.
    if ((addressType ?? 'LoadBalancer') !== 'LoadBalancer')
      throw new SpecProblem(child(path, 'dataPlane'), 'dataPlane NodePort needs addressType LoadBalancer (the stable xDS address)');
    result.dataPlane = dataPlane;
  }
  return result;
}

/** An IPv4, or a cloud load balancer's DNS name (`a1b2.elb.us-east-1.amazonaws.com`). */
function readAddress(value: unknown, path: string): string {
  const address = readString(value, path);
  if (/^[\d.]+$/.test(address)) return readIp(address, path);
  if (address.length <= 253 && /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(address)) return address;
  throw new SpecProblem(path, `expected an IPv4 address or a DNS hostname; got ${JSON.stringify(address)}`);
}

function readIp(value: unknown, path: string): string {
  const ip = readString(value, path);
  if (!/^(\d{1,3})(\.\d{1,3}){3}$/.test(ip) || ip.split('.').some((o) => Number(o) > 255)) {
    throw new SpecProblem(path, `expected an IPv4 address; got ${JSON.stringify(ip)}`);
  }
  return ip;
}

function readGlobalService(value: unknown, path: string): GlobalServiceSpec {
  const m = readMapping(value, path, ['namespace', 'name', 'replicas', 'port', 'targetPort', 'scope', 'labelOn']);
  const port = optional(m, 'port', path, (v, p) => readInteger(v, p, 1, 65_535), 8080);
  return {
    namespace: required(m, 'namespace', path, readName),
    name: required(m, 'name', path, readName),
    replicas: optional(m, 'replicas', path, (v, p) => readInteger(v, p, 0, 50), 1),
    port,
    targetPort: optional(m, 'targetPort', path, (v, p) => readInteger(v, p, 1, 65_535), port),
    scope: optional(m, 'scope', path, (v, p) => readOneOf(v, p, ['global', 'global-only', 'segment'] as const), 'global'),
    labelOn: optional(m, 'labelOn', path, (v, p) => readOneOf(v, p, ['service', 'namespace'] as const), 'service'),
  };
}

/** The fields a `clusters[i]` or `defaults` mapping sets, without any default applied. */
export type ClusterFields = Partial<Omit<ClusterSpec, 'eastWest'>> & {
  eastWest?: { addressType?: AddressType; address?: string; dataPlane?: 'NodePort' };
};

export function readClusterFields(mapping: Mapping, path: string): ClusterFields {
  const f: ClusterFields = {};
  const set = <K extends keyof ClusterFields>(key: K, read: (v: unknown, p: string) => ClusterFields[K]): void => {
    if (key in mapping && mapping[key] !== undefined) f[key] = read(mapping[key], child(path, key));
  };
  const names = (v: unknown, p: string): string[] => readList(v, p, readName);
  set('context', readContextName);
  set('clusterId', readName);
  set('peers', (v, p) => readList(v, p, readContextName));
  set('extraContexts', (v, p) => readList(v, p, readExtraContext));
  set('network', readName);
  set('trustDomain', readName);
  set('istioVersion', readVersion);
  set('istioNamespace', readName);
  set('ztunnelNamespace', readName);
  set('cniNamespace', readName);
  set('gatewayNamespace', readName);
  set('segment', readName);
  set('nodes', (v, p) => readInteger(v, p, 1, 1000));
  set('region', readName);
  set('istiodReplicas', (v, p) => readInteger(v, p, 1, 5));
  set('eastWest', readEastWest);
  set('logFormat', (v, p) => readOneOf(v, p, ['text', 'json'] as const));
  set('license', readLicense);
  set('synczShape', (v, p) => readOneOf(v, p, ['syncStatus', 'clientConfig'] as const));
  set('appNamespaces', names);
  set('globalServices', (v, p) => readList(v, p, readGlobalService));
  set('breakage', readBreakage);
  set('manifests', (v, p) => readList(v, p, readManifest));
  set('logs', (v, p) => readList(v, p, readLog));
  set('users', (v, p) => readList(v, p, readUser));
  set('kubeconfigUser', readName);
  set('crdsMissing', (v, p) => readList(v, p, readCrdName));
  set('faults', (v, p) => readList(v, p, readFault));
  return f;
}

export function readDefaults(value: unknown, path: string): ClusterFields {
  return readClusterFields(readMapping(value, path, DEFAULTS_KEYS), path);
}

/** Applies defaults; `index` picks per-cluster addresses so clusters never collide. */
export function resolveCluster(value: unknown, path: string, index: number, defaults: ClusterFields): ClusterSpec {
  const m = readMapping(value, path, CLUSTER_KEYS);
  const own = readClusterFields(m, path);
  const context = required(m, 'context', path, readContextName);
  const clusterId = required(m, 'clusterId', path, readName);
  const mode = optional(m, 'mode', path, (v, p) => readOneOf(v, p, ['generated', 'manifests-only'] as const), 'generated');
  if (mode === 'manifests-only') {
    const generatorKey = Object.keys(m).find((key) => !MANIFESTS_ONLY_KEYS.includes(key));
    if (generatorKey !== undefined) {
      throw new SpecProblem(
        `${path}.${generatorKey}`,
        `not used by a cluster with mode manifests-only (it serves only manifests, podLogs and istiodDebug); ` +
          `expected one of ${MANIFESTS_ONLY_KEYS.join(', ')}`,
      );
    }
  }
  const podLogs = optional(m, 'podLogs', path, (v, p) => readList(v, p, readPodLog), []);
  const istiodDebug = optional(m, 'istiodDebug', path, (v, p) => readList(v, p, readIstiodDebug), []);
  checkUniqueVerbatim(podLogs, istiodDebug, path);
  const pick = <K extends keyof ClusterFields>(key: K): ClusterFields[K] => (own[key] !== undefined ? own[key] : defaults[key]);
  const istioNamespace = pick('istioNamespace') ?? 'istio-system';
  const addressType = own.eastWest?.addressType ?? defaults.eastWest?.addressType ?? 'LoadBalancer';
  const nodes = pick('nodes') ?? 2;
  return {
    mode,
    context,
    clusterId,
    network: pick('network') ?? clusterId,
    trustDomain: pick('trustDomain') ?? 'cluster.local',
    istioVersion: pick('istioVersion') ?? '1.28.2-solo',
    istioNamespace,
    ztunnelNamespace: pick('ztunnelNamespace') ?? istioNamespace,
    cniNamespace: pick('cniNamespace') ?? istioNamespace,
    gatewayNamespace: pick('gatewayNamespace') ?? 'istio-eastwest',
    ...(pick('segment') !== undefined ? { segment: pick('segment')! } : {}),
    nodes,
    region: pick('region') ?? `region-${index + 1}`,
    istiodReplicas: pick('istiodReplicas') ?? 1,
    eastWest: {
      addressType,
      address:
        own.eastWest?.address ??
        (addressType === 'NodePort' ? nodeAddress(index, 0) : addressType === 'LoadBalancer' ? loadBalancerAddress(index) : ''),
      ...((own.eastWest?.dataPlane ?? defaults.eastWest?.dataPlane) === 'NodePort' ? { dataPlane: 'NodePort' as const } : {}),
    },
    peers: own.peers ?? [],
    logFormat: pick('logFormat') ?? 'text',
    license: pick('license') === undefined ? { type: 'enterprise', product: 'gloo-mesh', expiresInDays: 365 } : pick('license')!,
    synczShape: pick('synczShape') ?? 'clientConfig',
    appNamespaces: pick('appNamespaces') ?? [],
    globalServices: pick('globalServices') ?? [],
    breakage: pick('breakage') ?? emptyBreakage(),
    manifests: [...(defaults.manifests ?? []), ...(own.manifests ?? [])],
    logs: [...(defaults.logs ?? []), ...(own.logs ?? [])],
    users: pick('users') ?? [],
    kubeconfigUser: pick('kubeconfigUser') ?? 'admin',
    extraContexts: own.extraContexts ?? [],
    crdsMissing: pick('crdsMissing') ?? [],
    faults: pick('faults') ?? [],
    podLogs,
    istiodDebug,
  };
}
