// Plugs ExecCredentialProvider into client-node. The per-context user is given to KubeConfig
// without its `exec` section, so client-node's own ExecAuth never matches it; this authenticator
// matches that exact user object instead and applies the provider's credential. Because it sits
// in the KubeConfig, every client-node path (API clients, Watch, Log, PortForward) uses it.
import type https from 'node:https';
import type { KubeConfig, User } from '@kubernetes/client-node';
import type { ExecCredentialProvider } from './execCredential.ts';

// client-node does not export its Authenticator interface; take it from the method that uses it.
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

export class ExecAuthenticator implements Authenticator {
  readonly #user: User;
  readonly #provider: ExecCredentialProvider;

  constructor(user: User, provider: ExecCredentialProvider) {
    this.#user = user;
    this.#provider = provider;
  }

  isAuthProvider(user: User): boolean {
    return user === this.#user;
  }

  async applyAuthentication(_user: User, opts: https.RequestOptions): Promise<void> {
    const credential = await this.#provider.get();
    if (credential.clientCertificateData !== undefined && credential.clientKeyData !== undefined) {
      opts.cert = credential.clientCertificateData;
      opts.key = credential.clientKeyData;
    }
    if (credential.token !== undefined) {
      const headers = (opts.headers ??= {});
      if (!Array.isArray(headers)) (headers as Record<string, string>).Authorization = `Bearer ${credential.token}`;
    }
  }
}
