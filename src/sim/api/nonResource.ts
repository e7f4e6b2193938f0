// Paths that name no resource: health checks, /version, API discovery and the OpenAPI document.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from './types.ts';
import type { HandlerContext } from './handlerContext.ts';
import { PageNotFound, resourceNotFound } from './status.ts';
import { apiGroup, coreVersions, groupList, openApiV2, resourceList, versionInfo } from './discovery.ts';
import { writeJson, type ResponseHeaders } from './responses.ts';
import { AUTHORIZATION_GROUP, accessReviewGroup, accessReviewResources } from './accessReview.ts';

/** authorization.k8s.io is always served (SelfSubjectAccessReview): listed after the stored groups. */
function withAccessReviewGroup(list: JsonObject): JsonObject {
  const groups = Array.isArray(list.groups) ? list.groups : [];
  const { name, versions, preferredVersion } = accessReviewGroup();
  return { ...list, groups: [...groups, { name: name ?? null, versions: versions ?? null, preferredVersion: preferredVersion ?? null }] };
}

const HEALTH_PATHS = /^\/(healthz|livez|readyz)(\/.*)?$/;

/** Health checks are exempt from priority and fairness, so they are never throttled. */
export function isHealthPath(path: string): boolean {
  return HEALTH_PATHS.test(path);
}

export function serveNonResource(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  segments: string[],
  headers: ResponseHeaders,
): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw resourceNotFound();
  if (isHealthPath(path)) {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end('ok');
    return;
  }
  const served = ctx.registry.served();
  let body: JsonObject | undefined;
  if (path === '/version' || path === '/version/') body = versionInfo();
  else if (path === '/api' || path === '/api/') body = coreVersions(ctx.serverAddress());
  else if (path === '/apis' || path === '/apis/') body = withAccessReviewGroup(groupList(served));
  else if (segments[0] === 'api' && segments.length === 2) body = resourceList(served, '', segments[1]!);
  else if (segments[0] === 'apis' && segments.length === 2)
    body = segments[1] === AUTHORIZATION_GROUP ? accessReviewGroup() : apiGroup(served, segments[1]!);
  else if (segments[0] === 'apis' && segments.length === 3)
    body =
      segments[1] === AUTHORIZATION_GROUP
        ? segments[2] === 'v1'
          ? accessReviewResources()
          : undefined
        : resourceList(served, segments[1]!, segments[2]!);
  else if (path === '/openapi/v2') {
    const doc = openApiV2(served, req.headers.accept);
    res.writeHead(200, { ...headers, 'Content-Type': doc.contentType, 'Content-Length': doc.body.length });
    res.end(doc.body);
    return;
  }
  if (!body) {
    // An unknown /apis/<group>[/<version>] outside the built-in groups is the real plain 404.
    const group = segments[0] === 'apis' ? segments[1] : undefined;
    if (group !== undefined && !ctx.registry.all().some((t) => t.builtin && t.group === group)) throw new PageNotFound();
    throw resourceNotFound();
  }
  writeJson(res, 200, body, headers);
}
