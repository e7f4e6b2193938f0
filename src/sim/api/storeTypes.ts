// What callers of the object store pass in and get back; the store's public vocabulary.
import type { KubeObject } from './types.ts';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** Absent, '' or '0': the latest state. A number: at least that new, or exactly it with resourceVersionMatch 'Exact'. */
  resourceVersion?: string;
  resourceVersionMatch?: string;
}
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** managedFields operation; 'Apply' for server-side apply patches. Defaults to 'Update'. */
  fieldOperation?: 'Update' | 'Apply';
}
export interface DeleteOptions extends WriteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}
export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
}
export type StoreEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject };
