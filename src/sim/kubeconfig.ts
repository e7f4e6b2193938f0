// The kubeconfig a simulator run hands to the product, kubectl and tests: one context per
// simulated cluster, each with its own CA and the scenario's chosen user token.
import { dump } from 'js-yaml';
import { lstatSync, unlinkSync } from 'node:fs';
import { lstat, rename, stat, writeFile } from 'node:fs/promises';
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

/** The file a simulator run wrote: enough to tell later whether the path still holds that file. */
export interface WrittenKubeconfig {
  path: string;
  /** Nothing was at the path before: the file is the simulator's own, and its to remove. */
  created: boolean;
  dev: number;
  ino: number;
  /** Birth time (0 where the filesystem keeps none): an inode number is reused at once after a delete. */
  born: number;
}

export interface WriteKubeconfigOptions {
  /** false: refuse (EEXIST) rather than replace a file already at the path. Default true. */
  replace?: boolean;
}

/** Writes with mode 0600 (the file holds bearer tokens): atomically when replacing, exclusively when not. */
export async function writeKubeconfig(
  path: string,
  entries: KubeconfigEntry[],
  options: WriteKubeconfigOptions = {},
): Promise<WrittenKubeconfig> {
  const text = renderKubeconfig(entries);
  if (options.replace === false) {
    // O_EXCL: a file (or a symlink to one) that appears at the path is never written through.
    await writeFile(path, text, { mode: 0o600, flag: 'wx' });
    const written = await stat(path);
    return { path, created: true, dev: written.dev, ino: written.ino, born: written.birthtimeMs };
  }
  const existed = await lstat(path).then(
    () => true,
    () => false,
  );
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
  const written = await stat(path);
  return { path, created: !existed, dev: written.dev, ino: written.ino, born: written.birthtimeMs };
}

/** Removes the file only if the simulator created it and the path still holds that very file. */
export function removeWrittenKubeconfig(written: WrittenKubeconfig): void {
  if (!written.created) return;
  try {
    const now = lstatSync(written.path);
    if (now.dev === written.dev && now.ino === written.ino && now.birthtimeMs === written.born) unlinkSync(written.path);
  } catch {
    // already gone
  }
}
