// The three patch formats kube-apiserver accepts besides apply: JSON merge patch (RFC 7386),
// JSON patch (RFC 6902) and strategic merge patch for built-in kinds. Inputs are never
// mutated; results are fresh JSON. Failures are ApiErrors worded like the real server's.
import { ApiError, badRequest } from './status.ts';
import type { JsonObject, JsonValue } from './types.ts';

function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

function clone<T extends JsonValue>(v: T): T {
  return structuredClone(v);
}

/**
 * A patch the server could decode but not apply: the real handler (1.37, checked against a
 * real kube-apiserver by the contract suite) answers a generic 422 with empty details. The
 * patch library's words stay on the error (never sent) for our own tests and debugging.
 */
export class PatchRejected extends ApiError {
  readonly detail: string;
  constructor(detail: string) {
    super({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    });
    this.detail = detail;
  }
}

function patchRejected(message: string): ApiError {
  return new PatchRejected(message);
}

/** The JSON type name Go's encoding/json puts in an UnmarshalTypeError. */
export function goJsonType(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

// --- RFC 7386 -------------------------------------------------------------------------------

export function applyMergePatch(original: JsonValue, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return clone(patch);
  const target: JsonObject = isObject(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else target[key] = applyMergePatch(target[key] ?? null, value);
  }
  return target;
}

// --- RFC 6902 -------------------------------------------------------------------------------

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: JsonValue;
  hasValue: boolean;
}

