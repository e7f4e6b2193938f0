// Entry points of the simulated kube-apiserver: the filter chain in the real server's order
// (latency fault → authentication → priority-and-fairness 429 → authorization → routing)
// for plain requests and for WebSocket upgrades (pods/portforward). The verbs live in
// their own files; resourceRoute.ts picks one.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HandlerContext } from './handlerContext.ts';
import { authenticate, authorizePath, verbFor, type Identity } from './auth.ts';
import { badRequest, PageNotFound, resourceNotFound, tooManyRequests } from './status.ts';
import { isResourcePath, parseResourcePath, type ResourceRequest } from './resourcePath.ts';
import { authorizeRequest, resolveType } from './resolveResource.ts';
import { isHealthPath, serveNonResource } from './nonResource.ts';
import { serveResource } from './resourceRoute.ts';
import { isAccessReview, serveAccessReview } from './accessReview.ts';
import { commonHeaders, rejectUpgrade, statusOf, writePageNotFound, writeStatus } from './responses.ts';

export type { HandlerContext, PodSubresources } from './handlerContext.ts';

/** The latency fault's wait; unref'd so a closing server is never held open by a slow request. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

interface Admitted {
  url: URL;
  identity: Identity;
  segments: string[];
  /** The resource the path names; undefined for non-resource paths and unparseable resource paths. */
  resource: ResourceRequest | undefined;
}

/** The filters before authorization, shared by plain requests and upgrades. */
async function admit(ctx: HandlerContext, req: IncomingMessage, throttleExempt: (path: string) => boolean): Promise<Admitted> {
  if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
  const url = new URL(req.url ?? '/', 'https://sim.invalid');
  const identity = authenticate(req.headers.authorization, ctx.users, ctx.faults.tokensExpired);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const resource = isResourcePath(segments) ? parseResourcePath(segments) : undefined;
  const retryAfter = throttleExempt(url.pathname) ? undefined : ctx.faults.takeThrottle(resource?.plural);
  if (retryAfter !== undefined) throw tooManyRequests(retryAfter);
  return { url, identity, segments, resource };
}

/** Entry point for every plain HTTP request. */
export async function handleRequest(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = commonHeaders();
  try {
    const { url, identity, segments, resource } = await admit(ctx, req, isHealthPath);
    if (!isResourcePath(segments)) {
      authorizePath(identity, url.pathname);
      serveNonResource(ctx, req, res, url.pathname, segments, headers);
      return;
    }
    if (!resource) throw resourceNotFound();
    if (isAccessReview(resource)) {
      await serveAccessReview(ctx, req, res, identity, headers);
      return;
    }
    await serveResource(ctx, req, res, url.searchParams, resource, identity, headers);
  } catch (err) {
    if (res.headersSent) {
      // A stream already started: all we can do is cut it, as the real server does.
      res.destroy();
      return;
    }
    if (err instanceof PageNotFound) {
      writePageNotFound(res, headers);
      return;
    }
    writeStatus(res, statusOf(err), headers);
  }
}

/** WebSocket upgrades: only pods/portforward (GET, authorized as get and create on pods/portforward). */
export async function handleUpgrade(ctx: HandlerContext, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  try {
    const { url, identity, resource: r } = await admit(ctx, req, () => false);
    if (!r || r.subresource !== 'portforward' || r.name === undefined) {
      // Authorization still comes first, so a forbidden caller gets its 403 rather than the 400.
      if (r) authorizeRequest(ctx, identity, r, verbFor(req.method ?? 'GET', r.name !== undefined, false));
      throw badRequest('upgrade is only supported for pods/portforward');
    }
    // The upgrade is a GET, authorized as get; kube-apiserver 1.35+ then also requires create
    // (AuthorizePodWebsocketUpgradeCreatePermission), so a caller lacking both hears about get.
    authorizeRequest(ctx, identity, r, 'get');
    authorizeRequest(ctx, identity, r, 'create');
    const rt = resolveType(ctx, r);
    const pod = ctx.store.get(rt, r.namespace, r.name);
    ctx.faults.trackStream(socket);
    ctx.pods.portForward(req, socket, head, pod, url.searchParams);
  } catch (err) {
    rejectUpgrade(socket, statusOf(err));
  }
}
