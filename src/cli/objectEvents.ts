// The Events about one object, for the console's detail view (what `kubectl describe` lists at
// its end). Fetched when a detail opens, through the object's own context's client, never watched:
// events are many and short-lived, and only the one object on screen needs them.
import { CoreV1Api, type CoreV1Event } from '@kubernetes/client-node';
import type { ContextClient } from '../kube/contextClient.ts';
import type { ObjectEvent } from '../console/services.ts';

/** The newest this many: the detail view is one screen. */
const MAX_EVENTS = 20;

export interface EventTarget {
  context: string;
  kind: string;
  namespace?: string;
  name: string;
}

export async function fetchObjectEvents(client: ContextClient, target: EventTarget): Promise<readonly ObjectEvent[]> {
  const api = client.makeApi(CoreV1Api);
  // Events about a cluster-scoped object (a Node, a GatewayClass) are recorded in `default`.
  const namespace = target.namespace ?? 'default';
  const fieldSelector = `involvedObject.kind=${target.kind},involvedObject.name=${target.name}`;
  const list = await api.listNamespacedEvent({ namespace, fieldSelector });
  return list.items
    .map(toObjectEvent)
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
    .slice(0, MAX_EVENTS);
}

function toObjectEvent(event: CoreV1Event): ObjectEvent {
  const last = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  return {
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: (event.message ?? '').trim(),
    count: event.count ?? event.series?.count ?? 1,
    lastSeen: last instanceof Date ? last.toISOString() : typeof last === 'string' ? last : '',
  };
}
