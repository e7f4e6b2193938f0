// Kubeconfig files written to a fresh temp dir, for the kube/ tests.
import { mkdtempSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';

export interface TempDir {
  dir: string;
  write: (name: string, content: string, mode?: number) => string;
  writeKubeconfig: (name: string, config: KubeconfigDoc) => string;
  remove: () => void;
}

export interface KubeconfigDoc {
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
  contexts?: { name: string; context: Record<string, unknown> }[];
  'current-context'?: string;
}

export function makeTempDir(prefix = 'mesh-tui-kube-'): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const write = (name: string, content: string, mode?: number): string => {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    if (mode !== undefined) chmodSync(file, mode);
    return file;
  };
  return {
    dir,
    write,
    writeKubeconfig: (name, config) => write(name, dump({ apiVersion: 'v1', kind: 'Config', ...config })),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A one-context kubeconfig for a loopback server with a bearer token. */
export function tokenKubeconfig(context: string, server: string, caData: string, token: string): KubeconfigDoc {
  return {
    clusters: [{ name: `${context}-cluster`, cluster: { server, 'certificate-authority-data': caData } }],
    users: [{ name: `${context}-user`, user: { token } }],
    contexts: [{ name: context, context: { cluster: `${context}-cluster`, user: `${context}-user` } }],
    'current-context': context,
  };
}
