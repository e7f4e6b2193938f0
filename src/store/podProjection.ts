// What the store keeps of a Pod. The console watches about 1,000 pods per cluster of 500 nodes
// (every ztunnel and istio-cni pod), and a pod as the API sends it is mostly what nothing here
// reads: probes, args, volume mounts, scheduling fields, image digests. Kept: metadata, where
// it runs, each container's name and image, its mesh and licence environment, and the status
// the pods pane, the detail, the log feed and the checks read. A field added to a reader of
// pods must be added here too; test/store/podProjection.test.ts lists who reads what.
import { MESH_ENV } from '../mesh/meshEnv.ts';
import { LICENSE_ENV_NAMES } from './licenseClaims.ts';
import type { KubeObjectJson } from './types.ts';

const SPEC_FIELDS = ['nodeName', 'hostNetwork', 'serviceAccountName', 'priorityClassName'];
const STATUS_FIELDS = ['phase', 'reason', 'message', 'podIP', 'hostIP', 'startTime', 'nominatedNodeName'];
const CONDITION_FIELDS = ['type', 'status', 'reason', 'message', 'lastTransitionTime'];
const CONTAINER_STATUS_FIELDS = ['name', 'image', 'ready', 'started', 'restartCount', 'state', 'lastState'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick(from: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

// Where istiod reads its licence is kept by name (the sanitizer has already redacted a literal
// key): a capture and the detail still say where the key came from.
const KEPT_ENV: readonly string[] = [...MESH_ENV, ...LICENSE_ENV_NAMES];

function container(c: Record<string, unknown>): Record<string, unknown> {
  const env = records(c['env']).filter((e) => typeof e['name'] === 'string' && KEPT_ENV.includes(e['name']));
  return { ...pick(c, ['name', 'image']), ...(env.length > 0 ? { env: env.map((e) => pick(e, ['name', 'value', 'valueFrom'])) } : {}) };
}

function listOf(v: unknown, each: (r: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown>[] | undefined {
  return Array.isArray(v) ? records(v).map(each) : undefined;
}

export function projectPod(pod: KubeObjectJson): KubeObjectJson {
  const spec = isRecord(pod['spec']) ? pod['spec'] : {};
  const status = isRecord(pod['status']) ? pod['status'] : undefined;
  const out: Record<string, unknown> = {};
  // Anything else top-level (apiVersion, kind, metadata, the licence claims the sanitizer put in a key's place).
  for (const [key, value] of Object.entries(pod)) if (key !== 'spec' && key !== 'status') out[key] = value;
  const containers = listOf(spec['containers'], container);
  const initContainers = listOf(spec['initContainers'], container);
  out['spec'] = {
    ...pick(spec, SPEC_FIELDS),
    ...(containers ? { containers } : {}),
    ...(initContainers ? { initContainers } : {}),
  };
  if (status !== undefined) {
    const conditions = listOf(status['conditions'], (c) => pick(c, CONDITION_FIELDS));
    const statuses = listOf(status['containerStatuses'], (c) => pick(c, CONTAINER_STATUS_FIELDS));
    const initStatuses = listOf(status['initContainerStatuses'], (c) => pick(c, CONTAINER_STATUS_FIELDS));
    out['status'] = {
      ...pick(status, STATUS_FIELDS),
      ...(conditions ? { conditions } : {}),
      ...(statuses ? { containerStatuses: statuses } : {}),
      ...(initStatuses ? { initContainerStatuses: initStatuses } : {}),
    };
  }
  return out as KubeObjectJson;
}
