// Per-call options for generated API calls (the optional second argument), because generated
// methods take no AbortSignal. The context client combines whatever signal is set here with the
// context's own (closing a context cancels everything), so these only narrow a single call.
// The exported API classes take Observable-style options (not the Promise-style ones their
// PromiseAPI layer would), hence `new Observable(...)`.
import { Observable, type ConfigurationOptions, type RequestContext, type ResponseContext } from '@kubernetes/client-node';

/** Give this call its own timeout instead of the context's default. */
export function withTimeout(timeoutMs: number): ConfigurationOptions {
  return withSignal(AbortSignal.timeout(timeoutMs));
}

/** Cancel this call with the caller's signal (e.g. a screen that was closed). */
export function withSignal(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context: RequestContext) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response: ResponseContext) => new Observable(Promise.resolve(response)),
      },
    ],
    // Keep the client's own middleware (User-Agent): 'replace' is the library default.
    middlewareMergeStrategy: 'append',
  };
}
