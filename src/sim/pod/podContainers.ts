// Which container a pod log request reads, decided as a real cluster decides it: first the
// apiserver (a name is required when the pod has several; it must exist), then the kubelet
// (the container's state must allow reading, and `previous` needs a terminated instance).
import { badRequest } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';

interface ContainerStatus {
  name?: unknown;
  state?: { waiting?: { reason?: unknown } };
  lastState?: { terminated?: { containerID?: unknown } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function namesIn(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((c) => (isRecord(c) && typeof c.name === 'string' ? [c.name] : []));
}

/** podutil.VisitContainers order: init containers, containers, ephemeral containers. */
export function containerNames(pod: KubeObject): { all: string[]; regular: string[] } {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const regular = namesIn(spec.containers);
  return { all: [...namesIn(spec.initContainers), ...regular, ...namesIn(spec.ephemeralContainers)], regular };
}

/** The apiserver's validateContainer; throws 400 BadRequest with its exact wording. */
export function resolveContainer(pod: KubeObject, requested: string | undefined): string {
  const name = pod.metadata.name;
  const { all, regular } = containerNames(pod);
  if (!requested) {
    if (regular.length === 1 && regular[0] !== undefined) return regular[0];
    if (regular.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    // Go prints the []string with %s: "[a b c]".
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
  }
  if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

function statusOf(pod: KubeObject, container: string): ContainerStatus | undefined {
  const status = isRecord(pod.status) ? pod.status : {};
  for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    const list = status[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (isRecord(entry) && entry.name === container) return entry;
    }
  }
  return undefined;
}

/** Whether the pod's status records a terminated previous instance of the container. */
export function hasTerminatedPrevious(pod: KubeObject, container: string): boolean {
  const id = statusOf(pod, container)?.lastState?.terminated?.containerID;
  return typeof id === 'string' && id !== '';
}

/**
 * The kubelet's validateContainerLogStatus, for the states a scenario can describe. A pod without
 * a status for the container is served as running: generated pods need not spell statuses out.
 */
export function checkContainerReadable(pod: KubeObject, container: string, previous: boolean, scriptHasPrevious: boolean): void {
  const podName = pod.metadata.name;
  if (previous) {
    if (scriptHasPrevious || hasTerminatedPrevious(pod, container)) return;
    throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
  }
  const status = statusOf(pod, container);
  const waiting = status?.state?.waiting;
  if (!status || !waiting || hasTerminatedPrevious(pod, container)) return;
  const reason = typeof waiting.reason === 'string' ? waiting.reason : '';
  if (reason === 'ErrImagePull')
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
  if (reason === 'ImagePullBackOff') {
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
  }
  throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
}

/** A pod no node has been assigned: the apiserver has no kubelet to ask for its log or port. */
export function isUnscheduled(pod: KubeObject): boolean {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const status = isRecord(pod.status) ? pod.status : {};
  // Only when the scenario says so (Pending): generated running pods may omit nodeName.
  return !spec.nodeName && status.phase === 'Pending';
}
