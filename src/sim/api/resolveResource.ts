// From a parsed resource URL to a served type the caller may use: authorization first (as
// the real filter chain orders it, so a forbidden caller learns nothing about what exists),
// then the registry lookup and the scope check.
import type { ResourceType } from './types.ts';
import type { HandlerContext } from './handlerContext.ts';
import type { ResourceRequest } from './resourcePath.ts';
import { authorizeResource, type Identity } from './auth.ts';
import { PageNotFound, resourceNotFound } from './status.ts';

export function authorizeRequest(ctx: HandlerContext, identity: Identity, r: ResourceRequest, verb: string): void {
  authorizeResource(
    identity,
    { verb, group: r.group, resource: r.plural, subresource: r.subresource, namespace: r.namespace, name: r.name },
    ctx.faults.forbiddenRules(identity.name),
  );
}

/**
 * Nothing serves this resource: built-in groups answer the generic Status 404, any other group
 * (CRD groups, absent CRDs, unknown groups) falls through to the real server's plain 404.
 */
export function notServed(ctx: HandlerContext, group: string): Error {
  return group === '' || ctx.registry.all().some((t) => t.builtin && t.group === group) ? resourceNotFound() : new PageNotFound();
}

/** Finds the served type and checks the path's scope against it. */
export function resolveType(ctx: HandlerContext, r: ResourceRequest): ResourceType {
  const rt = ctx.registry.find(r.group, r.version, r.plural);
  if (!rt) throw notServed(ctx, r.group);
  if (r.namespace !== undefined && !rt.namespaced) throw resourceNotFound();
  if (r.subresource !== undefined && !rt.subresources.includes(r.subresource)) throw resourceNotFound();
  return rt;
}
