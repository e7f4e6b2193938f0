// Reader for a cluster's `breakage:` block: the deliberate deviations from a healthy install
// that scenarios use to reproduce real failures.
import { SpecProblem } from './scenarioError.ts';
import type { BreakageSpec, ConditionOverride, PeerConditionType, StaleAutogenflatSpec, ZtunnelCrashLoopSpec } from './spec.ts';
import { optional, readDictionary, readInteger, readList, readMapping, readName, readOneOf, readString, required } from './specReader.ts';

export const PEER_CONDITION_TYPES: readonly PeerConditionType[] = ['PeerConnected', 'PeeringSucceeded', 'PeerDataPlaneProgrammed'];

export function emptyBreakage(): BreakageSpec {
  return {
    networkLabels: { remotePeers: new Map() },
    istiodEnv: new Map(),
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
  const m = readMapping(value, path, ['from', 'namespace', 'pod', 'service', 'address']);
  return {
    from: required(m, 'from', path, readString),
    namespace: required(m, 'namespace', path, readName),
    pod: required(m, 'pod', path, readName),
    service: required(m, 'service', path, readName),
    address: required(m, 'address', path, readString),
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
  const m = readMapping(value, path, ['networkLabels', 'istiodEnv', 'cniConfig', 'ztunnelCrashLoop', 'peerConditions', 'staleAutogenflat']);
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
  breakage.cniConfig = optional(
    m,
    'cniConfig',
    path,
    (v, p) => readDictionary(v, p, (cv, cp) => (readEnvName(cp), readStringOrNull(cv, cp))),
    new Map(),
  );
  const crash = optional(m, 'ztunnelCrashLoop', path, readCrashLoop, undefined);
  if (crash) breakage.ztunnelCrashLoop = crash;
  breakage.peerConditions = optional(m, 'peerConditions', path, (v, p) => readDictionary(v, p, readPeerConditions), new Map());
  breakage.staleAutogenflat = optional(m, 'staleAutogenflat', path, (v, p) => readList(v, p, readStale), []);
  return breakage;
}
