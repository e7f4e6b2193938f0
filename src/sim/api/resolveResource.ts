// From a parsed resource URL to a served type the caller may use: authorization first (as
// the real filter chain orders it, so a forbidden caller learns nothing about what exists),
// then the registry lookup and the scope check.
import type { ResourceType } from './types.ts';
import type { HandlerContext } from './handlerContext.ts';
import type { ResourceRequest } from './resourcePath.ts';
import { authorizeResource, type Identity } from './auth.ts';
import { resourceNotFound } from './status.ts';

export function authorizeRequest(ctx: HandlerContext, identity: Identity, r: ResourceRequest, verb: string): void {
  authorizeResource(
    identity,
    { verb, group: r.group, resource: r.plural, subresource: r.subresource, namespace: r.namespace, name: r.name },
    ctx.faults.forbiddenRules(identity.name),
  );
}

/** Finds the served type and checks the path's scope against it. */
export function resolveType(ctx: HandlerContext, r: ResourceRequest): ResourceType {
  const rt = ctx.registry.find(r.group, r.version, r.plural);
  if (!rt) throw resourceNotFound();
  if (r.namespace !== undefined && !rt.namespaced) throw resourceNotFound();
  if (r.subresource !== undefined && !rt.subresources.includes(r.subresource)) throw resourceNotFound();
  return rt;
}
