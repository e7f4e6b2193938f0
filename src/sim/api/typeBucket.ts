// Everything stored for one resource type: its objects by namespace and name, their keys in
// etcd order, its event history and its watchers.
import type { EventHistory } from './eventHistory.ts';
import type { KubeObject, ResourceType } from './types.ts';
import type { Watcher } from './watchHub.ts';

/** A storage key relative to the listed scope ('ns/name' across namespaces, else 'name'), and where it lives. */
export interface SortedKey {
  key: string;
  namespace: string;
  name: string;
}

/** The store's name for a type: the same kind in another version is the same stored object. */
export function typeKey(rt: ResourceType): string {
  return `${rt.group}/${rt.kind}`;
}

/** The namespace an object is filed under: '' for cluster-scoped types. */
export function scopeNamespace(rt: ResourceType, namespace: string | undefined): string {
  return rt.namespaced ? (namespace ?? '') : '';
}

export function storageKey(rt: ResourceType, namespace: string, name: string): string {
  return rt.namespaced ? `${namespace}/${name}` : name;
}

/** Byte order of keys, as etcd ranges over them. */
export function compareKeys(x: SortedKey, y: SortedKey): number {
  return x.key < y.key ? -1 : x.key > y.key ? 1 : 0;
}

export class TypeBucket {
  readonly rt: ResourceType;
  /** namespace ('' for cluster-scoped) → name → frozen object */
  readonly byNamespace = new Map<string, Map<string, KubeObject>>();
  /** Sorted storage keys per namespace ('*' for all); dropped when a key is added or removed. */
  readonly #sortedKeys = new Map<string, SortedKey[]>();
  readonly watchers: Watcher[] = [];
  readonly history: EventHistory;
  count = 0;

  constructor(rt: ResourceType, history: EventHistory) {
    this.rt = rt;
    this.history = history;
  }

  lookup(namespace: string, name: string): KubeObject | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  put(obj: KubeObject): void {
    const ns = scopeNamespace(this.rt, obj.metadata.namespace);
    let names = this.byNamespace.get(ns);
    if (!names) {
      names = new Map();
      this.byNamespace.set(ns, names);
    }
    if (!names.has(obj.metadata.name)) {
      this.count++;
      this.#sortedKeys.delete(ns);
      this.#sortedKeys.delete('*');
    }
    names.set(obj.metadata.name, obj);
  }

  remove(namespace: string, name: string): void {
    const names = this.byNamespace.get(namespace);
    if (names?.delete(name)) {
      this.count--;
      if (names.size === 0) this.byNamespace.delete(namespace);
      this.#sortedKeys.delete(namespace);
      this.#sortedKeys.delete('*');
    }
  }

  /** Storage keys in etcd order: all namespaces ('ns/name'), or one namespace ('name'), or cluster scope. */
  sorted(namespace: string | undefined): SortedKey[] {
    const scope = this.rt.namespaced && namespace === undefined ? '*' : (namespace ?? '');
    let keys = this.#sortedKeys.get(scope);
    if (!keys) {
      keys = [];
      if (scope === '*') {
        for (const [ns, names] of this.byNamespace)
          for (const name of names.keys()) keys.push({ key: `${ns}/${name}`, namespace: ns, name });
      } else {
        for (const name of this.byNamespace.get(scope)?.keys() ?? []) keys.push({ key: name, namespace: scope, name });
      }
      keys.sort(compareKeys);
      this.#sortedKeys.set(scope, keys);
    }
    return keys;
  }
}
