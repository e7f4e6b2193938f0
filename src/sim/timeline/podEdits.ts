// Timeline events that happen to pods, written as the kubelet and the pod's controller would:
// a crash loop (not ready, CrashLoopBackOff, the restart count growing with each back-off, the
// failed run in `--previous`), a restart in place, and a deletion whose DaemonSet or ReplicaSet
// makes a replacement under a new name. The owner's ready counts follow its pods.
import { createHash } from 'node:crypto';
import { jsonCopy } from '../api/frozenJson.ts';
import type { JsonObject, KubeObject, ResourceType } from '../api/types.ts';
import type { SimCluster } from '../cluster.ts';
import type { PodLogScript } from '../scenario/model.ts';
import type { TimelinePodSelection } from '../scenario/timelineModel.ts';
import { clockTime, TIMELINE_FIELD_MANAGER, type Undo } from './objectEdits.ts';

/** Runs `fn` after `ms` on the timeline's clock; the timeline cancels what is left when it stops. */
export type Later = (ms: number, fn: () => void) => () => void;

export interface PodContext {
  cluster: SimCluster;
  later: Later;
  /** Pods crash-looping now (`namespace/name`), and how to stop their back-off. */
  crashLoops: Map<string, () => void>;
}

interface ContainerStatus extends JsonObject {
  name: string;
  restartCount: number;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function podType(cluster: SimCluster): ResourceType {
  const rt = cluster.registry.byKind('v1', 'Pod');
  if (!rt) throw new Error(`${cluster.context}: pods are not served`);
  return rt;
}

function keyOf(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
}

/** The pods a selection names now (a pod replaced since start is found by its labels), by name. */
export function selectPods(cluster: SimCluster, selection: TimelinePodSelection): KubeObject[] {
  return cluster
    .list('v1', 'Pod', selection.namespace)
    .filter((pod) => {
      if (selection.name !== undefined && pod.metadata.name !== selection.name) return false;
      if (selection.node !== undefined && (pod.spec as { nodeName?: unknown } | undefined)?.nodeName !== selection.node) return false;
      const labels = pod.metadata.labels ?? {};
      return Object.entries(selection.labels ?? {}).every(([k, v]) => labels[k] === v);
    })
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

function containerNames(pod: KubeObject): string[] {
  const containers = (pod.spec as { containers?: { name?: unknown }[] } | undefined)?.containers ?? [];
  return containers.map((c) => c.name).filter((n): n is string => typeof n === 'string');
}

function digestId(seed: string): string {
  return `containerd://${createHash('sha256').update(seed).digest('hex')}`;
}

/** Writes a pod's status (the kubelet's report); undefined when the pod is gone. */
function writeStatus(
  cluster: SimCluster,
  namespace: string,
  name: string,
  edit: (status: JsonObject, pod: KubeObject) => void,
): KubeObject | undefined {
  const rt = podType(cluster);
  let pod: KubeObject;
  try {
    pod = cluster.store.get(rt, namespace, name);
  } catch {
    return undefined;
  }
  const next = jsonCopy(pod);
  const status = (next.status as JsonObject | undefined) ?? {};
  edit(status, next);
  next.status = status;
  return cluster.store.update(rt, next, { fieldManager: TIMELINE_FIELD_MANAGER, subresource: 'status' });
}

function setReadyConditions(status: JsonObject, pod: KubeObject, ready: boolean, at: string): void {
  const conditions = Array.isArray(status.conditions) ? (status.conditions as JsonObject[]) : [];
  status.conditions = conditions.map((c) => {
    if (c.type !== 'Ready' && c.type !== 'ContainersReady') return c;
    if ((c.status === 'True') === ready) return c;
    const next: JsonObject = { type: c.type, status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at };
    if (!ready) {
      next.reason = 'ContainersNotReady';
      next.message = `containers with unready status: [${containerNames(pod).join(' ')}]`;
    }
    return next;
  });
}

function statusesOf(status: JsonObject): ContainerStatus[] {
  return Array.isArray(status.containerStatuses) ? (status.containerStatuses as ContainerStatus[]) : [];
}

/** The container ended (exit code) and the kubelet holds it in back-off. */
function crashedContainer(
  c: ContainerStatus,
  pod: KubeObject,
  exitCode: number,
  restarts: number,
  at: string,
  startedAt: string,
): ContainerStatus {
  const restartCount = c.restartCount + restarts;
  return {
    ...c,
    ready: false,
    started: false,
    restartCount,
    containerID: digestId(`${keyOf(pod)}/${c.name}/${restartCount}`),
    state: {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off 5m0s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`,
      },
    },
    lastState: { terminated: { exitCode, reason: 'Error', startedAt, finishedAt: at, containerID: c.containerID ?? '' } },
  };
}

/** The container runs again (after a restart): Ready, the last termination kept. */
function runningContainer(c: ContainerStatus, pod: KubeObject, at: string, lastState: JsonObject | undefined): ContainerStatus {
  const restartCount = c.restartCount + 1;
  return {
    ...c,
    ready: true,
    started: true,
    restartCount,
    containerID: digestId(`${keyOf(pod)}/${c.name}/${restartCount}`),
    state: { running: { startedAt: at } },
    lastState: lastState ?? (c.lastState as JsonObject | undefined) ?? {},
  };
}

function restartLogs(cluster: SimCluster, pod: KubeObject, lastLine: string | undefined, running: boolean): void {
  for (const container of containerNames(pod)) {
    cluster.restartContainerLog(pod.metadata.namespace ?? '', pod.metadata.name, container, {
      running,
      ...(lastLine !== undefined ? { lastLine } : {}),
    });
  }
}

function isReady(pod: KubeObject): boolean {
  const status = pod.status as { phase?: unknown; containerStatuses?: { ready?: unknown }[] } | undefined;
  return status?.phase === 'Running' && (status.containerStatuses ?? []).every((c) => c.ready === true);
}

function controllerOf(pod: KubeObject): { kind: string; name: string } | undefined {
  const refs = pod.metadata.ownerReferences as { kind?: unknown; name?: unknown; controller?: unknown }[] | undefined;
  const ref = refs?.find((r) => r.controller === true) ?? refs?.[0];
  return typeof ref?.kind === 'string' && typeof ref.name === 'string' ? { kind: ref.kind, name: ref.name } : undefined;
}

function ownedBy(cluster: SimCluster, namespace: string, owner: string): KubeObject[] {
  return cluster.list('v1', 'Pod', namespace).filter((p) => controllerOf(p)?.name === owner);
}

/** The DaemonSet's or Deployment's counts, from its pods as they are now. */
export function refreshOwner(cluster: SimCluster, namespace: string, owner: { kind: string; name: string } | undefined): void {
  if (!owner) return;
  // A Deployment's pods are owned by its ReplicaSet `<deployment>-<pod-template-hash>` (not served).
  const kind = owner.kind === 'ReplicaSet' ? 'Deployment' : owner.kind;
  if (kind !== 'DaemonSet' && kind !== 'Deployment') return;
  const name = owner.kind === 'ReplicaSet' ? owner.name.replace(/-[a-z0-9]+$/, '') : owner.name;
  const rt = cluster.registry.byKind('apps/v1', kind);
  if (!rt) return;
  let workload: KubeObject;
  try {
    workload = cluster.store.get(rt, namespace, name);
  } catch {
    return;
  }
  const pods = ownedBy(cluster, namespace, owner.name);
  const ready = pods.filter(isReady).length;
  const next = jsonCopy(workload);
  const status = { ...((next.status as JsonObject | undefined) ?? {}) };
  if (kind === 'DaemonSet') {
    const desired = typeof status.desiredNumberScheduled === 'number' ? status.desiredNumberScheduled : pods.length;
    status.currentNumberScheduled = pods.length;
    status.numberReady = ready;
    status.numberAvailable = ready;
    if (desired > ready) status.numberUnavailable = desired - ready;
    else delete status.numberUnavailable;
  } else {
    const desired =
      typeof (next.spec as { replicas?: unknown } | undefined)?.replicas === 'number' ? (next.spec as { replicas: number }).replicas : 1;
    status.replicas = pods.length;
    status.readyReplicas = ready;
    status.availableReplicas = ready;
    if (desired > ready) status.unavailableReplicas = desired - ready;
    else delete status.unavailableReplicas;
  }
  next.status = status;
  cluster.store.update(rt, next, { fieldManager: TIMELINE_FIELD_MANAGER, subresource: 'status' });
}

export interface CrashSpec {
  restarts: number;
  everySeconds: number;
  exitCode: number;
  lastLogLine: string;
}

/** Each selected pod crash-loops until healed; returns the heal. */
export function crashPods(ctx: PodContext, selection: TimelinePodSelection, spec: CrashSpec): Undo {
  const { cluster } = ctx;
  const crashed = selectPods(cluster, selection).map((pod) => ({ namespace: pod.metadata.namespace ?? '', name: pod.metadata.name }));
  for (const { namespace, name } of crashed) {
    const key = `${namespace}/${name}`;
    ctx.crashLoops.get(key)?.();
    const crash = (restarts: number): KubeObject | undefined => {
      const at = clockTime(cluster);
      const startedAt = new Date(cluster.clock.now() - 2_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const pod = writeStatus(cluster, namespace, name, (status, p) => {
        status.containerStatuses = statusesOf(status).map((c) => crashedContainer(c, p, spec.exitCode, restarts, at, startedAt));
        setReadyConditions(status, p, false, at);
      });
      if (pod) restartLogs(cluster, pod, spec.lastLogLine, false);
      return pod;
    };
    const pod = crash(spec.restarts);
    if (!pod) continue;
    refreshOwner(cluster, namespace, controllerOf(pod));
    // The back-off: the kubelet starts it again, it fails again.
    let cancel = (): void => {};
    const again = (): void => {
      cancel = ctx.later(spec.everySeconds * 1000, () => {
        if (crash(1)) again();
      });
    };
    again();
    ctx.crashLoops.set(key, () => {
      cancel();
      ctx.crashLoops.delete(key);
    });
  }
  return () => {
    for (const { namespace, name } of crashed) {
      const key = `${namespace}/${name}`;
      if (!ctx.crashLoops.has(key)) continue;
      ctx.crashLoops.get(key)?.();
      runAgain(cluster, namespace, name, spec.lastLogLine);
    }
  };
}

/** The container starts and stays up: Ready, one more restart, what it logged in `--previous`. */
function runAgain(cluster: SimCluster, namespace: string, name: string, lastLine: string | undefined): void {
  const at = clockTime(cluster);
  const pod = writeStatus(cluster, namespace, name, (status, p) => {
    status.containerStatuses = statusesOf(status).map((c) => {
      const terminated = (c.state as { running?: { startedAt?: unknown } } | undefined)?.running;
      // A running container that is restarted ends now; a crashed one keeps its last termination.
      const lastState =
        terminated !== undefined
          ? {
              terminated: {
                exitCode: 137,
                reason: 'Error',
                startedAt: terminated.startedAt ?? at,
                finishedAt: at,
                containerID: c.containerID ?? '',
              },
            }
          : undefined;
      return runningContainer(c, p, at, lastState as JsonObject | undefined);
    });
    setReadyConditions(status, p, true, at);
  });
  if (!pod) return;
  restartLogs(cluster, pod, lastLine, true);
  refreshOwner(cluster, namespace, controllerOf(pod));
}

/** Each selected pod's containers restart in place (killed, started again); a crash loop ends. */
export function restartPods(ctx: PodContext, selection: TimelinePodSelection): void {
  for (const pod of selectPods(ctx.cluster, selection)) {
    const namespace = pod.metadata.namespace ?? '';
    ctx.crashLoops.get(`${namespace}/${pod.metadata.name}`)?.();
    runAgain(ctx.cluster, namespace, pod.metadata.name, undefined);
  }
}

/** `<owner>-<5 letters>` as a DaemonSet or ReplicaSet names a new pod, derived from the one it replaces. */
export function replacementName(cluster: SimCluster, pod: KubeObject): string {
  const base = /-[a-z0-9]{5}$/.test(pod.metadata.name) ? pod.metadata.name.slice(0, -6) : pod.metadata.name;
  const taken = new Set(cluster.list('v1', 'Pod', pod.metadata.namespace).map((p) => p.metadata.name));
  for (let n = 0; ; n++) {
    const bytes = createHash('sha256').update(`${pod.metadata.name}/${n}`).digest();
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += SUFFIX_ALPHABET[(bytes[i] as number) % SUFFIX_ALPHABET.length];
    const name = `${base}-${suffix}`;
    if (!taken.has(name) && name !== pod.metadata.name) return name;
  }
}

/** The replacement pod, created Pending and reported Running by its kubelet; it logs like the pod it replaces. */
function replace(cluster: SimCluster, old: KubeObject, scripts: readonly PodLogScript[]): void {
  const rt = podType(cluster);
  const name = replacementName(cluster, old);
  const namespace = old.metadata.namespace ?? '';
  const fresh = jsonCopy(old);
  fresh.metadata = {
    name,
    namespace,
    ...(old.metadata.labels !== undefined ? { labels: { ...old.metadata.labels } } : {}),
    ...(old.metadata.annotations !== undefined ? { annotations: { ...old.metadata.annotations } } : {}),
    ...(old.metadata.ownerReferences !== undefined ? { ownerReferences: jsonCopy(old.metadata.ownerReferences) } : {}),
  };
  delete fresh.status;
  cluster.store.create(rt, fresh, { fieldManager: TIMELINE_FIELD_MANAGER });
  const at = clockTime(cluster);
  const before = old.status as JsonObject | undefined;
  const pod = writeStatus(cluster, namespace, name, (status) => {
    const condition = (type: string): JsonObject => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: at });
    status.phase = 'Running';
    status.conditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition);
    for (const field of ['hostIP', 'hostIPs', 'podIP', 'podIPs'])
      if (before?.[field] !== undefined) status[field] = jsonCopy(before[field]);
    status.startTime = at;
    status.containerStatuses = statusesOf(before ?? {}).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: c.imageID ?? '',
      containerID: digestId(`${namespace}/${name}/${c.name}/0`),
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: at } },
      lastState: {},
    }));
  });
  for (const script of scripts) {
    const first = script.history[0];
    cluster.addPodLog({
      ...script,
      pod: name,
      history: first !== undefined ? [{ ageSeconds: 0, text: first.text }] : [],
      live: script.live,
    });
  }
  if (pod) refreshOwner(cluster, namespace, controllerOf(pod));
}

/** Each selected pod is deleted; its controller's replacement runs `replaceAfterSeconds` later (null: none). */
export function deletePods(ctx: PodContext, selection: TimelinePodSelection, replaceAfterSeconds: number | null): void {
  const { cluster } = ctx;
  const rt = podType(cluster);
  for (const pod of selectPods(cluster, selection)) {
    const namespace = pod.metadata.namespace ?? '';
    ctx.crashLoops.get(`${namespace}/${pod.metadata.name}`)?.();
    const scripts = containerNames(pod)
      .map((container) => cluster.podLogScript(namespace, pod.metadata.name, container))
      .filter((script): script is PodLogScript => script !== undefined);
    cluster.store.delete(rt, namespace, pod.metadata.name, { fieldManager: TIMELINE_FIELD_MANAGER });
    // The kubelet stops its containers: log follows end.
    cluster.endPodLogs(namespace, pod.metadata.name);
    refreshOwner(cluster, namespace, controllerOf(pod));
    if (replaceAfterSeconds !== null) ctx.later(replaceAfterSeconds * 1000, () => replace(cluster, pod, scripts));
  }
}
