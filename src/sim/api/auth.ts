// Authentication (bearer tokens) and authorization (a user's forbidden rules) for the
// simulated API server, answering 401 and 403 the way kube-apiserver's filters do.
import type { ForbiddenRule, SimUser } from '../scenario/model.ts';
import { ApiError, forbidden, unauthorized } from './status.ts';

/** What the authorizer decides on: RBAC's resource attributes. */
export interface ResourceAttributes {
  verb: string;
  group: string;
  /** Plural resource, without subresource. */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Non-resource paths the real server's bootstrap RBAC opens to everyone (system:public-info-viewer). */
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

export const ANONYMOUS = 'system:anonymous';

export interface Identity {
  name: string;
  /** undefined for system:anonymous, who may only read the public paths. */
  user?: SimUser;
}

/**
 * Bearer token → user. A missing Authorization header is the anonymous user, as with the
 * real server's default --anonymous-auth=true; an unknown or expired token is 401.
 */
export function authenticate(header: string | undefined, users: SimUser[], tokensExpired: boolean): Identity {
  if (header === undefined || header === '') return { name: ANONYMOUS };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized();
  const user = users.find((u) => u.token === match[1]);
  if (!user || user.expired || tokensExpired) throw unauthorized();
  return { name: user.name, user };
}

function ruleMatches(rule: ForbiddenRule, attrs: ResourceAttributes): boolean {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  if (rule.verb !== '*' && rule.verb !== attrs.verb) return false;
  if (rule.resource !== '*' && rule.resource !== resource) return false;
  if (rule.group !== undefined && rule.group !== '*' && rule.group !== attrs.group) return false;
  if (rule.namespace !== undefined && rule.namespace !== attrs.namespace) return false;
  return true;
}

/** Throws the real 403 when a rule (scenario's or a run-time fault's) forbids the request. */
export function authorizeResource(identity: Identity, attrs: ResourceAttributes, extraRules: ForbiddenRule[]): void {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const deny = (): ApiError => forbidden(identity.name, attrs.verb, resource, attrs.group, attrs.namespace, attrs.name);
  if (!identity.user) throw deny();
  const rules = [...identity.user.forbidden, ...extraRules];
  if (rules.some((r) => ruleMatches(r, attrs))) throw deny();
}

/** Whether the user may make a request with these attributes (SelfSubjectAccessReview asks this). */
export function isAllowed(identity: Identity, attrs: ResourceAttributes, extraRules: ForbiddenRule[]): boolean {
  if (!identity.user) return false;
  return ![...identity.user.forbidden, ...extraRules].some((r) => ruleMatches(r, attrs));
}

/** Non-resource URLs (discovery, health): anonymous gets only the public ones. */
export function authorizePath(identity: Identity, path: string): void {
  if (identity.user || PUBLIC_PATHS.has(path)) return;
  throw new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `forbidden: User "${identity.name}" cannot get path "${path}"`,
    reason: 'Forbidden',
    details: {},
    code: 403,
  });
}

/** RBAC verb for an HTTP request, as the real RequestInfoResolver derives it. */
export function verbFor(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
