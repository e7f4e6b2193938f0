// Which API server a resolved context reaches, as one comparable string: the server URL and a
// fingerprint of the CA it trusts. A kubeconfig often holds several contexts (admin, on-call…)
// for one cluster; the store keeps this per context so the checks can evaluate that cluster
// once (src/store/snapshotReads.ts). The CA is hashed, not kept: the string is compared and
// shown, and a short digest is enough to tell two CAs apart.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ResolvedContext } from './kubeconfig.ts';

export function clusterEndpoint(resolved: ResolvedContext): string {
  return `${normalServer(resolved.cluster.server)} ca=${caFingerprint(resolved)}`;
}

/** `https://HOST:443/` and `https://host` are the same server. */
function normalServer(server: string): string {
  try {
    const url = new URL(server);
    const defaultPort = url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '';
    const port = url.port === '' || url.port === defaultPort ? '' : `:${url.port}`;
    return `${url.protocol}//${url.hostname.toLowerCase()}${port}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return server;
  }
}

function caFingerprint(resolved: ResolvedContext): string {
  const { caData, caFile, skipTLSVerify } = resolved.cluster;
  let pem: string | undefined;
  if (caData !== undefined) pem = Buffer.from(caData, 'base64').toString('utf8');
  else if (caFile !== undefined) {
    try {
      pem = readFileSync(caFile, 'utf8');
    } catch {
      // The client reports an unreadable CA file itself; here it only means "no fingerprint".
      pem = `file:${caFile}`;
    }
  }
  if (pem === undefined) return skipTLSVerify === true ? 'insecure' : 'system';
  return createHash('sha256').update(pem.trim()).digest('hex').slice(0, 16);
}
