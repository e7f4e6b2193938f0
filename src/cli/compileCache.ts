// Node's on-disk compile cache for what the commands load: `--once` spends a third of its wall
// time parsing and compiling modules (our TypeScript, stripped of types on every start, and the
// Kubernetes client's thousands of files). Cached, a second run skips most of it.
//
// Kept under the user's own cache directory, not the shared temp directory Node would pick: V8
// trusts its code cache, and on a shared bastion another user must not be able to plant one.
// NODE_COMPILE_CACHE still overrides the place, NODE_DISABLE_COMPILE_CACHE turns it off; a
// cache that cannot be opened is skipped silently (it only ever saves time).
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function useCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_COMPILE_CACHE !== undefined && env.NODE_COMPILE_CACHE !== '') {
    enableCompileCache();
    return;
  }
  const cacheHome = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  enableCompileCache(join(cacheHome, 'mesh-tui', 'node-compile-cache'));
}
