// The kubeconfig a simulator run hands to the product, kubectl and tests: one context per
// simulated cluster, each with its own CA and the scenario's chosen user token.
import { dump } from 'js-yaml';
import { writeFile, rename } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

export interface KubeconfigEntry {
  context: string;
  server: string;
  caPem: string;
  user: string;
  token: string;
}

export function renderKubeconfig(entries: KubeconfigEntry[]): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': entries[0]?.context ?? '',
    clusters: entries.map((e) => ({
      name: e.context,
      cluster: { server: e.server, 'certificate-authority-data': Buffer.from(e.caPem).toString('base64') },
    })),
    users: entries.map((e) => ({ name: `${e.context}-${e.user}`, user: { token: e.token } })),
    contexts: entries.map((e) => ({
      name: e.context,
      context: { cluster: e.context, user: `${e.context}-${e.user}` },
    })),
  };
  return dump(doc, { lineWidth: -1 });
}

/** Write atomically with mode 0600: the file holds bearer tokens. */
export async function writeKubeconfig(path: string, entries: KubeconfigEntry[]): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, renderKubeconfig(entries), { mode: 0o600 });
  await rename(tmp, path);
}
