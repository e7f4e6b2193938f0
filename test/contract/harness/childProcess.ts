// One child process of the harness (etcd or a kube-apiserver): output goes to a log file in the
// run's temp dir, so a failed start can show the server's own last words, and stop() always
// ends it, even if it ignores SIGTERM. Children still running when the test process exits are
// killed too (also on SIGINT/SIGTERM/SIGHUP), so a crashed or interrupted test never leaves
// servers behind on the shared machine. Only SIGKILL of the test process itself can.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { cleanupOnExit } from './cleanupOnExit.ts';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Non-null once the process has ended. */
  exitDescription(): string | null;
  /** Last lines of the log, for error messages. */
  logTail(lines?: number): string;
  /** Resident set size from /proc, in bytes (0 when unavailable). */
  rssBytes(): number;
  stop(): Promise<void>;
}

export function startProcess(name: string, binary: string, args: string[], logPath: string): ManagedProcess {
  const logFd = openSync(logPath, 'a');
  const child = spawn(binary, args, {
    stdio: ['ignore', logFd, logFd],
    // Servers written in Go size their thread pools by GOMAXPROCS; the machine has 2 cores.
    env: { ...process.env, GOMAXPROCS: process.env.GOMAXPROCS ?? '2' },
  });
  closeSync(logFd);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${binary}`);
  const forget = cleanupOnExit(() => child.kill('SIGKILL'));
  let exit: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ? `killed by ${signal}` : `exited with code ${String(code)}`;
      forget();
      resolve();
    });
  });
  child.once('error', (error) => {
    exit = `failed: ${error.message}`;
  });
  const pid = child.pid;
  return {
    name,
    pid,
    logPath,
    exitDescription: () => exit,
    logTail(lines = 20) {
      try {
        return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    rssBytes() {
      try {
        const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match?.[1] ? Number(match[1]) * 1024 : 0;
      } catch {
        return 0;
      }
    },
    async stop() {
      if (exit !== null) return;
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}

/** Polls `probe` until it returns true; fails early when the process dies. */
export async function waitUntilReady(process_: ManagedProcess, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ended = process_.exitDescription();
    if (ended !== null) throw new Error(`${process_.name} ${ended} before it was ready:\n${process_.logTail()}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`${process_.name} not ready after ${timeoutMs} ms:\n${process_.logTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
