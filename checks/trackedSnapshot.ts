// Records what a check reads from a MeshSnapshot, so its result can be reused while those parts
// are the same objects. The store replaces what changes and keeps the references of what does
// not (src/store/applyUpdates.ts), so "same reference" means "same data". Tracking is automatic
// (a read-only Proxy over the top levels of the snapshot) rather than declared by each check:
// a declaration that forgot one input would silently serve stale findings; a recorded read
// cannot be forgotten.
//
// Only the containers are wrapped — the snapshot, its per-context maps, each ContextState and
// ResourceState, each context's facts — and everything below them (an objects map, a fact, a
// status) is recorded as one leaf read and handed out unwrapped, so a check runs at full speed
// once it holds the data.
import type { MeshSnapshot } from '../src/store/types.ts';

/** One read: where it was (a path from the snapshot root) and what it found. */
interface Read {
  path: readonly string[];
  /** `keys` records the key list of a container (Object.keys / in / iteration). */
  how: 'value' | 'keys' | 'has';
  seen: unknown;
}

/** A check's results depend on the clock only to the minute (days left, minutes stale). */
export const CLOCK_RESOLUTION_MS = 60_000;

function clockBucket(takenAt: unknown): unknown {
  return typeof takenAt === 'string' ? Math.floor(Date.parse(takenAt) / CLOCK_RESOLUTION_MS) : takenAt;
}

/**
 * Which paths are containers to look into (and so are wrapped): the snapshot root, the three
 * per-context maps, a ContextState, its resources map, a ResourceState, a context's facts.
 */
function isContainer(path: readonly string[]): boolean {
  const [top] = path;
  if (path.length === 0) return true;
  if (top === 'contexts') return path.length <= 2 || (path[2] === 'resources' && path.length <= 4);
  if (top === 'facts') return path.length <= 2;
  if (top === 'logSignatures') return path.length <= 1;
  return false;
}

function keysOf(value: unknown): string {
  return typeof value === 'object' && value !== null ? Object.keys(value).join('\u0000') : '';
}

function at(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const step of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

function valueOf(path: readonly string[], value: unknown): unknown {
  return path.length === 1 && path[0] === 'takenAt' ? clockBucket(value) : value;
}

/** A frozen property must be handed out as itself (a Proxy invariant); it is then read as a leaf. */
function wrappable(obj: object, property: string): boolean {
  const descriptor = Reflect.getOwnPropertyDescriptor(obj, property);
  return descriptor === undefined || descriptor.configurable === true || descriptor.writable === true;
}

export class ReadLog {
  readonly #reads = new Map<string, Read>();

  record(path: readonly string[], how: Read['how'], seen: unknown): void {
    const key = `${how}\u0001${path.join('\u0000')}`;
    if (!this.#reads.has(key)) this.#reads.set(key, { path, how, seen });
  }

  /** Whether every read would find the same thing in `snapshot`. */
  sameIn(snapshot: MeshSnapshot): boolean {
    for (const read of this.#reads.values()) {
      const current = at(snapshot, read.path);
      const now = read.how === 'keys' ? keysOf(current) : read.how === 'has' ? current !== undefined : valueOf(read.path, current);
      if (!Object.is(now, read.seen)) return false;
    }
    return true;
  }

  get size(): number {
    return this.#reads.size;
  }
}

/** A view of `snapshot` that records every read into `log`. Read-only: writes throw. */
export function trackedSnapshot(snapshot: MeshSnapshot, log: ReadLog): MeshSnapshot {
  const wrap = (target: object, path: readonly string[]): object => {
    // The snapshot does not change while a check runs, so each property is recorded and
    // (for a container) wrapped once, and later reads of it cost a Map lookup.
    const seen = new Map<string, unknown>();
    const has = new Map<string, boolean>();
    let keysRecorded = false;
    return new Proxy(target, {
      get(obj, property, receiver) {
        if (typeof property === 'symbol') return Reflect.get(obj, property, receiver) as unknown;
        if (seen.has(property)) return seen.get(property);
        const value: unknown = Reflect.get(obj, property, receiver);
        const childPath = [...path, property];
        let out = value;
        if (isContainer(childPath) && typeof value === 'object' && value !== null && wrappable(obj, property)) {
          // A container is judged by what is read inside it, plus whether it exists at all.
          log.record(childPath, 'has', true);
          out = wrap(value, childPath);
        } else {
          log.record(childPath, 'value', valueOf(childPath, value));
        }
        seen.set(property, out);
        return out;
      },
      has(obj, property) {
        if (typeof property === 'symbol') return Reflect.has(obj, property);
        const known = has.get(property);
        if (known !== undefined) return known;
        const present = Reflect.has(obj, property);
        log.record([...path, property], 'has', present);
        has.set(property, present);
        return present;
      },
      ownKeys(obj) {
        if (!keysRecorded) log.record(path, 'keys', keysOf(obj));
        keysRecorded = true;
        return Reflect.ownKeys(obj);
      },
      set() {
        throw new TypeError('a check must not change the snapshot');
      },
      deleteProperty() {
        throw new TypeError('a check must not change the snapshot');
      },
    });
  };
  return wrap(snapshot, []) as MeshSnapshot;
}
