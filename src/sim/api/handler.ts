// Request routing and verbs of the simulated kube-apiserver: the filter chain in the real
// server's order (latency fault → authentication → priority-and-fairness 429 →
// authorization → routing), then discovery, list/watch/get/create/update/patch/delete,
// the status subresource, and the hand-over of pods/log and pods/portforward.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID, randomInt } from 'node:crypto';
import { dump as dumpYaml, load as loadYaml } from 'js-yaml';
import type { JsonObject, JsonValue, KubeObject, ResourceType, StatusObject } from './types.ts';
import type { SimUser } from '../scenario/model.ts';
import type { ResourceRegistry } from './resources.ts';
import { apiVersionOf, crdName } from './resources.ts';
import type { ObjectStore, StoreEvent } from './objectStore.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch.ts';
import type { FaultController } from './faults.ts';
import { ApiError, badRequest, expired, methodNotAllowed, resourceNotFound, tooManyRequests, unsupportedMediaType } from './status.ts';
import { authenticate, authorizePath, authorizeResource, verbFor, type Identity } from './auth.ts';
import { apiGroup, coreVersions, groupList, openApiV2, resourceList, versionInfo } from './discovery.ts';
import { parseIncludeObject, renderTable, type IncludeObject } from './table.ts';
import { asPartialObjectMetadata, asPartialObjectMetadataList } from './metadataOnly.ts';
import { WatchStream, type OutgoingEvent } from './watchStream.ts';

/** Pod subresources served by the pod simulator (another module). */
export interface PodSubresources {
  log(req: IncomingMessage, res: ServerResponse, pod: KubeObject, query: URLSearchParams): void;
  portForward(req: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject, query: URLSearchParams): void;
}

export interface HandlerContext {
  name: string;
  registry: ResourceRegistry;
  store: ObjectStore;
  users: SimUser[];
  faults: FaultController;
  bookmarkIntervalMs: number;
  pods: PodSubresources;
  /** host:port clients reach us at (discovery's serverAddressByClientCIDRs). */
  serverAddress(): string;
}

// ---------------------------------------------------------------- responses

/** The headers every real apiserver response carries (values are per-server constants here). */
function commonHeaders(): Record<string, string> {
  return {
    'Audit-Id': randomUUID(),
    'Cache-Control': 'no-cache, private',
    'X-Kubernetes-Pf-Flowschema-Uid': '6c5ba2a0-0d39-4e04-9c2b-8f1f5e0f0a01',
    'X-Kubernetes-Pf-Prioritylevel-Uid': '0d5d3c1e-6a4c-4ab5-9a1f-2f4e5d6c7b02',
  };
}

