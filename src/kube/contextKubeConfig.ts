// A KubeConfig that holds exactly one context, its cluster and its user, and can never be
// switched to another. client-node looks the current cluster and user up again on every request
// (reference/client-node.md §2.2, #871), so a shared KubeConfig whose current-context changes sends
// A's requests with B's token; one instance per context, frozen, rules that out.
// It also sends every request through the context's shared connection pool (contextDispatcher.ts).
import type https from 'node:https';
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';
import type { ResolvedContext } from './kubeconfig.ts';
import type { ContextDispatcher } from './contextDispatcher.ts';
import { ExecAuthenticator } from './execAuthenticator.ts';
import type { ExecCredentialProvider } from './execCredential.ts';

export class ContextKubeConfig extends KubeConfig {
  readonly #dispatchers: ContextDispatcher;

  constructor(resolved: ResolvedContext, dispatchers: ContextDispatcher, execProvider: ExecCredentialProvider | undefined) {
    super();
    this.#dispatchers = dispatchers;
    if (execProvider) this.addAuthenticator(new ExecAuthenticator(resolved.user, execProvider));
    super.loadFromOptions({
      clusters: [resolved.cluster],
      users: [resolved.user],
      contexts: [
        {
          name: resolved.name,
          cluster: resolved.cluster.name,
          user: resolved.user.name,
          ...(resolved.namespace !== undefined && { namespace: resolved.namespace }),
        },
      ],
      currentContext: resolved.name,
    });
  }

  override setCurrentContext(context: string): void {
    if (this.currentContext !== undefined && context !== this.currentContext) {
      throw new Error(`this KubeConfig belongs to context "${this.currentContext}" and cannot switch to "${context}"`);
    }
    super.setCurrentContext(context);
  }

  override loadFromOptions(): void {
    throw new Error('a per-context KubeConfig cannot be reloaded; build a new ContextClient');
  }

  // Same headers and TLS settings as client-node's own implementation (taken from its public
  // applyToHTTPSOptions, which also runs the authenticators), but with the context's shared
  // dispatcher instead of a fresh undici Agent per request.
  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    const cluster = this.getCurrentCluster();
    if (!cluster || cluster.proxyUrl?.startsWith('socks')) {
      await super.applySecurityAuthentication(context);
      return;
    }
    const opts: https.RequestOptions = {};
    await this.applyToHTTPSOptions(opts);
    const headers = opts.headers;
    if (headers && !Array.isArray(headers)) {
      for (const [key, value] of Object.entries(headers)) if (value !== undefined) context.setHeaderParam(key, String(value));
    }
    if (opts.auth) context.setHeaderParam('Authorization', `Basic ${Buffer.from(opts.auth).toString('base64')}`);
    const tls: https.AgentOptions = {};
    if (opts.ca !== undefined) tls.ca = opts.ca;
    if (opts.cert !== undefined) tls.cert = opts.cert;
    if (opts.key !== undefined) tls.key = opts.key;
    if (opts.rejectUnauthorized !== undefined) tls.rejectUnauthorized = opts.rejectUnauthorized;
    if (opts.servername !== undefined) tls.servername = opts.servername;
    const dispatcher = this.#dispatchers.dispatcherFor(this, cluster, tls);
    if (dispatcher) context.setDispatcher(dispatcher);
  }
}
