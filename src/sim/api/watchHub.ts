// Watches on the store: every write is recorded in its type's history and fanned out to that
// type's watchers, each seeing it through its own namespace and selectors, in rv order.
import { withMeta } from './frozenJson.ts';
import type { HistoryEntry } from './eventHistory.ts';
import { parseResourceVersion } from './resourceVersionParam.ts';
import { selectableFields } from './selectors.ts';
import type { FieldSelector, LabelSelector } from './selectors.ts';
import { expired } from './status.ts';
import type { StoreEvent } from './storeTypes.ts';
import { scopeNamespace, storageKey } from './typeBucket.ts';
import type { TypeBucket } from './typeBucket.ts';
import type { KubeObject, ResourceType } from './types.ts';

export interface Watcher {
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  listener: (e: StoreEvent) => void;
  active: boolean;
}

/** What a watch asks for once its selectors are parsed. */
export interface WatchRequest {
  /** undefined: every namespace (or a cluster-scoped type). */
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  resourceVersion: string | undefined;
}

export class WatchHub {
  /** Events raised while listeners run are queued so every watcher sees them in rv order. */
  readonly #pending: { bucket: TypeBucket; entry: HistoryEntry }[] = [];
  #delivering = false;

  /** Remembers a write in its type's history and tells the type's watchers. */
  record(b: TypeBucket, type: StoreEvent['type'], object: KubeObject, prev: KubeObject | undefined): void {
    const namespace = scopeNamespace(b.rt, object.metadata.namespace);
    const entry: HistoryEntry = {
      rv: Number(object.metadata.resourceVersion),
      type,
      key: storageKey(b.rt, namespace, object.metadata.name),
      namespace,
      object,
      prev,
    };
    b.history.append(entry);
    this.#pending.push({ bucket: b, entry });
    this.#drain();
  }

  /**
   * Starts a watch: from no resourceVersion (or '0') it first sees every matching object as
   * ADDED; from a number it sees every later event still in history (410 if compacted).
   * Returns the function that stops it.
   */
  open(b: TypeBucket, req: WatchRequest, listener: (e: StoreEvent) => void): () => void {
    const rt = b.rt;
    const { namespace, labels, fields } = req;
    const w: Watcher = { namespace, labels, fields, listener, active: true };
    const rvText = req.resourceVersion;

    if (rvText === undefined || rvText === '' || rvText === '0') {
      for (const sk of b.sorted(namespace)) {
        const obj = b.lookup(sk.namespace, sk.name);
        if (obj && labels.matches(obj.metadata.labels) && (fields.requirements.length === 0 || fields.matches(selectableFields(rt, obj))))
          callSafely(listener, { type: 'ADDED', object: obj });
      }
    } else {
      const from = parseResourceVersion(rt, rvText);
      if (from < b.history.start) throw expired(`too old resource version: ${from} (${b.history.start})`);
      // Length is re-read each turn: a write made by the listener during replay is replayed too.
      for (let i = 0; i < b.history.entries.length; i++) {
        const e = b.history.entries[i];
        if (e && e.rv > from) deliver(rt, w, e);
      }
    }
    b.watchers.push(w);
    return () => {
      w.active = false;
      const i = b.watchers.indexOf(w);
      if (i >= 0) b.watchers.splice(i, 1);
    };
  }

  #drain(): void {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let next = this.#pending.shift(); next; next = this.#pending.shift()) {
        for (const w of [...next.bucket.watchers]) deliver(next.bucket.rt, w, next.entry);
      }
    } finally {
      this.#delivering = false;
    }
  }
}

/** The watch cache's per-watcher view of one event (selector transitions become ADDED/DELETED). */
function deliver(rt: ResourceType, w: Watcher, e: HistoryEntry): void {
  if (!w.active) return;
  if (w.namespace !== undefined && rt.namespaced && e.namespace !== w.namespace) return;
  const passes = (obj: KubeObject | undefined): boolean =>
    obj !== undefined &&
    w.labels.matches(obj.metadata.labels) &&
    (w.fields.requirements.length === 0 || w.fields.matches(selectableFields(rt, obj)));
  let event: StoreEvent | undefined;
  if (e.type === 'DELETED') {
    if (passes(e.object) || passes(e.prev)) event = { type: 'DELETED', object: e.object };
  } else {
    const cur = passes(e.object);
    const was = e.type === 'MODIFIED' && passes(e.prev);
    if (cur && was) event = { type: 'MODIFIED', object: e.object };
    else if (cur) event = { type: 'ADDED', object: e.object };
    else if (was && e.prev) event = { type: 'DELETED', object: withMeta(e.prev, { resourceVersion: String(e.rv) }) };
  }
  if (event) callSafely(w.listener, event);
}

/** A broken listener must not corrupt the store or starve the other watchers; it fails loudly later. */
function callSafely(listener: (e: StoreEvent) => void, event: StoreEvent): void {
  try {
    listener(event);
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
