// GET of one object and of a list, in the representation the Accept header negotiated.
import type { KubeObject } from './types.ts';
import type { ResourceCall } from './handlerContext.ts';
import { negotiate, notAcceptable } from './negotiation.ts';
import { parseLimit, selectorOptions } from './listQuery.ts';
import { listBody } from './listBody.ts';
import { renderTable } from './table.ts';
import { asPartialObjectMetadata, asPartialObjectMetadataList } from './metadataOnly.ts';
import { writeBody, writeJson } from './responses.ts';

export function serveGet(call: ResourceCall, name: string): void {
  const { ctx, req, res, query, rt, r, headers } = call;
  const obj: KubeObject = ctx.store.get(rt, r.namespace, name);
  const rep = negotiate(req.headers.accept, query);
  if (rep.as === 'table')
    return writeJson(
      res,
      200,
      { ...renderTable(rt, [obj], { resourceVersion: obj.metadata.resourceVersion }, rep.include), apiVersion: rep.apiVersion },
      headers,
    );
  if (rep.as === 'metadata') {
    if (rep.list) throw notAcceptable();
    return writeJson(res, 200, asPartialObjectMetadata(obj), headers);
  }
  writeBody(res, 200, obj, headers, rep.format);
}

export function serveList(call: ResourceCall): void {
  const { ctx, req, res, query, rt, r, headers } = call;
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
  if (rep.as === 'table')
    return writeJson(res, 200, { ...renderTable(rt, result.items, meta, rep.include), apiVersion: rep.apiVersion }, headers);
  if (rep.as === 'metadata') {
    if (!rep.list) throw notAcceptable();
    return writeJson(res, 200, asPartialObjectMetadataList(result.items, meta), headers);
  }
  writeBody(res, 200, listBody(rt, result.items, meta), headers, rep.format);
}
