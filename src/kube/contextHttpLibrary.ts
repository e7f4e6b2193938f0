// The HTTP layer under a context's generated API clients. It wraps client-node's fetch library
// to do three things the library leaves to us: tie every request to the context's AbortSignal
// (closing a context cancels its calls), give calls without their own signal a default timeout
// (client-node has none), and report 401s so a cached exec credential is dropped and refreshed.
import {
  IsomorphicFetchHttpLibrary,
  wrapHttpLibrary,
  type HttpLibrary,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';

export interface ContextHttpHooks {
  /** Aborted when the context is dropped. */
  signal: AbortSignal;
  defaultTimeoutMs: number;
  /** Called with the Authorization header the server rejected. */
  onUnauthorized: (authorization: string | undefined) => void;
}

export function contextHttpLibrary(hooks: ContextHttpHooks): HttpLibrary {
  const inner = new IsomorphicFetchHttpLibrary();
  return wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      const own = request.getSignal() ?? AbortSignal.timeout(hooks.defaultTimeoutMs);
      request.setSignal(AbortSignal.any([hooks.signal, own]));
      const response = await inner.send(request).toPromise();
      if (response.httpStatusCode === 401) hooks.onUnauthorized(request.getHeaders().Authorization);
      return response;
    },
  });
}
