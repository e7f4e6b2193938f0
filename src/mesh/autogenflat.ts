// Names Solo's peering controller gives the objects it generates for flat networks (reference
// §6.2), so the console can tell which WorkloadEntry came from which remote pod and find stale ones.
import { createHash } from 'node:crypto';

export const SOURCE_WORKLOAD_LABEL = 'solo.io/source-workload';
export const SOURCE_CLUSTER_LABEL = 'solo.io/source-cluster';
export const PEERED_WORKLOAD_UID_ANNOTATION = 'solo.io/peered-workload-uid';
export const AUTOGENFLAT_PREFIX = 'autogenflat.';

/** Kubernetes object names (DNS subdomains) stop at 253 characters; Solo truncates there. */
const MAX_NAME = 253;
/** Label values stop at 63 characters; longer group labels are replaced by a hash. */
const MAX_LABEL_VALUE = 63;

/**
 * `autogenflat.<cluster>.<podNamespace>.<podName>.<hash12>`, where hash12 is the first 12 hex
 * digits of SHA-256 over the comma-joined names (`<namespace>/<service>`) of the federated
 * services that select the pod, in the order given; truncated to 253 characters.
 * Solo's own example: cluster c2, pod default/pod1 selected by default/svc1 → `autogenflat.c2.default.pod1.f2396f15c5c2`.
 */
export function autogenflatName(cluster: string, podNamespace: string, podName: string, serviceNames: string[]): string {
  const hash12 = sha256Hex(serviceNames.join(',')).slice(0, 12);
  return `${AUTOGENFLAT_PREFIX}${cluster}.${podNamespace}.${podName}.${hash12}`.slice(0, MAX_NAME);
}

/**
 * The `solo.io/source-workload` group label shared by every WorkloadEntry made for one remote
 * pod: `autogenflat.<cluster>.<ns>.<pod>`, or `autogenflat.<first 8 hex of its SHA-256>` when
 * that is longer than a label value may be.
 */
export function sourceWorkloadLabel(cluster: string, podNamespace: string, podName: string): string {
  const label = `${AUTOGENFLAT_PREFIX}${cluster}.${podNamespace}.${podName}`;
  return label.length > MAX_LABEL_VALUE ? `${AUTOGENFLAT_PREFIX}${sha256Hex(label).slice(0, 8)}` : label;
}

export interface PeeredWorkloadUid {
  cluster: string;
  /** '' for core kinds such as Pod. */
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Parse `solo.io/peered-workload-uid`: `<cluster>/<group>/<kind>/<namespace>/<name>`, e.g.
 * `c2//Pod/default/pod1`. Anything without those five parts (or with an empty cluster, kind,
 * namespace or name) is not a workload uid and yields undefined. (Solo's stale check tolerates
 * extra trailing parts; real uids never have them, and a name cannot contain '/'.)
 */
export function parsePeeredWorkloadUid(uid: string): PeeredWorkloadUid | undefined {
  if (typeof uid !== 'string' || uid.length > 1024) return undefined;
  const parts = uid.split('/');
  if (parts.length !== 5) return undefined;
  const [cluster = '', group = '', kind = '', namespace = '', name = ''] = parts;
  if (!cluster || !kind || !namespace || !name) return undefined;
  return { cluster, group, kind, namespace, name };
}

/** The uid Solo writes for a remote pod: `<cluster>//Pod/<namespace>/<name>`. */
export function peeredPodUid(cluster: string, podNamespace: string, podName: string): string {
  return `${cluster}//Pod/${podNamespace}/${podName}`;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
