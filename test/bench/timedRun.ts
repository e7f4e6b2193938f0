// One run of a command, timed as a user would feel it: wall time from spawn to exit, and peak
// RSS from GNU time's "Maximum resident set size" when /usr/bin/time is there, else from the
// child's /proc status (VmHWM) sampled while it runs.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const GNU_TIME = '/usr/bin/time';

export interface TimedSample {
  wallMs: number;
  peakRssMb: number;
  exitCode: number | null;
}

/** Rejects on an exit code outside `expected`: a broken run measures nothing. */
export async function timedRun(
  command: string,
  args: readonly string[],
  expected: readonly number[] = [0],
  env: NodeJS.ProcessEnv = process.env,
): Promise<TimedSample> {
  const timed = existsSync(GNU_TIME);
  const [file, argv] = timed ? [GNU_TIME, ['-v', command, ...args]] : [command, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let polledKb = 0;
  const poll = timed
    ? undefined
    : setInterval(() => {
        try {
          const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (hwm) polledKb = Math.max(polledKb, Number(hwm[1]));
        } catch {
          // The process has just ended.
        }
      }, 10);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallMs = performance.now() - started;
  clearInterval(poll);
  if (!expected.includes(exitCode ?? -1)) throw new Error(`${command} ${args.join(' ')} exited ${String(exitCode)}: ${stderr.slice(-400)}`);
  const gnuKb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return { wallMs, peakRssMb: (gnuKb ? Number(gnuKb[1]) : polledKb) / 1024, exitCode };
}
