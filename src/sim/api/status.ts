// metav1.Status errors worded exactly as kube-apiserver words them (k8s.io/apimachinery
// pkg/api/errors), so clients that match on reason/message behave as against a real cluster.
import type { JsonObject, KubeObject, ResourceType, StatusObject } from './types.ts';

export class ApiError extends Error {
  readonly status: StatusObject;
  constructor(status: StatusObject) {
    super(status.message);
    this.name = 'ApiError';
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
}

type Details = NonNullable<StatusObject['details']>;

/** A Failure Status error; exported for the few reasons that have no named constructor here. */
export function failure(code: number, reason: string, message: string, details?: Details): ApiError {
  // Key order follows the real JSON: kind, apiVersion, metadata, status, message, reason, details, code.
  const status: StatusObject = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
  return new ApiError(status);
}

/** Go's omitempty: the real server drops empty group/name from details. */
function details(group: string, kind: string, name: string): Details {
  const d: Details = {};
  if (name) d.name = name;
  if (group) d.group = group;
  if (kind) d.kind = kind;
  return d;
}

/** schema.GroupResource.String(): `pods`, `gateways.gateway.networking.k8s.io`. */
export function qualifiedResource(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

/** schema.GroupKind.String(): `Pod`, `Gateway.gateway.networking.k8s.io`. */
export function qualifiedKind(rt: Pick<ResourceType, 'group' | 'kind'>): string {
  return rt.group ? `${rt.kind}.${rt.group}` : rt.kind;
}

export function notFound(rt: ResourceType, name: string): ApiError {
  return failure(404, 'NotFound', `${qualifiedResource(rt)} "${name}" not found`, details(rt.group, rt.plural, name));
}

/**
 * A path no handler claims under /apis/<group> for a group that is not built in (a CRD group,
 * an absent CRD, an unknown group): kube-apiserver's delegation chain ends in Go's
 * http.NotFound there, so the answer is text/plain `404 page not found`, not a Status.
 */
export class PageNotFound extends ApiError {
  constructor() {
    super({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: '404 page not found',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
    this.name = 'PageNotFound';
  }
}

/** Unknown path or a CRD that is not installed: the generic 404 with empty details. */
export function resourceNotFound(): ApiError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(rt: ResourceType, name: string): ApiError {
  return failure(409, 'AlreadyExists', `${qualifiedResource(rt)} "${name}" already exists`, details(rt.group, rt.plural, name));
}

export function conflict(rt: ResourceType, name: string, why: string): ApiError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": ${why}`,
    details(rt.group, rt.plural, name),
  );
}

/** The stale-resourceVersion conflict every optimistic-concurrency client knows. */
export const MODIFIED_CONFLICT = 'the object has been modified; please apply your changes to the latest version and try again';

/**
 * The authorization filter's 403: the qualified resource is the bare resource (no
 * subresource) while the sentence names `resource/subresource`, as the real filter does.
 */
export function forbidden(user: string, verb: string, resource: string, group: string, namespace?: string, name?: string): ApiError {
  const plural = resource.split('/')[0] ?? resource;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const why = `User "${user}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`;
  const subject = qualifiedResource({ group, plural });
  const message = name ? `${subject} "${name}" is forbidden: ${why}` : `${subject} is forbidden: ${why}`;
  return failure(403, 'Forbidden', message, details(group, plural, name ?? ''));
}

/** An admission refusal about one object, e.g. `namespaces "default" is forbidden: this namespace may not be deleted`. */
export function forbiddenObject(rt: ResourceType, name: string, reason: string): ApiError {
  return failure(403, 'Forbidden', `${qualifiedResource(rt)} "${name}" is forbidden: ${reason}`, details(rt.group, rt.plural, name));
}

export function unauthorized(): ApiError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

/** 504 from the watch cache when asked for a resourceVersion it has not reached yet. */
export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  return failure(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/** 410 Expired. A list whose continue token was compacted also gets a token that continues at "now". */
export function expired(message: string, continueToken?: string): ApiError {
  const e = failure(410, 'Expired', message);
  if (continueToken !== undefined) e.status.metadata = { continue: continueToken };
  return e;
}

/**
 * The body of a successful DELETE. Most stores answer a Status naming what went; pods,
 * services, namespaces and custom resources return the object itself (ReturnDeletedObject),
 * and so does every kind while finalizers still hold the object.
 */
export function deleteResponseBody(rt: ResourceType, deleted: KubeObject): KubeObject | JsonObject {
  const returnsObject = rt.crd || (rt.group === '' && ['Pod', 'Service', 'Namespace'].includes(rt.kind));
  const held = (deleted.metadata.finalizers ?? []).length > 0 && rt.kind !== 'Namespace';
  if (returnsObject || held) return deleted;
  const d: JsonObject = { name: deleted.metadata.name };
  if (rt.group) d.group = rt.group;
  d.kind = rt.plural;
  if (deleted.metadata.uid) d.uid = deleted.metadata.uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: d };
}

/** A field.Error rendered the way field.ErrorList is (cause type, field path, body). */
export interface InvalidCause {
  field: string;
  /** The error body, e.g. `Invalid value: "X": a lowercase RFC 1123 …` or `Required value`. */
  message: string;
  /** The cause type, e.g. FieldValueInvalid; defaults to FieldValueInvalid. */
  reason?: string;
}

/**
 * 422 Invalid. The message aggregates `<field>: <body>` like utilerrors.Aggregate: one error
 * bare, several (deduplicated) in brackets joined by ", ".
 */
export function invalid(rt: ResourceType, name: string, causes: InvalidCause[]): ApiError {
  const lines: string[] = [];
  for (const c of causes) {
    const line = `${c.field}: ${c.message}`;
    if (!lines.includes(line)) lines.push(line);
  }
  let message = `${qualifiedKind(rt)} "${name}" is invalid`;
  if (lines.length === 1) message += `: ${lines[0]}`;
  else if (lines.length > 1) message += `: [${lines.join(', ')}]`;
  const d = details(rt.group, rt.kind, name);
  d.causes = causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field }));
  return failure(422, 'Invalid', message, d);
}

export function badRequest(message: string): ApiError {
  return failure(400, 'BadRequest', message);
}

export function unsupportedMediaType(message: string): ApiError {
  return failure(415, 'UnsupportedMediaType', message);
}

/** The max-in-flight filter's 429 ("Too many requests, please try again later."). */
export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds });
}

export function methodNotAllowed(message: string): ApiError {
  return failure(405, 'MethodNotAllowed', message);
}

/** 500 for what the real server reports as an internal error (e.g. a patch it cannot apply). */
export function internalError(message: string): ApiError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}
