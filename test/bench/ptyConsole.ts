// The console in a real pseudo-terminal, driven from outside as a user's terminal would: util-linux
// `script` gives it a pty of a fixed size; the bench writes key bytes to the pty and timestamps
// every byte the console writes back (what an SSH link would carry, escapes included).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { launcher } from '../helpers/cli.ts';

export interface OutputChunk {
  at: number;
  bytes: number;
  text: string;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

export class PtyConsole {
  readonly startedAt = performance.now();
  readonly chunks: OutputChunk[] = [];
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(args: readonly string[], columns: number, rows: number) {
    const command = `stty cols ${columns} rows ${rows}; exec ${launcher} ${args.join(' ')}`;
    this.child = spawn('script', ['-q', '-f', '-c', command, '/dev/null'], { stdio: 'pipe' });
    this.child.stdout.on('data', (d: Buffer) => this.chunks.push({ at: performance.now(), bytes: d.length, text: d.toString('utf8') }));
    this.child.stderr.resume();
  }

  press(key: string): number {
    const at = performance.now();
    this.child.stdin.write(key);
    return at;
  }

  bytesSince(at: number): number {
    return this.chunks.filter((c) => c.at >= at).reduce((sum, c) => sum + c.bytes, 0);
  }

  /** The node process under script → sh (its RSS and CPU are the console's). */
  nodePid(): number | undefined {
    const children = new Map<number, number[]>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      } catch {
        // gone meanwhile
      }
    }
    const queue = [this.child.pid as number];
    while (queue.length > 0) {
      const pid = queue.shift() as number;
      try {
        // The launcher runs the bundle when it is up to date, else the sources.
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmdline.includes('mesh-tui.mjs') || cmdline.includes('main.ts')) return pid;
      } catch {
        // gone meanwhile
      }
      queue.push(...(children.get(pid) ?? []));
    }
    return undefined;
  }

  static rssMb(pid: number): number {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : NaN;
  }

  static cpuSeconds(pid: number): number {
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  }

  async quit(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const node = this.nodePid();
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.write('q');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await closed;
    clearTimeout(timer);
    // script killed with SIGKILL can leave the console behind: end it by its own id.
    if (node !== undefined) {
      try {
        process.kill(node, 'SIGKILL');
      } catch {
        // already gone: the usual case
      }
    }
  }
}