/** Go's json.Encoder: compact JSON and a trailing newline. */
function writeJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(code, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function writeBody(res: ServerResponse, code: number, body: unknown, headers: Record<string, string>, format: Format): void {
  if (format === 'yaml') {
    const text = dumpYaml(body);
    res.writeHead(code, { ...headers, 'Content-Type': 'application/yaml', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  writeJson(res, code, body, headers);
}

export function writeStatus(res: ServerResponse, status: StatusObject, headers: Record<string, string>): void {
  const extra: Record<string, string> = {};
  if (status.details?.retryAfterSeconds !== undefined) extra['Retry-After'] = String(status.details.retryAfterSeconds);
  writeJson(res, status.code, status, { ...headers, ...extra });
}

function internalStatus(err: unknown): StatusObject {
  const message = err instanceof Error ? err.message : String(err);
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

function notAcceptable(): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    reason: 'NotAcceptable',
    code: 406,
  });
}

// ---------------------------------------------------------------- content negotiation

type Format = 'json' | 'yaml';
type Representation =
  | { as: 'object'; format: Format }
  | { as: 'table'; include: IncludeObject; apiVersion: string }
  | { as: 'metadata'; list: boolean };

/** Picks the first acceptable entry of the Accept header, as the real negotiator does. */
function negotiate(accept: string | undefined, query: URLSearchParams): Representation {
  if (!accept || accept.trim() === '') return { as: 'object', format: 'json' };
  for (const entry of accept.split(',')) {
    const [mediaRaw, ...paramParts] = entry.split(';');
    const media = (mediaRaw ?? '').trim().toLowerCase();
    const params = new Map<string, string>();
    for (const p of paramParts) {
      const [k, v] = p.split('=');
      if (k && v !== undefined) params.set(k.trim(), v.trim());
    }
    const json = media === 'application/json' || media === 'application/*' || media === '*/*';
    if (!json && media !== 'application/yaml') continue;
    const as = params.get('as');
    if (as === undefined) return { as: 'object', format: json ? 'json' : 'yaml' };
    if (!json || params.get('g') !== 'meta.k8s.io') continue;
    const v = params.get('v');
    if (as === 'Table' && (v === 'v1' || v === 'v1beta1')) {
      const include = parseIncludeObject(query.get('includeObject'));
      if (!include) throw badRequest(`includeObject: Unsupported value: "${query.get('includeObject')}"`);
      return { as: 'table', include, apiVersion: `meta.k8s.io/${v}` };
    }
    if (v === 'v1' && (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList')) {
      return { as: 'metadata', list: as === 'PartialObjectMetadataList' };
    }
  }
  throw notAcceptable();
}

// ---------------------------------------------------------------- request bodies

const MAX_BODY_BYTES = 3 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(
          new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Request entity too large: limit is 3145728', reason: 'RequestEntityTooLarge', code: 413 }),
        );
      } else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function parseDocument(text: string, mediaType: string): JsonValue {
  try {
    if (mediaType === 'application/yaml' || mediaType.endsWith('+yaml')) return loadYaml(text) as JsonValue;
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw badRequest(`error decoding request body: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// ---------------------------------------------------------------- routing

interface ResourceRequest {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The legacy /watch/ path prefix. */
  watchPath: boolean;
}

/** Parses /api/v1/... and /apis/<g>/<v>/... below the group version; undefined → 404. */
function parseResourcePath(segments: string[]): ResourceRequest | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    group = '';
    version = segments[1]!;
    rest = segments.slice(2);
  } else {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  // /namespaces/<ns>/<plural>/... unless it is the namespace object itself or its subresource.
  const namespaceSelf = rest.length <= 2 || (rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'));
  if (rest[0] === 'namespaces' && group === '' && !namespaceSelf) {
    if (rest.length > 5) return undefined;
    const r: ResourceRequest = { group, version, plural: rest[2]!, namespace: rest[1]!, watchPath };
    if (rest[3] !== undefined) r.name = rest[3];
    if (rest[4] !== undefined) r.subresource = rest[4];
    return r;
  }
  if (rest[0] === 'namespaces' && group !== '' && rest.length >= 3) {
    if (rest.length > 5) return undefined;
    const r: ResourceRequest = { group, version, plural: rest[2]!, namespace: rest[1]!, watchPath };
    if (rest[3] !== undefined) r.name = rest[3];
    if (rest[4] !== undefined) r.subresource = rest[4];
    return r;
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  const r: ResourceRequest = { group, version, plural: rest[0]!, watchPath };
  if (rest[1] !== undefined) r.name = rest[1];
  if (rest[2] !== undefined) r.subresource = rest[2];
  return r;
}

function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1';
}

/** The latency fault's wait; unref'd so a closing server is never held open by a slow request. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

const HEALTH_PATHS = /^\/(healthz|livez|readyz)(\/.*)?$/;

/** Entry point for every plain HTTP request. */
export async function handleRequest(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = commonHeaders();
  try {
    if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const path = url.pathname;
    const identity = authenticate(req.headers.authorization, ctx.users, ctx.faults.tokensExpired);
    const segments = path.split('/').filter((s) => s !== '');
    const isResourcePath = (segments[0] === 'api' && segments.length >= 3) || (segments[0] === 'apis' && segments.length >= 4);
    const request = isResourcePath ? parseResourcePath(segments) : undefined;
    const retryAfter = HEALTH_PATHS.test(path) ? undefined : ctx.faults.takeThrottle(request?.plural);
    if (retryAfter !== undefined) throw tooManyRequests(retryAfter);
    if (!isResourcePath) {
      authorizePath(identity, path);
      serveNonResource(ctx, req, res, path, segments, headers);
      return;
    }
    if (!request) throw resourceNotFound();
    await serveResource(ctx, req, res, url.searchParams, request, identity, headers);
  } catch (err) {
    if (res.headersSent) {
      // A stream already started: all we can do is cut it, as the real server does.
      res.destroy();
      return;
    }
    writeStatus(res, err instanceof ApiError ? err.status : internalStatus(err), headers);
  }
}

function serveNonResource(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, path: string, segments: string[], headers: Record<string, string>): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw resourceNotFound();
  if (HEALTH_PATHS.test(path)) {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end('ok');
    return;
  }
  const served = ctx.registry.served();
  let body: JsonObject | undefined;
  if (path === '/version' || path === '/version/') body = versionInfo();
  else if (path === '/api' || path === '/api/') body = coreVersions(ctx.serverAddress());
  else if (path === '/apis' || path === '/apis/') body = groupList(served);
  else if (segments[0] === 'api' && segments.length === 2) body = resourceList(served, '', segments[1]!);
  else if (segments[0] === 'apis' && segments.length === 2) body = apiGroup(served, segments[1]!);
  else if (segments[0] === 'apis' && segments.length === 3) body = resourceList(served, segments[1]!, segments[2]!);
  else if (path === '/openapi/v2') {
    const doc = openApiV2(served, req.headers.accept);
    res.writeHead(200, { ...headers, 'Content-Type': doc.contentType, 'Content-Length': doc.body.length });
    res.end(doc.body);
    return;
  }
  if (!body) throw resourceNotFound();
  writeJson(res, 200, body, headers);
}

/** Finds the served type and checks the path's scope against it. */
function resolveType(ctx: HandlerContext, r: ResourceRequest): ResourceType {
  const rt = ctx.registry.find(r.group, r.version, r.plural);
  if (!rt) throw resourceNotFound();
  if (r.namespace !== undefined && !rt.namespaced) throw resourceNotFound();
  if (r.subresource !== undefined && !rt.subresources.includes(r.subresource)) throw resourceNotFound();
  return rt;
}

async function serveResource(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  r: ResourceRequest,
  identity: Identity,
  headers: Record<string, string>,
): Promise<void> {
  const method = req.method ?? 'GET';
  const watch = r.watchPath || isTrue(query.get('watch'));
  const verb = verbFor(method, r.name !== undefined, watch);
  // Port-forward over WebSocket is a GET, authorized as create (Kubernetes ≥ 1.30).
  const authVerb = r.subresource === 'portforward' ? 'create' : verb;
  authorizeResource(
    identity,
    { verb: authVerb, group: r.group, resource: r.plural, subresource: r.subresource, namespace: r.namespace, name: r.name },
    ctx.faults.forbiddenRules(identity.name),
  );
  const rt = resolveType(ctx, r);

  if (r.name === undefined) {
    if (method === 'GET' || method === 'HEAD') {
      if (watch) return serveWatch(ctx, req, res, query, rt, r, headers);
      return serveList(ctx, req, res, query, rt, r, headers);
    }
    if (method === 'POST' && (r.namespace !== undefined || !rt.namespaced)) return serveCreate(ctx, req, res, query, rt, r, headers);
    if (method === 'DELETE' && rt.plural !== 'namespaces' && (r.namespace !== undefined || !rt.namespaced)) {
      return serveDeleteCollection(ctx, req, res, query, rt, r, headers);
    }
    throw methodNotAllowed('the server does not allow this method on the requested resource');
  }
  if (rt.namespaced && r.namespace === undefined) throw resourceNotFound();
  const name = r.name;

  if (r.subresource === 'log') {
    if (method !== 'GET') throw methodNotAllowed('the server does not allow this method on the requested resource');
    const pod = ctx.store.get(rt, r.namespace, name);
    const untrack = ctx.faults.trackStream(res.socket!);
    res.once('close', untrack);
    ctx.pods.log(req, res, pod, query);
    return;
  }
  if (r.subresource === 'portforward') {
    if (method !== 'GET' && method !== 'POST') throw methodNotAllowed('the server does not allow this method on the requested resource');
    ctx.store.get(rt, r.namespace, name);
    throw badRequest('Upgrade request required');
  }
  if (r.subresource === 'finalize') {
    throw methodNotAllowed('the server does not allow this method on the requested resource');
  }

  switch (method) {
    case 'GET':
    case 'HEAD': {
      if (watch) return serveWatch(ctx, req, res, query, rt, r, headers);
      const obj = ctx.store.get(rt, r.namespace, name);
      const rep = negotiate(req.headers.accept, query);
      if (rep.as === 'table') return writeJson(res, 200, { ...renderTable(rt, [obj], { resourceVersion: obj.metadata.resourceVersion }, rep.include), apiVersion: rep.apiVersion }, headers);
      if (rep.as === 'metadata') {
        if (rep.list) throw notAcceptable();
        return writeJson(res, 200, asPartialObjectMetadata(obj), headers);
      }
      return writeBody(res, 200, obj, headers, rep.format);
    }
    case 'PUT':
      return serveUpdate(ctx, req, res, query, rt, r, name, headers);
    case 'PATCH':
      return servePatch(ctx, req, res, query, rt, r, name, headers);
    case 'DELETE':
      if (r.subresource !== undefined) throw methodNotAllowed('the server does not allow this method on the requested resource');
      return serveDelete(ctx, req, res, query, rt, r, name, headers);
    default:
      throw methodNotAllowed('the server does not allow this method on the requested resource');
  }
}

// ---------------------------------------------------------------- list

/** Typed built-in lists carry no kind/apiVersion on their items; unstructured (CR) lists do. */
function listItem(rt: ResourceType, o: KubeObject): KubeObject {
  if (!rt.builtin) return o;
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = o;
  return rest as KubeObject;
}

function parseLimit(query: URLSearchParams): number | undefined {
  const raw = query.get('limit');
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw badRequest(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
  return n > 0 ? n : undefined;
}

function selectorOptions(query: URLSearchParams, r: ResourceRequest): { namespace?: string; labelSelector?: string; fieldSelector?: string } {
  const o: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {};
  if (r.namespace !== undefined) o.namespace = r.namespace;
  const labels = query.get('labelSelector');
  if (labels) o.labelSelector = labels;
  const fields = [query.get('fieldSelector') ?? '', r.name !== undefined ? `metadata.name=${r.name}` : ''].filter((s) => s !== '');
  if (fields.length > 0) o.fieldSelector = fields.join(',');
  return o;
}

function serveList(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, rt: ResourceType, r: ResourceRequest, headers: Record<string, string>): void {
  const rep = negotiate(req.headers.accept, query);
  const limit = parseLimit(query);
  const cont = query.get('continue');
  const result = ctx.store.list(rt, {
    ...selectorOptions(query, r),
    ...(limit !== undefined ? { limit } : {}),
    ...(cont ? { continue: cont } : {}),
  });
  const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: result.resourceVersion };
  if (result.continue) meta.continue = result.continue;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  if (rep.as === 'table') return writeJson(res, 200, { ...renderTable(rt, result.items, meta, rep.include), apiVersion: rep.apiVersion }, headers);
  if (rep.as === 'metadata') {
    if (!rep.list) throw notAcceptable();
    return writeJson(res, 200, asPartialObjectMetadataList(result.items, meta), headers);
  }
  const body = { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata: meta, items: result.items.map((o) => listItem(rt, o)) };
  writeBody(res, 200, body, headers, rep.format);
}

// ---------------------------------------------------------------- watch

/** The real server's default: a random cut-off between --min-request-timeout (1800 s) and twice that. */
function watchTimeoutMs(query: URLSearchParams): number {
  const raw = query.get('timeoutSeconds');
  if (raw !== null && raw !== '') {
    const n = Number(raw);
    // 0 means "the server's default", as on the real server.
    if (Number.isFinite(n) && n > 0) return n * 1000;
  }
  return randomInt(1800, 3600) * 1000;
}

function serveWatch(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, rt: ResourceType, r: ResourceRequest, headers: Record<string, string>): void {
  const rep = negotiate(req.headers.accept, query);
  if (rep.as === 'metadata' && rep.list) throw notAcceptable();
  const encode = (o: KubeObject): JsonObject => {
    if (rep.as === 'table') return { ...renderTable(rt, [o], { resourceVersion: o.metadata.resourceVersion }, rep.include), apiVersion: rep.apiVersion };
    if (rep.as === 'metadata') return asPartialObjectMetadata(o);
    return o as unknown as JsonObject;
  };
  const bookmark = (): JsonObject => {
    const metadata = { resourceVersion: ctx.store.currentResourceVersion() };
    if (rep.as === 'table') return { kind: 'Table', apiVersion: rep.apiVersion, metadata, columnDefinitions: null, rows: [] };
    if (rep.as === 'metadata') return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
    return { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata };
  };
  const rv = query.get('resourceVersion') ?? undefined;
  let cancel: () => void = () => {};
  const stream = new WatchStream({
    res,
    resource: rt.plural,
    faults: ctx.faults,
    headers,
    bookmarkIntervalMs: isTrue(query.get('allowWatchBookmarks')) ? ctx.bookmarkIntervalMs : 0,
    bookmark,
    timeoutMs: watchTimeoutMs(query),
    onClose: () => cancel(),
  });
  // The store replays synchronously inside watch(); hold those events until the headers are out.
  const early: OutgoingEvent[] = [];
  let started = false;
  const listener = (e: StoreEvent): void => {
    const event: OutgoingEvent = { type: e.type, object: encode(e.object) };
    if (started) stream.send(event);
    else early.push(event);
  };
  let failure: StatusObject | undefined;
  if (ctx.faults.takeGone(rt.plural)) {
    failure = expired(`too old resource version: ${rv ?? '0'} (${ctx.store.currentResourceVersion()})`).status;
  } else {
    try {
      cancel = ctx.store.watch(rt, { ...selectorOptions(query, r), ...(rv !== undefined && rv !== '' ? { resourceVersion: rv } : {}) }, listener);
    } catch (err) {
      // A too-old resourceVersion is not an HTTP error: the watch opens and carries one ERROR event.
      if (err instanceof ApiError && err.status.code === 410) failure = err.status;
      else throw err;
    }
  }
  stream.start();
  started = true;
  if (rt.crd) {
    const untrack = ctx.faults.trackCustomWatch(crdName(rt), () => stream.end());
    res.once('close', untrack);
  }
  if (failure) {
    stream.fail(failure);
    return;
  }
  for (const e of early) stream.send(e);
  req.on('close', () => stream.end());
}

// ---------------------------------------------------------------- writes

interface WriteQuery {
  dryRun: boolean;
  fieldManager?: string;
}

function invalidOptions(kind: string, field: string, message: string): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${kind}.meta.k8s.io "" is invalid: ${field}: ${message}`,
    reason: 'Invalid',
    details: { group: 'meta.k8s.io', kind, causes: [{ reason: 'FieldValueNotSupported', message, field }] },
    code: 422,
  });
}

/** dryRun and fieldManager, valid on every write (query string; for delete also the body). */
function writeQuery(query: URLSearchParams, optionsKind: string, bodyDryRun: string[] = []): WriteQuery {
  const values = [...query.getAll('dryRun'), ...bodyDryRun];
  for (const v of values) {
    if (v !== 'All') throw invalidOptions(optionsKind, 'dryRun', `Unsupported value: "${v}": supported values: "All"`);
  }
  const w: WriteQuery = { dryRun: values.length > 0 };
  const fm = query.get('fieldManager');
  if (fm) w.fieldManager = fm;
  return w;
}

async function readObject(req: IncomingMessage): Promise<JsonObject> {
  const mediaType = mediaTypeOf(req);
  if (mediaType !== '' && mediaType !== 'application/json' && mediaType !== 'application/yaml') {
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  const body = await readBody(req);
  if (body.length === 0) throw badRequest('the body of the request was empty');
  const doc = parseDocument(body.toString('utf8'), mediaTypeOf(req));
  if (!isObject(doc)) throw badRequest('the body of the request was not an object');
  return doc;
}

/** The checks the real handlers make between the body and the URL before the store sees it. */
function checkBodyAgainstPath(rt: ResourceType, obj: JsonObject, r: ResourceRequest): KubeObject {
  // Typed (built-in) decoding defaults a missing apiVersion/kind from the URL; unstructured (CR) decoding cannot.
  if (rt.builtin) {
    if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = apiVersionOf(rt);
    if (obj.kind === undefined || obj.kind === '') obj.kind = rt.kind;
  }
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  if (typeof kind !== 'string' || kind === '') throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(obj)}'`);
  if (apiVersion !== apiVersionOf(rt)) {
    throw badRequest(`the API version in the data (${typeof apiVersion === 'string' ? apiVersion : JSON.stringify(apiVersion)}) does not match the expected API version (${apiVersionOf(rt)})`);
  }
  if (kind !== rt.kind) throw badRequest(`the kind in the data (${kind}) does not match the expected kind (${rt.kind})`);
  if (!isObject(obj.metadata)) obj.metadata = {};
  const meta = obj.metadata;
  if (rt.namespaced) {
    if (meta.namespace === undefined || meta.namespace === '') meta.namespace = r.namespace ?? '';
    else if (meta.namespace !== r.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  } else {
    delete meta.namespace;
  }
  return obj as unknown as KubeObject;
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

async function serveCreate(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, rt: ResourceType, r: ResourceRequest, headers: Record<string, string>): Promise<void> {
  const w = writeQuery(query, 'CreateOptions');
  const obj = checkBodyAgainstPath(rt, await readObject(req), r);
  if (!obj.metadata.name && typeof obj.metadata.generateName === 'string' && obj.metadata.generateName !== '') {
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += GENERATE_ALPHABET[randomInt(GENERATE_ALPHABET.length)];
    obj.metadata.name = obj.metadata.generateName + suffix;
  }
  const created = ctx.store.create(rt, obj, w);
  writeJson(res, 201, created, headers);
}

async function serveUpdate(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, rt: ResourceType, r: ResourceRequest, name: string, headers: Record<string, string>): Promise<void> {
  const w = writeQuery(query, 'UpdateOptions');
  const obj = checkBodyAgainstPath(rt, await readObject(req), r);
  if (obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${name})`);
  }
  const updated = ctx.store.update(rt, obj, { ...w, ...(r.subresource === 'status' ? { subresource: 'status' as const } : {}) });
  writeJson(res, 200, updated, headers);
}

function acceptedPatchTypes(rt: ResourceType): string {
  return rt.builtin
    ? 'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml'
    : 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';
}

async function servePatch(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, rt: ResourceType, r: ResourceRequest, name: string, headers: Record<string, string>): Promise<void> {
  const w = writeQuery(query, 'PatchOptions');
  const mediaType = mediaTypeOf(req);
  const supported = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
  if (rt.builtin) supported.push('application/strategic-merge-patch+json');
  if (!supported.includes(mediaType)) {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${acceptedPatchTypes(rt)}`);
  }
  const body = await readBody(req);
  if (body.length === 0) throw badRequest('the body of the request was empty');
  const patch = parseDocument(body.toString('utf8'), mediaType);
  const sub = r.subresource === 'status' ? { subresource: 'status' as const } : {};

  if (mediaType === 'application/apply-patch+yaml') {
    // Server-side apply, approximated: the applied configuration merged over the live object
    // (or created). Field ownership and conflicts are not modelled.
    if (!w.fieldManager) throw invalidOptions('PatchOptions', 'fieldManager', 'Required value: is required for apply patch');
    if (!isObject(patch)) throw badRequest('the body of the request was not an object');
    checkBodyAgainstPath(rt, structuredClone(patch), r);
    let live: KubeObject | undefined;
    try {
      live = ctx.store.get(rt, r.namespace, name);
    } catch (err) {
      if (!(err instanceof ApiError && err.status.code === 404)) throw err;
    }
    if (!live) {
      const obj = checkBodyAgainstPath(rt, patch, r);
      writeJson(res, 201, ctx.store.create(rt, obj, { ...w, fieldOperation: 'Apply' }), headers);
      return;
    }
    const merged = applyMergePatch(live as unknown as JsonValue, patch);
    writeJson(res, 200, ctx.store.update(rt, merged as unknown as KubeObject, { ...w, ...sub, fieldOperation: 'Apply' }), headers);
    return;
  }

  const live = ctx.store.get(rt, r.namespace, name);
  let patched: JsonValue;
  if (mediaType === 'application/json-patch+json') {
    if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    patched = applyJsonPatch(live as unknown as JsonValue, patch);
  } else if (mediaType === 'application/merge-patch+json') {
    patched = applyMergePatch(live as unknown as JsonValue, patch);
  } else {
    patched = applyStrategicMergePatch(live as unknown as JsonValue, patch, rt.kind);
  }
  if (!isObject(patched) || !isObject(patched.metadata)) throw badRequest('the patched object is not an object');
  if (patched.metadata.name !== name) {
    throw badRequest(`the name of the object (${JSON.stringify(patched.metadata.name)}) does not match the name on the URL (${name})`);
  }
  const updated = ctx.store.update(rt, patched as unknown as KubeObject, { ...w, ...sub });
  writeJson(res, 200, updated, headers);
}

// ---------------------------------------------------------------- delete

interface ParsedDeleteOptions {
  write: WriteQuery;
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

const PROPAGATION = ['Foreground', 'Background', 'Orphan'];

async function deleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<ParsedDeleteOptions> {
  const raw = await readBody(req);
  let body: JsonObject = {};
  if (raw.length > 0) {
    const doc = parseDocument(raw.toString('utf8'), mediaTypeOf(req) || 'application/json');
    if (!isObject(doc)) throw badRequest('the body of the request was not an object');
    body = doc;
  }
  const bodyDryRun = Array.isArray(body.dryRun) ? body.dryRun.map(String) : [];
  const o: ParsedDeleteOptions = { write: writeQuery(query, 'DeleteOptions', bodyDryRun) };
  const policy = query.get('propagationPolicy') ?? (typeof body.propagationPolicy === 'string' ? body.propagationPolicy : undefined);
  if (policy !== undefined && !PROPAGATION.includes(policy)) {
    throw invalidOptions('DeleteOptions', 'propagationPolicy', `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const graceQuery = query.get('gracePeriodSeconds');
  const grace = graceQuery !== null && graceQuery !== '' ? Number(graceQuery) : typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : undefined;
  if (grace !== undefined) {
    if (!Number.isInteger(grace)) throw badRequest(`strconv.ParseInt: parsing "${graceQuery}": invalid syntax`);
    o.gracePeriodSeconds = grace;
  }
  if (isObject(body.preconditions)) {
    const p: { uid?: string; resourceVersion?: string } = {};
    if (typeof body.preconditions.uid === 'string') p.uid = body.preconditions.uid;
    if (typeof body.preconditions.resourceVersion === 'string') p.resourceVersion = body.preconditions.resourceVersion;
    o.preconditions = p;
  }
  return o;
}

async function serveDelete(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, rt: ResourceType, r: ResourceRequest, name: string, headers: Record<string, string>): Promise<void> {
  const o = await deleteOptions(req, query);
  const deleted = ctx.store.delete(rt, r.namespace, name, {
    ...o.write,
    ...(o.preconditions ? { preconditions: o.preconditions } : {}),
    ...(o.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: o.gracePeriodSeconds } : {}),
  });
  writeJson(res, 200, deleteResponse(rt, deleted), headers);
}

/** Registries built with ReturnDeletedObject (pods, services, namespaces) answer with the object. */
const RETURNS_DELETED_OBJECT = new Set(['/pods', '/services', '/namespaces']);

/**
 * What a DELETE answers, as the generic registry does: the object while it still exists
 * (finalizers hold it), the object for ReturnDeletedObject registries, otherwise a Success
 * Status naming what went (ConfigMaps, Secrets, Nodes, Deployments, custom resources…).
 */
function deleteResponse(rt: ResourceType, deleted: KubeObject): unknown {
  const held = (deleted.metadata.finalizers ?? []).length > 0 && rt.plural !== 'namespaces';
  if (held || RETURNS_DELETED_OBJECT.has(`${rt.group}/${rt.plural}`)) return deleted;
  // Key order of the real JSON: name, group (omitted for core), kind (the plural), uid.
  const details = {
    name: deleted.metadata.name,
    ...(rt.group ? { group: rt.group } : {}),
    kind: rt.plural,
    ...(deleted.metadata.uid ? { uid: deleted.metadata.uid } : {}),
  };
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

async function serveDeleteCollection(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, rt: ResourceType, r: ResourceRequest, headers: Record<string, string>): Promise<void> {
  const o = await deleteOptions(req, query);
  const { items, resourceVersion } = ctx.store.list(rt, selectorOptions(query, r));
  const deleted = items.map((item) =>
    ctx.store.delete(rt, item.metadata.namespace, item.metadata.name, {
      ...o.write,
      ...(o.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: o.gracePeriodSeconds } : {}),
    }),
  );
  writeJson(res, 200, { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata: { resourceVersion }, items: deleted.map((d) => listItem(rt, d)) }, headers);
}

// ---------------------------------------------------------------- upgrades (port-forward)

function rejectUpgrade(socket: Duplex, status: StatusObject): void {
  const text = JSON.stringify(status) + '\n';
  const reason = status.code === 401 ? 'Unauthorized' : status.code === 403 ? 'Forbidden' : status.code === 404 ? 'Not Found' : status.code === 429 ? 'Too Many Requests' : 'Bad Request';
  const lines = [
    `HTTP/1.1 ${status.code} ${reason}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    `Audit-Id: ${randomUUID()}`,
    'Cache-Control: no-cache, private',
    ...(status.details?.retryAfterSeconds !== undefined ? [`Retry-After: ${status.details.retryAfterSeconds}`] : []),
    'Connection: close',
  ];
  socket.end(lines.join('\r\n') + '\r\n\r\n' + text);
}

/** WebSocket upgrades: only pods/portforward (GET, authorized as create on pods/portforward). */
export async function handleUpgrade(ctx: HandlerContext, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  try {
    if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const identity = authenticate(req.headers.authorization, ctx.users, ctx.faults.tokensExpired);
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const r = segments[0] === 'api' || segments[0] === 'apis' ? parseResourcePath(segments) : undefined;
    const retryAfter = ctx.faults.takeThrottle(r?.plural);
    if (retryAfter !== undefined) throw tooManyRequests(retryAfter);
    if (!r || r.subresource !== 'portforward' || r.name === undefined) {
      if (r) {
        authorizeResource(identity, { verb: verbFor(req.method ?? 'GET', r.name !== undefined, false), group: r.group, resource: r.plural, subresource: r.subresource, namespace: r.namespace, name: r.name }, ctx.faults.forbiddenRules(identity.name));
      }
      throw badRequest('upgrade is only supported for pods/portforward');
    }
    authorizeResource(
      identity,
      { verb: 'create', group: r.group, resource: r.plural, subresource: 'portforward', namespace: r.namespace, name: r.name },
      ctx.faults.forbiddenRules(identity.name),
    );
    const rt = resolveType(ctx, r);
    const pod = ctx.store.get(rt, r.namespace, r.name);
    ctx.faults.trackStream(socket);
    ctx.pods.portForward(req, socket, head, pod, url.searchParams);
  } catch (err) {
    rejectUpgrade(socket, err instanceof ApiError ? err.status : internalStatus(err));
  }
}
