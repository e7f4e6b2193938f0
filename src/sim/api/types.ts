// Shapes shared by every part of the simulated Kubernetes API.
// Objects are plain JSON as the real API serves them; we never wrap them in classes
// so that what is stored is exactly what goes over the wire.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: JsonObject[];
  finalizers?: string[];
  managedFields?: JsonObject[];
  [key: string]: unknown;
}

/** A stored Kubernetes object: apiVersion/kind/metadata plus anything else (spec, status, data…). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** One served resource type, as discovery advertises it. */
export interface ResourceType {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Built-in kinds accept strategic merge patches; custom resources answer 415. */
  builtin: boolean;
  /** Subresources served, e.g. ['status', 'log', 'portforward']. */
  subresources: string[];
  /** Field selectors the real apiserver supports for this kind beyond metadata.name/namespace. */
  fieldSelectors?: string[];
  /** CRD-backed types can be "not installed" in a cluster (served 404, absent from discovery). */
  crd: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject | StatusObject;
}

/** metav1.Status as the real apiserver returns it. */
export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  /** `continue` carries the restart token of a 410 for a compacted continue token, as the real server sends. */
  metadata: Record<string, never> | { resourceVersion?: string; continue?: string };
  status: 'Success' | 'Failure';
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: { reason?: string; message: string; field?: string }[];
    retryAfterSeconds?: number;
  };
  code: number;
}
