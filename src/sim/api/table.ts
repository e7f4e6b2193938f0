// meta.k8s.io/v1 Table rendering (what `kubectl get` asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the real server's default
// columns for the built-in kinds we serve, the CRDs' additionalPrinterColumns, and
// NAME/AGE for anything else.
import type { JsonObject, JsonValue, KubeObject, ResourceType } from './types.ts';
import { asPartialObjectMetadata } from './metadataOnly.ts';

export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number | boolean | null;

interface Printer {
  columns: ColumnDefinition[];
  /** Cells after the Name cell. */
  cells(obj: KubeObject, now: number): Cell[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some ' +
  'resources may allow a client to request the generation of an appropriate name automatically. ' +
  'Name is primarily intended for creation idempotence and configuration definition. Cannot be ' +
  'updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. ' +
  'It is not guaranteed to be set in happens-before order across separate operations. Clients ' +
  'may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the ' +
  'system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

function col(name: string, description: string, priority = 0, type: ColumnDefinition['type'] = 'string', format = ''): ColumnDefinition {
  return { name, type, format, description, priority };
}

const NAME_COLUMN = col('Name', NAME_DESCRIPTION, 0, 'string', 'name');
const AGE_COLUMN = col('Age', AGE_DESCRIPTION);

/** apimachinery's duration.HumanDuration, which every Age cell uses. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: `<unknown>` when the timestamp is missing. */
function age(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string') return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

// ---- small readers over untyped JSON ----
function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}
function condition(o: KubeObject, type: string): Record<string, unknown> | undefined {
  return arr(obj(o.status).conditions)
    .map(obj)
    .find((c) => c.type === type);
}

// ---- pods (printPod) ----
function podStatusReason(pod: KubeObject): string {
  const status = obj(pod.status);
  let reason = str(status.reason) ?? str(status.phase) ?? '';
  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses).map(obj);
  const initCount = arr(obj(pod.spec).initContainers).length;
  initStatuses.forEach((cs, i) => {
    if (initializing) return;
    const state = obj(cs.state);
    const terminated = obj(state.terminated);
    const waiting = obj(state.waiting);
    if (state.terminated && num(terminated.exitCode) === 0) return;
    initializing = true;
    if (state.terminated) {
      reason = str(terminated.reason)
        ? `Init:${str(terminated.reason)}`
        : num(terminated.signal)
          ? `Init:Signal:${num(terminated.signal)}`
          : `Init:ExitCode:${num(terminated.exitCode)}`;
    } else if (str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initCount}`;
    }
  });
  if (!initializing) {
    let hasRunning = false;
    const statuses = arr(status.containerStatuses).map(obj);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      const state = obj(cs.state);
      const waiting = obj(state.waiting);
      const terminated = obj(state.terminated);
      if (str(waiting.reason)) reason = str(waiting.reason)!;
      else if (str(terminated.reason)) reason = str(terminated.reason)!;
      else if (state.terminated)
        reason = num(terminated.signal) ? `Signal:${num(terminated.signal)}` : `ExitCode:${num(terminated.exitCode)}`;
      else if (state.running && cs.ready === true) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      reason = condition(pod, 'Ready')?.status === 'True' ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function podRestarts(pod: KubeObject, now: number): string {
  let restarts = 0;
  let lastRestart: number | undefined;
  for (const cs of arr(obj(pod.status).containerStatuses).map(obj)) {
    restarts += num(cs.restartCount);
    const finished = str(obj(obj(cs.lastState).terminated).finishedAt);
    if (finished) {
      const t = Date.parse(finished);
      if (!Number.isNaN(t) && (lastRestart === undefined || t > lastRestart)) lastRestart = t;
    }
  }
  return lastRestart !== undefined && restarts > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
}

const podPrinter: Printer = {
  columns: [
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE_COLUMN,
    col('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    col(
      'Node',
      'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler ' +
        'simply schedules this pod onto that node, assuming that it fits resource requirements.',
      1,
    ),
    col(
      'Nominated Node',
      'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot ' +
        'be scheduled right away as preemption victims receive their graceful termination periods.',
      1,
    ),
    col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  cells(pod, now) {
    const status = obj(pod.status);
    const statuses = arr(status.containerStatuses).map(obj);
    const total = arr(obj(pod.spec).containers).length;
    const ready = statuses.filter((cs) => cs.ready === true && obj(cs.state).running).length;
    const gates = arr(obj(pod.spec).readinessGates).map(obj);
    const gatesCell =
      gates.length === 0
        ? '<none>'
        : `${gates.filter((g) => condition(pod, String(g.conditionType))?.status === 'True').length}/${gates.length}`;
    return [
      `${ready}/${total}`,
      podStatusReason(pod),
      podRestarts(pod, now),
      age(pod.metadata.creationTimestamp, now),
      str(status.podIP) ?? '<none>',
      str(obj(pod.spec).nodeName) ?? '<none>',
      str(status.nominatedNodeName) ?? '<none>',
      gatesCell,
    ];
  },
};

// ---- other built-in kinds ----
const namespacePrinter: Printer = {
  columns: [col('Status', 'The status of the namespace'), AGE_COLUMN],
  cells: (ns, now) => [str(obj(ns.status).phase) ?? '', age(ns.metadata.creationTimestamp, now)],
};

function servicePorts(svc: KubeObject): string {
  const ports = arr(obj(svc.spec).ports).map(obj);
  if (ports.length === 0) return '<none>';
  return ports
    .map((p) => {
      const proto = str(p.protocol) ?? 'TCP';
      return p.nodePort ? `${num(p.port)}:${num(p.nodePort)}/${proto}` : `${num(p.port)}/${proto}`;
    })
    .join(',');
}

function selectorString(sel: unknown): string {
  const entries = Object.entries(obj(sel));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
}

function labelSelectorString(sel: unknown): string {
  const s = obj(sel);
  const parts = Object.entries(obj(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of arr(s.matchExpressions).map(obj)) {
    const values = arr(e.values).map(String).join(',');
    if (e.operator === 'In') parts.push(`${String(e.key)} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${String(e.key)} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(String(e.key));
    else if (e.operator === 'DoesNotExist') parts.push(`!${String(e.key)}`);
  }
  return parts.length === 0 ? '<none>' : parts.join(',');
}

const servicePrinter: Printer = {
  columns: [
    col('Type', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE_COLUMN,
    col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  cells(svc, now) {
    const spec = obj(svc.spec);
    const type = str(spec.type) ?? 'ClusterIP';
    const ingress = arr(obj(obj(svc.status).loadBalancer).ingress).map(obj);
    const lbIps = ingress.map((i) => str(i.ip) ?? str(i.hostname) ?? '').filter(Boolean);
    const external = [...lbIps, ...arr(spec.externalIPs).map(String)];
    let externalCell = external.length > 0 ? external.join(',') : '<none>';
    if (type === 'LoadBalancer' && external.length === 0) externalCell = '<pending>';
    if (type === 'ExternalName') externalCell = str(spec.externalName) ?? '<none>';
    return [
      type,
      str(spec.clusterIP) ?? '<none>',
      externalCell,
      servicePorts(svc),
      age(svc.metadata.creationTimestamp, now),
      selectorString(spec.selector),
    ];
  },
};

const configMapPrinter: Printer = {
  columns: [col('Data', 'Data contains the configuration data.', 0, 'integer'), AGE_COLUMN],
  cells: (cm, now) => [Object.keys(obj(cm.data)).length + Object.keys(obj(cm.binaryData)).length, age(cm.metadata.creationTimestamp, now)],
};

const secretPrinter: Printer = {
  columns: [
    col('Type', 'The type of data stored in the secret'),
    col('Data', 'The number of entries in the secret', 0, 'integer'),
    AGE_COLUMN,
  ],
  cells: (s, now) => [str(s.type) ?? 'Opaque', Object.keys(obj(s.data)).length, age(s.metadata.creationTimestamp, now)],
};

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

const nodePrinter: Printer = {
  columns: [
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE_COLUMN,
    col('Version', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'List of addresses reachable to the node.', 1),
    col('External-IP', 'List of addresses reachable to the node.', 1),
    col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    col('Kernel-Version', 'Kernel Version reported by the node.', 1),
    col('Container-Runtime', 'ContainerRuntime Version reported by the node.', 1),
  ],
  cells(node, now) {
    const status = obj(node.status);
    const ready = condition(node, 'Ready');
    let state = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
    if (obj(node.spec).unschedulable === true) state += ',SchedulingDisabled';
    const addresses = arr(status.addresses).map(obj);
    const address = (type: string): string => str(addresses.find((a) => a.type === type)?.address) ?? '<none>';
    const info = obj(status.nodeInfo);
    return [
      state,
      nodeRoles(node),
      age(node.metadata.creationTimestamp, now),
      str(info.kubeletVersion) ?? '',
      address('InternalIP'),
      address('ExternalIP'),
      str(info.osImage) ?? '<unknown>',
      str(info.kernelVersion) ?? '<unknown>',
      str(info.containerRuntimeVersion) ?? '<unknown>',
    ];
  },
};

function containersAndImages(o: KubeObject): [string, string] {
  const containers = arr(obj(obj(obj(o.spec).template).spec).containers).map(obj);
  return [containers.map((c) => String(c.name)).join(','), containers.map((c) => String(c.image)).join(',')];
}

const deploymentPrinter: Printer = {
  columns: [
    col('Ready', 'Number of the pod with ready state'),
    col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', 0, 'integer'),
    col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', 0, 'integer'),
    AGE_COLUMN,
    col('Containers', 'Names of each container in the template.', 1),
    col('Images', 'Images referenced by each container in the template.', 1),
    col(
      'Selector',
      'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
      1,
    ),
  ],
  cells(d, now) {
    const status = obj(d.status);
    const desired = typeof obj(d.spec).replicas === 'number' ? num(obj(d.spec).replicas) : 1;
    const [containers, images] = containersAndImages(d);
    return [
      `${num(status.readyReplicas)}/${desired}`,
      num(status.updatedReplicas),
      num(status.availableReplicas),
      age(d.metadata.creationTimestamp, now),
      containers,
      images,
      labelSelectorString(obj(d.spec).selector),
    ];
  },
};

const daemonSetPrinter: Printer = {
  columns: [
    col(
      'Desired',
      'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
      0,
      'integer',
    ),
    col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', 0, 'integer'),
    col(
      'Ready',
      'numberReady is the number of nodes that should be running the daemon pod and have one or more ' +
        'of the daemon pod running with a Ready Condition.',
      0,
      'integer',
    ),
    col('Up-to-date', 'The total number of nodes that are running updated daemon pod', 0, 'integer'),
    col(
      'Available',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon ' +
        'pod running and available (ready for at least spec.minReadySeconds)',
      0,
      'integer',
    ),
    col(
      'Node Selector',
      'NodeSelector is a selector which must be true for the pod to fit on a node. Selector which ' +
        "must match a node's labels for the pod to be scheduled on that node.",
    ),
    AGE_COLUMN,
    col('Containers', 'Names of each container in the template.', 1),
    col('Images', 'Images referenced by each container in the template.', 1),
    col('Selector', 'A label query over pods that are managed by the daemon set.', 1),
  ],
  cells(ds, now) {
    const s = obj(ds.status);
    const [containers, images] = containersAndImages(ds);
    return [
      num(s.desiredNumberScheduled),
      num(s.currentNumberScheduled),
      num(s.numberReady),
      num(s.updatedNumberScheduled),
      num(s.numberAvailable),
      selectorString(obj(obj(obj(ds.spec).template).spec).nodeSelector),
      age(ds.metadata.creationTimestamp, now),
      containers,
      images,
      labelSelectorString(obj(ds.spec).selector),
    ];
  },
};

// ---- custom resources: their CRDs' additionalPrinterColumns ----
/** A string printer column prints the first JSONPath result, arrays and maps as JSON. */
function jsonCell(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

function conditionStatus(o: KubeObject, type: string): Cell {
  return jsonCell(condition(o, type)?.status);
}

const gatewayPrinter: Printer = {
  columns: [col('Class', '', 0), col('Address', '', 0), col('Programmed', '', 0), { ...AGE_COLUMN, type: 'date' }],
  cells: (gw, now) => [
    jsonCell(obj(gw.spec).gatewayClassName),
    jsonCell(obj(arr(obj(gw.status).addresses)[0]).value),
    conditionStatus(gw, 'Programmed'),
    age(gw.metadata.creationTimestamp, now),
  ],
};

const gatewayClassPrinter: Printer = {
  columns: [col('Controller', ''), col('Accepted', ''), { ...AGE_COLUMN, type: 'date' }, col('Description', '', 1)],
  cells: (gc, now) => [
    jsonCell(obj(gc.spec).controllerName),
    conditionStatus(gc, 'Accepted'),
    age(gc.metadata.creationTimestamp, now),
    jsonCell(obj(gc.spec).description),
  ],
};

const workloadEntryPrinter: Printer = {
  columns: [{ ...AGE_COLUMN, type: 'date' }, col('Address', 'Address associated with the network endpoint without the port.')],
  cells: (we, now) => [age(we.metadata.creationTimestamp, now), jsonCell(obj(we.spec).address)],
};

const serviceEntryPrinter: Printer = {
  columns: [
    col('Hosts', 'The hosts associated with the ServiceEntry.'),
    col('Location', 'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL).'),
    col('Resolution', 'Service resolution mode for the hosts (NONE, STATIC, or DNS).'),
    { ...AGE_COLUMN, type: 'date' },
  ],
  cells: (se, now) => [
    jsonCell(obj(se.spec).hosts),
    jsonCell(obj(se.spec).location),
    jsonCell(obj(se.spec).resolution),
    age(se.metadata.creationTimestamp, now),
  ],
};

/** Custom resources without printer columns: the CRD table convertor's default. */
const defaultCustomPrinter: Printer = {
  columns: [{ ...AGE_COLUMN, type: 'date' }],
  cells: (o, now) => [age(o.metadata.creationTimestamp, now)],
};

const PRINTERS: Record<string, Printer> = {
  '/pods': podPrinter,
  '/namespaces': namespacePrinter,
  '/services': servicePrinter,
  '/configmaps': configMapPrinter,
  '/secrets': secretPrinter,
  '/nodes': nodePrinter,
  'apps/deployments': deploymentPrinter,
  'apps/daemonsets': daemonSetPrinter,
  'gateway.networking.k8s.io/gateways': gatewayPrinter,
  'gateway.networking.k8s.io/gatewayclasses': gatewayClassPrinter,
  'networking.istio.io/workloadentries': workloadEntryPrinter,
  'networking.istio.io/serviceentries': serviceEntryPrinter,
};

function printerFor(rt: ResourceType): Printer {
  return PRINTERS[`${rt.group}/${rt.plural}`] ?? defaultCustomPrinter;
}

export function tableColumns(rt: ResourceType): ColumnDefinition[] {
  return [NAME_COLUMN, ...printerFor(rt).columns];
}

function rowObject(o: KubeObject, include: IncludeObject): JsonValue | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o as unknown as JsonValue;
  return asPartialObjectMetadata(o);
}

export function tableRow(rt: ResourceType, o: KubeObject, include: IncludeObject, now = Date.now()): JsonObject {
  const cells: Cell[] = [o.metadata.name, ...printerFor(rt).cells(o, now)];
  const row: JsonObject = { cells };
  const object = rowObject(o, include);
  if (object !== undefined) row.object = object;
  return row;
}

export interface TableMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export function renderTable(
  rt: ResourceType,
  objects: KubeObject[],
  meta: TableMeta,
  include: IncludeObject,
  withColumns = true,
): JsonObject {
  const metadata: JsonObject = {};
  if (meta.resourceVersion) metadata.resourceVersion = meta.resourceVersion;
  if (meta.continue) metadata.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) metadata.remainingItemCount = meta.remainingItemCount;
  const now = Date.now();
  const table: JsonObject = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata };
  table.columnDefinitions = withColumns ? (tableColumns(rt) as unknown as JsonValue) : null;
  table.rows = objects.map((o) => tableRow(rt, o, include, now));
  return table;
}

export function parseIncludeObject(value: string | null): IncludeObject | undefined {
  if (value === null || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  return undefined;
}
