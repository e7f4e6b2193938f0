// The setup every contract test file shares: start both backends before its tests, stop them
// after, and compare an operation's observable result on the two.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBothBackends, type BackendOptions, type ContractBackend } from './backends.ts';

export interface BothBackends {
  /** Both started backends (empty while skipped). */
  all(): ContractBackend[];
  /** Why the suite cannot run here, or null. */
  skipReason(): string | null;
  backend: (name: ContractBackend['name']) => ContractBackend;
  /** Runs `op` against the real apiserver and the simulator; the simulator must observe the same. */
  sameOnBoth: <T>(op: (b: ContractBackend) => Promise<T>) => Promise<T>;
}

export function useBothBackends(options: BackendOptions = {}): BothBackends {
  let backends: ContractBackend[] = [];
  let skip: string | null = null;
  let stopAll: () => Promise<void> = async () => {};

  before(async () => {
    const both = await startBothBackends(options);
    backends = both.backends;
    skip = both.skip;
    stopAll = () => both.stop();
  });
  after(async () => {
    await stopAll();
  });

  const backend = (name: ContractBackend['name']): ContractBackend => {
    const found = backends.find((b) => b.name === name);
    if (!found) throw new Error(`no ${name} backend`);
    return found;
  };
  return {
    all: () => backends,
    skipReason: () => skip,
    backend,
    sameOnBoth: async <T>(op: (b: ContractBackend) => Promise<T>): Promise<T> => {
      const real = await op(backend('kube-apiserver'));
      const sim = await op(backend('simulator'));
      assert.deepEqual(sim, real, 'simulator (actual) differs from kube-apiserver (expected)');
      return real;
    },
  };
}
