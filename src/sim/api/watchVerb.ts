// WATCH: a chunked stream of events for one resource type, encoded in the negotiated
// representation, with bookmarks, the server's timeout and the faults that cut or expire it.
import type { JsonObject, KubeObject, StatusObject } from './types.ts';
import type { StoreEvent } from './objectStore.ts';
import type { ResourceCall } from './handlerContext.ts';
import { apiVersionOf, crdName } from './resources.ts';
import { ApiError, expired } from './status.ts';
import { negotiate, notAcceptable } from './negotiation.ts';
import { isTrue, selectorOptions, watchTimeoutMs } from './listQuery.ts';
import { renderTable } from './table.ts';
import { asPartialObjectMetadata } from './metadataOnly.ts';
import { WatchStream, type OutgoingEvent } from './watchStream.ts';

export function serveWatch(call: ResourceCall): void {
  const { ctx, req, res, query, rt, r, headers } = call;
  const rep = negotiate(req.headers.accept, query);
  if (rep.as === 'metadata' && rep.list) throw notAcceptable();
  const encode = (o: KubeObject): JsonObject => {
    if (rep.as === 'table')
      return { ...renderTable(rt, [o], { resourceVersion: o.metadata.resourceVersion }, rep.include), apiVersion: rep.apiVersion };
    if (rep.as === 'metadata') return asPartialObjectMetadata(o);
    return o as unknown as JsonObject;
  };
  const bookmark = (): JsonObject => {
    const metadata = { resourceVersion: ctx.store.currentResourceVersion() };
    if (rep.as === 'table') return { kind: 'Table', apiVersion: rep.apiVersion, metadata, columnDefinitions: null, rows: [] };
    if (rep.as === 'metadata') return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
    return { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata };
  };
  // sendInitialEvents (the watch-list protocol): the current state as ADDED events whatever the
  // resourceVersion (it is only a lower bound), then a bookmark annotated initial-events-end.
  const sendInitialEvents = isTrue(query.get('sendInitialEvents'));
  const rv = sendInitialEvents ? undefined : (query.get('resourceVersion') ?? undefined);
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
      cancel = ctx.store.watch(
        rt,
        { ...selectorOptions(query, r), ...(rv !== undefined && rv !== '' ? { resourceVersion: rv } : {}) },
        listener,
      );
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
  const initialResourceVersion = ctx.store.currentResourceVersion();
  for (const e of early) stream.send(e);
  if (sendInitialEvents && isTrue(query.get('allowWatchBookmarks'))) {
    const end = bookmark();
    stream.send({
      type: 'BOOKMARK',
      object: { ...end, metadata: { resourceVersion: initialResourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });
  }
  req.on('close', () => stream.end());
}
