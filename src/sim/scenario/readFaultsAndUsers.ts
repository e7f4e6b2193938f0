// Readers for the parts of a cluster that configure the API server itself rather than the
// mesh: users (tokens and forbidden rules), missing CRDs, raw manifests and faults.
import { apiVersionOf, crdName, RESOURCE_TYPES } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { FaultSpec, ForbiddenRule } from './model.ts';
import { SpecProblem } from './scenarioError.ts';
import type { UserSpec } from './spec.ts';
import {
  child,
  optional,
  readBoolean,
  readInteger,
  readList,
  readMapping,
  readName,
  readOneOf,
  readString,
  required,
} from './specReader.ts';

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', '*'] as const;

function readForbiddenRule(value: unknown, path: string): ForbiddenRule {
  const m = readMapping(value, path, ['verb', 'resource', 'group', 'namespace']);
  const rule: ForbiddenRule = {
    verb: required(m, 'verb', path, (v, p) => readOneOf(v, p, VERBS)),
    resource: required(m, 'resource', path, (v, p) => {
      const resource = readString(v, p);
      if (!/^(\*|[a-z0-9]+(\/[a-z]+)?)$/.test(resource)) {
        throw new SpecProblem(p, `expected a plural resource like "pods" or "pods/log", or "*"; got ${JSON.stringify(resource)}`);
      }
      return resource;
    }),
  };
  if ('group' in m) rule.group = typeof m.group === 'string' ? m.group : readString(m.group, child(path, 'group'));
  const namespace = optional(m, 'namespace', path, readName, undefined);
  if (namespace !== undefined) rule.namespace = namespace;
  return rule;
}

export function readUser(value: unknown, path: string): UserSpec {
  const m = readMapping(value, path, ['name', 'expired', 'forbidden']);
  const name = required(m, 'name', path, readName);
  if (name === 'admin') throw new SpecProblem(child(path, 'name'), 'the name "admin" is reserved: every cluster already has an admin user');
  return {
    name,
    expired: optional(m, 'expired', path, readBoolean, false),
    forbidden: optional(m, 'forbidden', path, (v, p) => readList(v, p, readForbiddenRule), []),
  };
}

export function readCrdName(value: unknown, path: string): string {
  const name = readString(value, path);
  const known = RESOURCE_TYPES.filter((rt) => rt.crd).map(crdName);
  if (!known.includes(name)) throw new SpecProblem(path, `expected one of ${known.join(', ')}; got ${JSON.stringify(name)}`);
  return name;
}

export function readManifest(value: unknown, path: string): KubeObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SpecProblem(path, 'expected a Kubernetes object (a mapping with apiVersion, kind, metadata)');
  }
  const object = value as Record<string, unknown>;
  const apiVersion = required(object, 'apiVersion', path, readString);
  const kind = required(object, 'kind', path, readString);
  // The simulator can only serve the types it knows; say so here rather than at start-up.
  const served = RESOURCE_TYPES.filter((rt) => apiVersionOf(rt) === apiVersion && rt.kind === kind);
  if (served.length === 0) {
    const kinds = RESOURCE_TYPES.map((rt) => `${apiVersionOf(rt)} ${rt.kind}`).join(', ');
    throw new SpecProblem(child(path, 'kind'), `the simulator does not serve ${apiVersion} ${kind}; it serves ${kinds}`);
  }
  const metadata = required(object, 'metadata', path, (v, p) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new SpecProblem(p, 'expected a mapping');
    return v as Record<string, unknown>;
  });
  required(metadata, 'name', child(path, 'metadata'), readName);
  // Verbatim: manifests are appended exactly as written, so a scenario can hold odd objects on purpose.
  return structuredClone(object) as KubeObject;
}

const FAULT_KINDS = ['latency', 'unreachable', 'stallWatches', 'resetStreams', 'gone', 'tooManyRequests'] as const;

export function readFault(value: unknown, path: string): FaultSpec {
  const kindOnly = readMapping(value, path, ['kind', 'ms', 'afterSeconds', 'forSeconds', 'resource', 'retryAfterSeconds', 'count']);
  const kind = required(kindOnly, 'kind', path, (v, p) => readOneOf(v, p, FAULT_KINDS));
  const seconds = (v: unknown, p: string): number => readInteger(v, p, 0, 86_400);
  switch (kind) {
    case 'latency': {
      const m = readMapping(value, path, ['kind', 'ms']);
      return { kind, ms: required(m, 'ms', path, (v, p) => readInteger(v, p, 0, 600_000)) };
    }
    case 'unreachable': {
      const m = readMapping(value, path, ['kind', 'afterSeconds', 'forSeconds']);
      const fault: FaultSpec = { kind };
      const after = optional(m, 'afterSeconds', path, seconds, undefined);
      const forSeconds = optional(m, 'forSeconds', path, seconds, undefined);
      if (after !== undefined) fault.afterSeconds = after;
      if (forSeconds !== undefined) fault.forSeconds = forSeconds;
      return fault;
    }
    case 'stallWatches':
    case 'gone': {
      const m = readMapping(value, path, ['kind', 'resource']);
      const resource = optional(m, 'resource', path, readString, undefined);
      return resource === undefined ? { kind } : { kind, resource };
    }
    case 'resetStreams': {
      const m = readMapping(value, path, ['kind', 'afterSeconds']);
      return { kind, afterSeconds: required(m, 'afterSeconds', path, seconds) };
    }
    case 'tooManyRequests': {
      const m = readMapping(value, path, ['kind', 'retryAfterSeconds', 'resource', 'count']);
      const fault: FaultSpec = { kind, retryAfterSeconds: required(m, 'retryAfterSeconds', path, seconds) };
      const resource = optional(m, 'resource', path, readString, undefined);
      const count = optional(m, 'count', path, (v, p) => readInteger(v, p, 1), undefined);
      if (resource !== undefined) fault.resource = resource;
      if (count !== undefined) fault.count = count;
      return fault;
    }
  }
}
