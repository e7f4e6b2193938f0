// --kubeconfig / --context / --contexts → the contexts to work on. A kubeconfig that cannot be
// used is the user's input problem: one clear line naming the file and entry, exit code 2.
import { loadKubeconfig, type LoadedKubeconfig } from '../kube/kubeconfig.ts';
import { KubeconfigError } from '../kube/kubeconfigError.ts';
import { UsageError } from './exitCodes.ts';

export type OptionValues = Record<string, string | boolean | undefined>;

export function selectKubeconfig(values: OptionValues): LoadedKubeconfig {
  const path = str(values.kubeconfig);
  const context = str(values.context);
  const contexts = str(values.contexts);
  if (context !== undefined && contexts !== undefined) throw new UsageError('give --context or --contexts, not both');
  const list = contexts
    ?.split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  if (contexts !== undefined && (list === undefined || list.length === 0))
    throw new UsageError('--contexts needs at least one context name');
  let loaded: LoadedKubeconfig;
  try {
    loaded = loadKubeconfig({
      ...(path !== undefined ? { kubeconfigPath: path } : {}),
      ...(context !== undefined ? { context } : {}),
      ...(list !== undefined ? { contexts: list } : {}),
    });
  } catch (err) {
    if (err instanceof KubeconfigError) throw new UsageError(err.message);
    throw err;
  }
  if (loaded.contexts.length === 0 && loaded.invalidContexts.length === 0) {
    throw new UsageError(`no contexts in ${loaded.files.join(', ') || 'the kubeconfig'}`);
  }
  return loaded;
}

export function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function seconds(values: OptionValues, key: string, fallback: number): number {
  const v = str(values[key]);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${key} must be a positive number of seconds (got "${v}")`);
  return n;
}
