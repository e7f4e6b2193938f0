// Reader for a cluster's `breakage:` block: the deliberate deviations from a healthy install
// that scenarios use to reproduce real failures.
import { SpecProblem } from './scenarioError.ts';
import type {
  BreakageSpec,
  ConditionOverride,
  PeerConditionType,
  PodCrashLoopSpec,
  RemotePeerGatewaySpec,
  StaleAutogenflatSpec,
  ZtunnelCrashLoopSpec,
} from './spec.ts';
import {
  child,
  optional,
  readDictionary,
  readInteger,
  readList,
  readMapping,
  readName,
  readOneOf,
  readString,
  required,
} from './specReader.ts';

export const PEER_CONDITION_TYPES: readonly PeerConditionType[] = ['PeerConnected', 'PeeringSucceeded', 'PeerDataPlaneProgrammed'];

export function emptyBreakage(): BreakageSpec {
  return {
    networkLabels: { remotePeers: new Map() },
    istiodEnv: new Map(),
    ztunnelEnv: new Map(),
    remotePeerAnnotations: new Map(),
    remotePeerAddresses: new Map(),
    remotePeerGateways: new Map(),
    cniConfig: new Map(),
    peerConditions: new Map(),
    staleAutogenflat: [],
  };
}

/** A string, or null meaning "remove it". */
function readStringOrNull(value: unknown, path: string): string | null {
  return value === null ? null : readString(value, path);
}

function readEnvName(path: string): void {
  const name = path.slice(path.lastIndexOf('.') + 1);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new SpecProblem(path, `expected an environment variable name; got ${JSON.stringify(name)}`);
}

const ANNOTATION_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** One Gateway's annotation overrides; keys hold dots and slashes, so they are checked as keys, not as path segments. */
function readAnnotations(value: unknown, path: string): Map<string, string | null> {
  const annotations = readDictionary(value, path, readStringOrNull);
  for (const key of annotations.keys()) {
    if (!ANNOTATION_KEY.test(key)) throw new SpecProblem(child(path, key), `expected an annotation key; got ${JSON.stringify(key)}`);
  }
  return annotations;
}

function readRemotePeerGateway(value: unknown, path: string): RemotePeerGatewaySpec {
  const m = readMapping(value, path, ['labels', 'listeners', 'status']);
  const listeners = optional(
    m,
    'listeners',
    path,
    (v, p) =>
      readList(v, p, (lv, lp) => {
        const l = readMapping(lv, lp, ['name', 'port', 'protocol']);
        return {
          name: required(l, 'name', lp, readName),
          port: required(l, 'port', lp, (pv, pp) => readInteger(pv, pp, 1, 65_535)),
          protocol: required(l, 'protocol', lp, (pv, pp) => readOneOf(pv, pp, ['HBONE', 'TLS', 'TCP', 'HTTP', 'HTTPS'] as const)),
        };
      }),
    undefined,
  );
  return {
    // Label keys follow the same syntax as annotation keys.
    labels: optional(m, 'labels', path, readAnnotations, new Map()),
    ...(listeners !== undefined ? { listeners } : {}),
    status: optional(
      m,
      'status',
      path,
      (v, p) => {
        if (typeof v !== 'boolean') throw new SpecProblem(p, `expected true or false; got ${JSON.stringify(v)}`);
        return v;
      },
      true,
    ),
  };
}

function readCondition(value: unknown, path: string): ConditionOverride {
  const m = readMapping(value, path, ['status', 'reason', 'message']);
  return {
    // YAML reads unquoted True/False as booleans; accept them as the condition strings they mean.
    status: required(m, 'status', path, (v, p) =>
      readOneOf(typeof v === 'boolean' ? (v ? 'True' : 'False') : v, p, ['True', 'False', 'Unknown'] as const),
    ),
    reason: required(m, 'reason', path, readString),
    message: optional(m, 'message', path, (v, p) => (v === '' ? '' : readString(v, p)), ''),
  };
}

function readPeerConditions(value: unknown, path: string): Map<PeerConditionType, ConditionOverride> {
  const m = readMapping(value, path, PEER_CONDITION_TYPES);
  const result = new Map<PeerConditionType, ConditionOverride>();
  for (const type of PEER_CONDITION_TYPES) {
    const condition = optional(m, type, path, readCondition, undefined);
    if (condition) result.set(type, condition);
  }
  return result;
}

function readStale(value: unknown, path: string): StaleAutogenflatSpec {
  const m = readMapping(value, path, ['from', 'fromCluster', 'namespace', 'pod', 'service', 'address']);
  const from = optional(m, 'from', path, readString, undefined);
  const fromCluster = optional(m, 'fromCluster', path, readName, undefined);
  if ((from === undefined) === (fromCluster === undefined))
    throw new SpecProblem(path, 'expected exactly one of from (a peer context) or fromCluster (a CLUSTER_ID outside the scenario)');
  return {
    ...(from !== undefined ? { from } : { fromCluster: fromCluster! }),
    namespace: required(m, 'namespace', path, readName),
    pod: required(m, 'pod', path, readName),
    service: required(m, 'service', path, readName),
    address: required(m, 'address', path, readString),
  };
}

