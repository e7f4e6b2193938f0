// Timeline edits of an object's labels and of a Gateway's conditions. Each is a real write to the
// cluster's ObjectStore, as a controller or `kubectl label` would make it, so every watch sees a
// MODIFIED event; each hands back how to undo it (what `heal` does).
import { jsonCopy } from '../api/frozenJson.ts';
import type { JsonObject, KubeObject, ResourceType } from '../api/types.ts';
import type { SimCluster } from '../cluster.ts';
import type { TimelineCondition, TimelineObjectRef } from '../scenario/timelineModel.ts';

/** Who writes, in managedFields: the timeline, not a user. */
export const TIMELINE_FIELD_MANAGER = 'mesh-tui-sim-timeline';

export type Undo = () => void;

/** RFC 3339 without fractions, as metav1.Time serialises, on the cluster's clock. */
export function clockTime(cluster: SimCluster): string {
  return new Date(cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function typeOf(cluster: SimCluster, ref: { apiVersion: string; kind: string }): ResourceType {
  const rt = cluster.registry.anyByKind(ref.apiVersion, ref.kind);
  if (!rt) throw new Error(`${cluster.context}: no served type ${ref.apiVersion} ${ref.kind}`);
  return rt;
}

function current(cluster: SimCluster, ref: TimelineObjectRef): { rt: ResourceType; obj: KubeObject } {
  const rt = typeOf(cluster, ref);
  return { rt, obj: cluster.store.get(rt, ref.namespace, ref.name) };
}

/** Sets (a string) or removes (undefined) one label; returns the value it had. */
function writeLabel(cluster: SimCluster, ref: TimelineObjectRef, key: string, value: string | undefined): string | undefined {
  const { rt, obj } = current(cluster, ref);
  const next = jsonCopy(obj);
  const labels = { ...next.metadata.labels };
  const before = labels[key];
  if (value === undefined) delete labels[key];
  else labels[key] = value;
  next.metadata.labels = labels;
  cluster.store.update(rt, next, { fieldManager: TIMELINE_FIELD_MANAGER });
  return before;
}

export function setLabel(cluster: SimCluster, ref: TimelineObjectRef, key: string, value: string | undefined): Undo {
  const before = writeLabel(cluster, ref, key, value);
  return () => void writeLabel(cluster, ref, key, before);
}

function conditionsOf(obj: KubeObject): JsonObject[] {
  const status = obj.status as { conditions?: unknown } | undefined;
  return Array.isArray(status?.conditions) ? (status.conditions as JsonObject[]) : [];
}

/** Puts `condition` in place of the one of its type (or removes that type); returns the one it replaced. */
function writeCondition(
  cluster: SimCluster,
  ref: TimelineObjectRef,
  type: string,
  condition: JsonObject | undefined,
): JsonObject | undefined {
  const { rt, obj } = current(cluster, ref);
  const next = jsonCopy(obj);
  const conditions = conditionsOf(next);
  const index = conditions.findIndex((c) => c.type === type);
  const before = index >= 0 ? conditions[index] : undefined;
  const rest = conditions.filter((c) => c.type !== type);
  const written =
    condition === undefined ? rest : index >= 0 ? conditions.map((c, i) => (i === index ? condition : c)) : [...rest, condition];
  next.status = { ...(next.status ?? {}), conditions: written };
  cluster.store.update(rt, next, { fieldManager: TIMELINE_FIELD_MANAGER, subresource: 'status' });
  return before;
}

/** A Gateway condition as its controller writes it: the transition time moves only when the status does. */
export function setCondition(cluster: SimCluster, ref: TimelineObjectRef, condition: TimelineCondition): Undo {
  const { obj } = current(cluster, ref);
  const old = conditionsOf(obj).find((c) => c.type === condition.type);
  const generation = obj.metadata.generation;
  const written: JsonObject = {
    type: condition.type,
    status: condition.status,
    reason: condition.reason,
    message: condition.message,
    lastTransitionTime:
      old?.status === condition.status && typeof old.lastTransitionTime === 'string' ? old.lastTransitionTime : clockTime(cluster),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  const before = writeCondition(cluster, ref, condition.type, written);
  return () => {
    // Healed: the controller reports the old state again, as of now.
    const restored = before === undefined ? undefined : { ...before, lastTransitionTime: clockTime(cluster) };
    writeCondition(cluster, ref, condition.type, restored);
  };
}
