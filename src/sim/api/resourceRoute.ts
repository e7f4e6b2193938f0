// Routing of one resource request to its verb: collection verbs, the pod subresources
// handed to the pod simulator, and the verbs on one named object.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerContext, ResourceCall } from './handlerContext.ts';
import type { ResourceRequest } from './resourcePath.ts';
import { verbFor, type Identity } from './auth.ts';
import { badRequest, methodNotAllowed, resourceNotFound, type ApiError } from './status.ts';
import { isTrue } from './listQuery.ts';
import { responseStream } from './responseStream.ts';
import { authorizeRequest, resolveType } from './resolveResource.ts';
import { serveGet, serveList } from './readVerbs.ts';
import { serveWatch } from './watchVerb.ts';
import { serveCreate, serveUpdate } from './createUpdateVerbs.ts';
import { servePatch } from './patchVerb.ts';
import { serveDelete, serveDeleteCollection } from './deleteVerbs.ts';
import type { ResponseHeaders } from './responses.ts';

function notAllowed(): ApiError {
  return methodNotAllowed('the server does not allow this method on the requested resource');
}

export async function serveResource(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  r: ResourceRequest,
  identity: Identity,
  headers: ResponseHeaders,
): Promise<void> {
  const method = req.method ?? 'GET';
  const watch = r.watchPath || isTrue(query.get('watch'));
  const verb = verbFor(method, r.name !== undefined, watch);
  // Port-forward over WebSocket is a GET, authorized as create (Kubernetes ≥ 1.30).
  authorizeRequest(ctx, identity, r, r.subresource === 'portforward' ? 'create' : verb);
  const call: ResourceCall = { ctx, req, res, query, rt: resolveType(ctx, r), r, headers };
  const { rt } = call;

  if (r.name === undefined) {
    if (method === 'GET' || method === 'HEAD') return watch ? serveWatch(call) : serveList(call);
    if (method === 'POST' && (r.namespace !== undefined || !rt.namespaced)) return serveCreate(call);
    if (method === 'DELETE' && rt.plural !== 'namespaces' && (r.namespace !== undefined || !rt.namespaced)) {
      return serveDeleteCollection(call);
    }
    throw notAllowed();
  }
  if (rt.namespaced && r.namespace === undefined) throw resourceNotFound();
  const name = r.name;

  if (r.subresource === 'log') {
    if (method !== 'GET') throw notAllowed();
    const pod = ctx.store.get(rt, r.namespace, name);
    const untrack = ctx.faults.trackStream(responseStream(res));
    res.once('close', untrack);
    ctx.pods.log(req, res, pod, query);
    return;
  }
  if (r.subresource === 'portforward') {
    if (method !== 'GET' && method !== 'POST') throw notAllowed();
    ctx.store.get(rt, r.namespace, name);
    throw badRequest('Upgrade request required');
  }
  if (r.subresource === 'finalize') throw notAllowed();

  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? serveWatch(call) : serveGet(call, name);
    case 'PUT':
      return serveUpdate(call, name);
    case 'PATCH':
      return servePatch(call, name);
    case 'DELETE':
      if (r.subresource !== undefined) throw notAllowed();
      return serveDelete(call, name);
    default:
      throw notAllowed();
  }
}