const ISTIOD_CRASH_LINE =
  'error\tfailed to start discovery server: failed to create CA: failed to read cacerts: open /etc/cacerts/ca-key.pem: permission denied';
const EAST_WEST_CRASH_LINE = 'error\tEnvoy exited with error: signal: killed (OOMKilled)';

function readPodCrashLoop(value: unknown, path: string, defaultLine: string): PodCrashLoopSpec {
  const m = readMapping(value, path, ['restarts', 'replicas', 'lastLogLine']);
  return {
    restarts: optional(m, 'restarts', path, (v, p) => readInteger(v, p, 1, 10_000), 14),
    replicas: optional(m, 'replicas', path, (v, p) => readList(v, p, (n, np) => readInteger(n, np, 0, 4)), []),
    lastLogLine: optional(m, 'lastLogLine', path, readString, defaultLine),
  };
}

function readCrashLoop(value: unknown, path: string): ZtunnelCrashLoopSpec {
  const m = readMapping(value, path, ['restarts', 'nodes', 'lastLogLine']);
  return {
    restarts: optional(m, 'restarts', path, (v, p) => readInteger(v, p, 1, 10_000), 14),
    nodes: optional(m, 'nodes', path, (v, p) => readList(v, p, (n, np) => readInteger(n, np, 0, 99)), []),
    lastLogLine: optional(
      m,
      'lastLogLine',
      path,
      readString,
      'Error: failed to start ztunnel: CNI plugin is not ready: failed to connect to /var/run/ztunnel/ztunnel.sock',
    ),
  };
}

export function readBreakage(value: unknown, path: string): BreakageSpec {
  const m = readMapping(value, path, [
    'networkLabels',
    'istiodEnv',
    'ztunnelEnv',
    'remotePeerAnnotations',
    'remotePeerAddresses',
    'remotePeerGateways',
    'cniConfig',
    'ztunnelCrashLoop',
    'istiodCrashLoop',
    'eastWestCrashLoop',
    'peerConditions',
    'staleAutogenflat',
  ]);
  const breakage = emptyBreakage();
  if (m.networkLabels !== undefined) {
    const labelsPath = `${path}.networkLabels`;
    const labels = readMapping(m.networkLabels, labelsPath, ['istioNamespace', 'eastWestGateway', 'ztunnel', 'remotePeers']);
    for (const key of ['istioNamespace', 'eastWestGateway', 'ztunnel'] as const) {
      if (key in labels) breakage.networkLabels[key] = readStringOrNull(labels[key], `${labelsPath}.${key}`);
    }
    breakage.networkLabels.remotePeers = optional(
      labels,
      'remotePeers',
      labelsPath,
      (v, p) => readDictionary(v, p, readStringOrNull),
      new Map(),
    );
  }
  breakage.istiodEnv = optional(
    m,
    'istiodEnv',
    path,
    (v, p) => readDictionary(v, p, (ev, ep) => (readEnvName(ep), readStringOrNull(ev, ep))),
    new Map(),
  );
  breakage.ztunnelEnv = optional(
    m,
    'ztunnelEnv',
    path,
    (v, p) => readDictionary(v, p, (ev, ep) => (readEnvName(ep), readStringOrNull(ev, ep))),
    new Map(),
  );
  breakage.remotePeerAnnotations = optional(m, 'remotePeerAnnotations', path, (v, p) => readDictionary(v, p, readAnnotations), new Map());
  breakage.remotePeerAddresses = optional(m, 'remotePeerAddresses', path, (v, p) => readDictionary(v, p, readString), new Map());
  breakage.remotePeerGateways = optional(m, 'remotePeerGateways', path, (v, p) => readDictionary(v, p, readRemotePeerGateway), new Map());
  breakage.cniConfig = optional(
    m,
    'cniConfig',
    path,
    (v, p) => readDictionary(v, p, (cv, cp) => (readEnvName(cp), readStringOrNull(cv, cp))),
    new Map(),
  );
  const crash = optional(m, 'ztunnelCrashLoop', path, readCrashLoop, undefined);
  if (crash) breakage.ztunnelCrashLoop = crash;
  const istiodCrash = optional(m, 'istiodCrashLoop', path, (v, p) => readPodCrashLoop(v, p, ISTIOD_CRASH_LINE), undefined);
  if (istiodCrash) breakage.istiodCrashLoop = istiodCrash;
  const eastWestCrash = optional(m, 'eastWestCrashLoop', path, (v, p) => readPodCrashLoop(v, p, EAST_WEST_CRASH_LINE), undefined);
  if (eastWestCrash) breakage.eastWestCrashLoop = eastWestCrash;
  breakage.peerConditions = optional(m, 'peerConditions', path, (v, p) => readDictionary(v, p, readPeerConditions), new Map());
  breakage.staleAutogenflat = optional(m, 'staleAutogenflat', path, (v, p) => readList(v, p, readStale), []);
  return breakage;
}
