// A remediation's targets are the objects the finding saw, with the identity an action needs to
// refuse a stale plan: uid and resourceVersion as read, so a write can carry them as preconditions.
import type { KubeObjectJson } from '../src/store/types.ts';
import type { IntendedChange, RemediationTarget } from './types.ts';

/** Which object, in which context: the part a remediation target and an action's plan step share. */
export interface ObjectIdentity {
  context: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function objectIdentity(context: string, object: KubeObjectJson): ObjectIdentity {
  return {
    context,
    apiVersion: object.apiVersion,
    kind: object.kind,
    ...(object.metadata.namespace !== undefined ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
  };
}

export function targetOf(context: string, object: KubeObjectJson, change: IntendedChange): RemediationTarget {
  return {
    ...objectIdentity(context, object),
    ...(object.metadata.uid !== undefined ? { uid: object.metadata.uid } : {}),
    ...(object.metadata.resourceVersion !== undefined ? { resourceVersion: object.metadata.resourceVersion } : {}),
    change,
  };
}
