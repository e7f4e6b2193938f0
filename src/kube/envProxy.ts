// kubectl honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY (Go's net/http/httpproxy rules) for clusters
// without `proxy-url`; client-node ignores them (reference/client-node.md §2.5, #2161). We copy
// the environment's proxy into the cluster's proxyUrl when building each context, as kubectl
// would use it, so a bastion behind a proxy behaves the same in both tools.
import net from 'node:net';

type Env = Record<string, string | undefined>;

function fromEnv(env: Env, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value === undefined || value === '' ? undefined : value;
}

/** The proxy kubectl would use for `server`, or undefined to connect directly. */
export function proxyFromEnvironment(server: string, env: Env): string | undefined {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return undefined;
  }
  const proxy = url.protocol === 'https:' ? fromEnv(env, 'HTTPS_PROXY') : fromEnv(env, 'HTTP_PROXY');
  if (proxy === undefined) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  // Go never proxies localhost or loopback addresses, whatever NO_PROXY says.
  if (host === 'localhost' || isLoopback(host)) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (bypassed(host, port, fromEnv(env, 'NO_PROXY'))) return undefined;
  // Go accepts a bare host:port and assumes http://.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function isLoopback(host: string): boolean {
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1';
  return false;
}

function bypassed(host: string, port: string, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (inCidr(host, entry)) return true;
      continue;
    }
    if (net.isIP(entry.replace(/^\[|\]$/g, ''))) {
      if (entry.replace(/^\[|\]$/g, '') === host) return true;
      continue;
    }
    // A name, optionally with a port: "example.com" and ".example.com" both match subdomains;
    // "example.com" also matches itself.
    const [name = '', entryPort] = entry.split(':');
    if (entryPort !== undefined && entryPort !== port) continue;
    const bare = name.replace(/^\*?\./, '');
    if (host === bare && !name.startsWith('.')) return true;
    if (host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

function inCidr(host: string, cidr: string): boolean {
  const [base = '', bitsText = ''] = cidr.split('/');
  const bits = Number(bitsText);
  const family = net.isIPv6(base) ? 'ipv6' : net.isIPv4(base) ? 'ipv4' : undefined;
  if (family === undefined || !Number.isInteger(bits) || net.isIP(host) === 0) return false;
  try {
    const list = new net.BlockList();
    list.addSubnet(base, bits, family);
    return list.check(host, net.isIPv6(host) ? 'ipv6' : 'ipv4');
  } catch {
    return false; // a malformed entry matches nothing, as in Go
  }
}
