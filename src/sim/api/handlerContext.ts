// What the request handler and its verbs are given: the cluster's state and collaborators,
// and, per resource request, everything a verb needs to answer it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject, ResourceType } from './types.ts';
import type { SimUser } from '../scenario/model.ts';
import type { ResourceRegistry } from './resources.ts';
import type { ObjectStore } from './objectStore.ts';
import type { FaultController } from './faults.ts';
import type { ResourceRequest } from './resourcePath.ts';
import type { ResponseHeaders } from './responses.ts';

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

/** One authorized request for a served resource type, as the verbs receive it. */
export interface ResourceCall {
  ctx: HandlerContext;
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  rt: ResourceType;
  r: ResourceRequest;
  /** The response headers chosen before routing (Audit-Id and the like). */
  headers: ResponseHeaders;
}
