// A remediation's targets are the objects the finding saw, with the identity an action needs to
// refuse a stale plan: uid and resourceVersion as read, so a write can carry them as preconditions.
import type { KubeObjectJson } from '../src/store/types.ts';
import type { IntendedChange, RemediationTarget } from './types.ts';

export function targetOf(context: string, object: KubeObjectJson, change: IntendedChange): RemediationTarget {
  return {
    context,
    apiVersion: object.apiVersion,
    kind: object.kind,
    ...(object.metadata.namespace !== undefined ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
    ...(object.metadata.uid !== undefined ? { uid: object.metadata.uid } : {}),
    ...(object.metadata.resourceVersion !== undefined ? { resourceVersion: object.metadata.resourceVersion } : {}),
    change,
  };
}