function decodeOperations(operations: JsonValue): Operation[] {
  if (!Array.isArray(operations))
    throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonType(operations)} into Go value of type []handlers.jsonPatchOp`);
  return operations.map((raw) => {
    if (!isObject(raw))
      throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonType(raw)} into Go value of type handlers.jsonPatchOp`);
    const op = typeof raw.op === 'string' ? raw.op : '';
    const path = typeof raw.path === 'string' ? raw.path : undefined;
    if (path === undefined) throw patchRejected(`${op === '' ? 'unknown' : op} operation missing path field: missing value`);
    const operation: Operation = { op, path, hasValue: Object.hasOwn(raw, 'value') };
    if (typeof raw.from === 'string') operation.from = raw.from;
    if (operation.hasValue) operation.value = raw.value ?? null;
    return operation;
  });
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw patchRejected(`invalid JSON pointer: "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | JsonValue[];

/** The container holding the last segment of a pointer, or undefined when the path is missing. */
function parentOf(doc: JsonValue, parts: string[]): Container | undefined {
  let cur: JsonValue = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(p)) return undefined;
      const next: JsonValue | undefined = cur[Number(p)];
      if (next === undefined) return undefined;
      cur = next;
    } else if (isObject(cur)) {
      const next: JsonValue | undefined = cur[p];
      if (next === undefined) return undefined;
      cur = next;
    } else return undefined;
  }
  return Array.isArray(cur) || isObject(cur) ? cur : undefined;
}

function getAt(doc: JsonValue, path: string): JsonValue | undefined {
  const parts = parsePointer(path);
  if (parts.length === 0) return doc;
  const parent = parentOf(doc, parts);
  const last = parts[parts.length - 1] ?? '';
  if (Array.isArray(parent)) return /^\d+$/.test(last) ? parent[Number(last)] : undefined;
  return parent ? parent[last] : undefined;
}

function arrayIndex(arr: JsonValue[], key: string, forInsert: boolean): number {
  if (forInsert && key === '-') return arr.length;
  if (!/^\d+$/.test(key)) throw patchRejected(`Unable to access invalid index: ${key}: invalid index referenced`);
  const i = Number(key);
  if (i > arr.length || (!forInsert && i === arr.length))
    throw patchRejected(`Unable to access invalid index: ${i}: invalid index referenced`);
  return i;
}

function addAt(doc: JsonValue, path: string, value: JsonValue): JsonValue {
  const parts = parsePointer(path);
  if (parts.length === 0) return value;
  const parent = parentOf(doc, parts);
  if (!parent) throw patchRejected(`add operation does not apply: doc is missing path: "${path}": missing value`);
  const last = parts[parts.length - 1] ?? '';
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true), 0, value);
  else parent[last] = value;
  return doc;
}

function removeAt(doc: JsonValue, path: string, op: string): JsonValue {
  const parts = parsePointer(path);
  const parent = parentOf(doc, parts);
  if (!parent) throw patchRejected(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  const last = parts[parts.length - 1] ?? '';
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, last, false), 1);
  } else {
    if (!Object.hasOwn(parent, last))
      throw patchRejected(`error in ${op} for path: '${path}': Unable to remove nonexistent key: ${last}: missing value`);
    delete parent[last];
  }
  return doc;
}

function replaceAt(doc: JsonValue, path: string, value: JsonValue): JsonValue {
  const parts = parsePointer(path);
  if (parts.length === 0) return value;
  const parent = parentOf(doc, parts);
  const last = parts[parts.length - 1] ?? '';
  if (!parent) throw patchRejected(`replace operation does not apply: doc is missing key: ${path}: missing value`);
  if (Array.isArray(parent)) {
    parent[arrayIndex(parent, last, false)] = value;
  } else {
    if (!Object.hasOwn(parent, last)) throw patchRejected(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[last] = value;
  }
  return doc;
}

export function applyJsonPatch(original: JsonValue, operations: JsonValue): JsonValue {
  let doc = clone(original);
  for (const o of decodeOperations(operations)) {
    const value = (): JsonValue => {
      if (!o.hasValue) throw patchRejected(`${o.op} operation missing value field: missing value`);
      return clone(o.value ?? null);
    };
    switch (o.op) {
      case 'add':
        doc = addAt(doc, o.path, value());
        break;
      case 'remove':
        doc = removeAt(doc, o.path, 'remove');
        break;
      case 'replace':
        doc = replaceAt(doc, o.path, value());
        break;
      case 'move': {
        if (o.from === undefined) throw patchRejected('move operation missing from field: missing value');
        const moved = getAt(doc, o.from);
        if (moved === undefined) throw patchRejected(`move operation does not apply: doc is missing from path: ${o.from}: missing value`);
        doc = removeAt(doc, o.from, 'move');
        doc = addAt(doc, o.path, moved);
        break;
      }
      case 'copy': {
        if (o.from === undefined) throw patchRejected('copy operation missing from field: missing value');
        const copied = getAt(doc, o.from);
        if (copied === undefined) throw patchRejected(`copy operation does not apply: doc is missing from path: ${o.from}: missing value`);
        doc = addAt(doc, o.path, clone(copied));
        break;
      }
      case 'test': {
        const expected = value();
        const actual = getAt(doc, o.path);
        if (actual === undefined ? expected !== null : !jsonEqual(actual, expected))
          throw patchRejected(`testing value ${o.path} failed: test failed`);
        break;
      }
      default:
        throw patchRejected(`Unexpected kind: ${o.op}: unknown object type`);
    }
  }
  return doc;
}

function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i] ?? null));
  if (isObject(a) && isObject(b)) {
    const ak = Object.keys(a);
    return ak.length === Object.keys(b).length && ak.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k] ?? null, b[k] ?? null));
  }
  return false;
}

// --- strategic merge patch ------------------------------------------------------------------

/**
 * List merge keys from the built-in types' `patchMergeKey` tags, by field path (list items add
 * no segment). '' marks a list of primitives merged as a set (`patchStrategy:"merge"`).
 * Lists not named here are atomic: the patch replaces them.
 */
const CONTAINER_LISTS: Record<string, string> = {
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
};

function podSpecKeys(prefix: string): Record<string, string> {
  const keys: Record<string, string> = {
    [`${prefix}volumes`]: 'name',
    [`${prefix}imagePullSecrets`]: 'name',
    [`${prefix}hostAliases`]: 'ip',
    [`${prefix}topologySpreadConstraints`]: 'topologyKey',
  };
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    keys[`${prefix}${list}`] = 'name';
    for (const [field, key] of Object.entries(CONTAINER_LISTS)) keys[`${prefix}${list}.${field}`] = key;
  }
  return keys;
}

const COMMON_KEYS: Record<string, string> = {
  'metadata.ownerReferences': 'uid',
  'metadata.finalizers': '',
  'status.conditions': 'type',
};

const MERGE_KEYS: Record<string, Record<string, string>> = {
  Pod: { ...podSpecKeys('spec.'), 'status.podIPs': 'ip', 'status.hostIPs': 'ip' },
  Deployment: podSpecKeys('spec.template.spec.'),
  DaemonSet: podSpecKeys('spec.template.spec.'),
  Service: { 'spec.ports': 'port' },
  Node: { 'status.addresses': 'type', 'spec.podCIDRs': '' },
  Namespace: {},
  ConfigMap: {},
  Secret: {},
};

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

function mergeKeyFor(kind: string, path: string): string | undefined {
  return MERGE_KEYS[kind]?.[path] ?? COMMON_KEYS[path];
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function mergeMap(kind: string, path: string, original: JsonObject | undefined, patch: JsonObject): JsonObject | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const replaced: JsonObject = {};
    for (const [k, v] of Object.entries(patch)) if (k !== DIRECTIVE) replaced[k] = clone(v);
    return replaced;
  }
  if (directive !== undefined && directive !== 'merge') throw badRequest(`Unknown patch type: ${JSON.stringify(directive)}`);

  const result: JsonObject = original ? clone(original) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) result[field] = current.filter((v) => !value.some((d) => jsonEqual(d, v)));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = mergeValue(kind, join(path, key), result[key], value);
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER) || !Array.isArray(order)) continue;
    const field = key.slice(SET_ELEMENT_ORDER.length);
    const list = result[field];
    if (Array.isArray(list)) result[field] = ordered(list, order, mergeKeyFor(kind, join(path, field)));
  }
  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) {
    for (const k of Object.keys(result)) if (!retain.includes(k)) delete result[k];
  }
  return result;
}

/**
 * Applies a $setElementOrder list: the elements it names come in its order, the ones it does
 * not name (present only on the server) keep their place after them.
 */
function ordered(list: JsonValue[], order: JsonValue[], mergeKey: string | undefined): JsonValue[] {
  const identity = (e: JsonValue): JsonValue => (mergeKey && isObject(e) ? (e[mergeKey] ?? null) : e);
  const wanted = order.map(identity);
  const position = (e: JsonValue): number => wanted.findIndex((w) => jsonEqual(w, identity(e)));
  const named = list.filter((e) => position(e) >= 0).sort((a, b) => position(a) - position(b));
  const rest = list.filter((e) => position(e) < 0);
  return [...named, ...rest];
}

function mergeValue(kind: string, path: string, original: JsonValue | undefined, patch: JsonValue): JsonValue | undefined {
  if (isObject(patch)) return mergeMap(kind, path, isObject(original) ? original : undefined, patch);
  if (Array.isArray(patch)) return mergeList(kind, path, Array.isArray(original) ? original : undefined, patch);
  return clone(patch);
}

function mergeList(kind: string, path: string, original: JsonValue[] | undefined, patch: JsonValue[]): JsonValue[] {
  // A {$patch: replace} element means "the rest of this list is the whole list".
  if (patch.some((e) => isObject(e) && e[DIRECTIVE] === 'replace'))
    return patch.filter((e) => !(isObject(e) && e[DIRECTIVE] === 'replace')).map((e) => clone(e));
  const mergeKey = mergeKeyFor(kind, path);
  if (mergeKey === undefined || original === undefined) {
    return patch.filter((e) => !(isObject(e) && e[DIRECTIVE] === 'delete')).map((e) => clone(e));
  }
  if (mergeKey === '') {
    // A set of primitives: union, keeping the original order.
    const result = original.map((e) => clone(e));
    for (const e of patch) if (!result.some((r) => jsonEqual(r, e))) result.push(clone(e));
    return result;
  }
  const result: JsonValue[] = original.map((e) => clone(e));
  const indexOf = (key: JsonValue | undefined): number =>
    result.findIndex((r) => isObject(r) && key !== undefined && jsonEqual(r[mergeKey] ?? null, key));
  for (const element of patch) {
    if (!isObject(element)) {
      result.push(clone(element));
      continue;
    }
    const key = element[mergeKey];
    if (key === undefined) throw badRequest(`map: ${JSON.stringify(element)} does not contain declared merge key: ${mergeKey}`);
    const at = indexOf(key);
    if (element[DIRECTIVE] === 'delete') {
      if (at >= 0) result.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const merged = mergeMap(kind, path, result[at] as JsonObject, element);
      if (merged === undefined) result.splice(at, 1);
      else result[at] = merged;
    } else {
      result.push(mergeMap(kind, path, undefined, element) ?? {});
    }
  }
  return result;
}

/**
 * Strategic merge patch for the built-in kinds we serve. Custom resources never get here
 * (the real server answers 415 for them); unknown lists are treated as atomic.
 */
export function applyStrategicMergePatch(original: JsonValue, patch: JsonValue, kind: string): JsonValue {
  if (!isObject(patch)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return mergeMap(kind, '', isObject(original) ? original : undefined, patch) ?? {};
}
