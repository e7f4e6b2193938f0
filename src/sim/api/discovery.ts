// Discovery documents (/version, /api, /apis, /api/v1, /apis/<group>/<version>) in the
// shapes kubectl 1.20 and client-node read: the unaggregated v1 documents every client
// version understands. Only installed types appear; a removed CRD's group vanishes.
import type { ResourceType, JsonObject } from './types.ts';

/** The Kubernetes release the simulator claims to be (the contract suite's real apiserver). */
export const SIM_VERSION = { major: '1', minor: '37', gitVersion: 'v1.37.2' } as const;

export function versionInfo(): JsonObject {
  return {
    major: SIM_VERSION.major,
    minor: SIM_VERSION.minor,
    gitVersion: SIM_VERSION.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-10-01T00:00:00Z',
    goVersion: 'go1.26.8',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function coreVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** Groups in first-seen order, each with the versions it serves (first = preferred). */
function groupVersions(types: ResourceType[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const t of types) {
    if (!t.group) continue;
    const versions = groups.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    groups.set(t.group, versions);
  }
  return groups;
}

export function groupList(types: ResourceType[]): JsonObject {
  const groups: JsonObject[] = [];
  for (const [name, versions] of groupVersions(types)) {
    const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
    groups.push({ name, versions: entries, preferredVersion: entries[0]! });
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** /apis/<group>: one APIGroup, or undefined when nothing of it is installed (404). */
export function apiGroup(types: ResourceType[], group: string): JsonObject | undefined {
  const versions = groupVersions(types).get(group);
  if (!versions) return undefined;
  const entries = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: entries, preferredVersion: entries[0]! };
}

const FULL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** The real namespace storage has no deletecollection. */
const NAMESPACE_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function categories(t: ResourceType): string[] | undefined {
  if (t.group === 'gateway.networking.k8s.io') return ['gateway-api'];
  if (t.group === 'networking.istio.io') return ['istio-io', 'networking-istio-io'];
  if (['pods', 'services', 'deployments', 'daemonsets'].includes(t.plural)) return ['all'];
  return undefined;
}

function subresourceEntry(t: ResourceType, sub: string): JsonObject {
  const base = { name: `${t.plural}/${sub}`, singularName: '', namespaced: t.namespaced };
  switch (sub) {
    case 'log':
      return { ...base, kind: 'Pod', verbs: ['get'] };
    case 'portforward':
      return { ...base, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
    case 'finalize':
      return { ...base, kind: t.kind, verbs: ['update'] };
    default:
      return { ...base, kind: t.kind, verbs: ['get', 'patch', 'update'] };
  }
}

/** /api/v1 or /apis/<group>/<version>; undefined when that group/version serves nothing (404). */
export function resourceList(types: ResourceType[], group: string, version: string): JsonObject | undefined {
  const served = types.filter((t) => t.group === group && t.version === version);
  if (served.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const t of served) {
    const entry: JsonObject = {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.plural === 'namespaces' ? NAMESPACE_VERBS : FULL_VERBS,
    };
    if (t.shortNames && t.shortNames.length > 0) entry.shortNames = t.shortNames;
    const cats = categories(t);
    if (cats) entry.categories = cats;
    resources.push(entry);
    for (const sub of t.subresources) resources.push(subresourceEntry(t, sub));
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

// ---- /openapi/v2 ----
// kubectl 1.20 fetches it (protobuf only) before `--dry-run=server`: its dry-run verifier
// looks for the kind's PATCH operation with a `dryRun` query parameter. We serve just that:
// one PATCH per type carrying x-kubernetes-group-version-kind, in JSON or gnostic's
// openapi.v2.Document protobuf (field numbers from OpenAPIv2.proto).

/** What kubectl 1.20 asks for; '@' is no token character, so the answer is labelled with the '.' spelling Go can parse. */
export const OPENAPI_PROTOBUF_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const OPENAPI_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function itemPath(t: ResourceType): string {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  return t.namespaced ? `${base}/namespaces/{namespace}/${t.plural}/{name}` : `${base}/${t.plural}/{name}`;
}

function gvkYaml(t: ResourceType): string {
  return `group: "${t.group}"\nkind: ${t.kind}\nversion: ${t.version}\n`;
}

function operationId(t: ResourceType): string {
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  const group = t.group ? t.group.split('.')[0]! : 'core';
  return `patch${cap(group)}${cap(t.version)}${t.namespaced ? 'Namespaced' : ''}${t.kind}`;
}

/** Protobuf wire format: only what the document needs (strings and nested messages). */
function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
function field(num: number, payload: Buffer | string): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([varint((num << 3) | 2), varint(data.length), data]);
}
function message(...fields: Buffer[]): Buffer {
  return Buffer.concat(fields);
}

function patchOperationProto(t: ResourceType): Buffer {
  const dryRun = message(
    field(2, 'query'),
    field(3, 'When present, indicates that modifications should not be persisted.'),
    field(4, 'dryRun'),
    field(6, 'string'),
  );
  const parameter = field(8, message(field(1, message(field(2, message(field(3, dryRun)))))));
  const gvk = field(13, message(field(1, 'x-kubernetes-group-version-kind'), field(2, message(field(2, gvkYaml(t))))));
  const action = field(13, message(field(1, 'x-kubernetes-action'), field(2, message(field(2, 'patch\n')))));
  return message(field(5, operationId(t)), parameter, action, gvk);
}

function openApiProto(types: ResourceType[]): Buffer {
  const paths = types.map((t) => field(2, message(field(1, itemPath(t)), field(2, message(field(8, patchOperationProto(t)))))));
  return message(field(1, '2.0'), field(2, message(field(1, 'Kubernetes'), field(2, SIM_VERSION.gitVersion))), field(8, message(...paths)));
}

function openApiJson(types: ResourceType[]): JsonObject {
  const paths: JsonObject = {};
  for (const t of types) {
    paths[itemPath(t)] = {
      patch: {
        operationId: operationId(t),
        parameters: [
          {
            uniqueItems: true,
            type: 'string',
            description: 'When present, indicates that modifications should not be persisted.',
            name: 'dryRun',
            in: 'query',
          },
        ],
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: t.group, kind: t.kind, version: t.version },
      },
    };
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: SIM_VERSION.gitVersion }, paths };
}

/** The document in the first representation the client accepts (protobuf when asked, else JSON). */
export function openApiV2(types: ResourceType[], accept: string | undefined): { contentType: string; body: Buffer } {
  if (accept?.includes(OPENAPI_PROTOBUF_ACCEPT) || accept?.includes(OPENAPI_PROTOBUF))
    return { contentType: OPENAPI_PROTOBUF, body: openApiProto(types) };
  return { contentType: 'application/json', body: Buffer.from(JSON.stringify(openApiJson(types))) };
}
