// Which kubeconfig files to read, in kubectl's order of precedence:
// `--kubeconfig PATH` alone, else every file named in KUBECONFIG, else ~/.kube/config.
// Like kubectl, a file listed in KUBECONFIG that does not exist is skipped; unlike kubectl we
// keep a note of it so the console can say so instead of silently showing fewer clusters.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeconfigError } from './kubeconfigError.ts';

export interface KubeconfigSourceOptions {
  /** From `--kubeconfig`: the only file read; it must exist. */
  kubeconfigPath?: string;
  /** Defaults to process.env; tests pass their own. */
  env?: Record<string, string | undefined>;
  /** Defaults to os.homedir(). */
  homeDir?: string;
}

export interface KubeconfigSources {
  /** Files to read, first has precedence. Absolute paths. */
  files: string[];
  /** KUBECONFIG entries that did not exist and were skipped. */
  skippedFiles: string[];
  /** Where the list came from, for messages. */
  origin: 'flag' | 'KUBECONFIG' | 'home';
}

export function findKubeconfigSources(options: KubeconfigSourceOptions = {}): KubeconfigSources {
  const env = options.env ?? process.env;
  if (options.kubeconfigPath !== undefined && options.kubeconfigPath !== '') {
    // An explicit path that does not exist is an error for kubectl too; the reader reports it.
    return { files: [path.resolve(options.kubeconfigPath)], skippedFiles: [], origin: 'flag' };
  }

  const fromEnv = env.KUBECONFIG;
  if (fromEnv !== undefined && fromEnv !== '') {
    const files: string[] = [];
    const skippedFiles: string[] = [];
    for (const entry of fromEnv.split(path.delimiter)) {
      if (entry === '') continue; // kubectl ignores empty entries ("a::b", trailing ':')
      const file = path.resolve(entry);
      if (files.includes(file) || skippedFiles.includes(file)) continue; // kubectl de-duplicates
      if (existsSync(file)) files.push(file);
      else skippedFiles.push(file);
    }
    if (files.length === 0) {
      throw new KubeconfigError('noConfig', `no kubeconfig found: none of the files in KUBECONFIG exist (${skippedFiles.join(', ')})`);
    }
    return { files, skippedFiles, origin: 'KUBECONFIG' };
  }

  const home = options.homeDir ?? env.HOME ?? homedir();
  const file = path.join(home, '.kube', 'config');
  if (!existsSync(file)) {
    throw new KubeconfigError(
      'noConfig',
      `no kubeconfig found: KUBECONFIG is not set and ${file} does not exist (use --kubeconfig PATH, or --demo for simulated clusters)`,
      { file },
    );
  }
  return { files: [file], skippedFiles: [], origin: 'home' };
}
