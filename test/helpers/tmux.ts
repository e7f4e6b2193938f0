// A real terminal for end-to-end tests: a detached tmux session of a chosen size running a
// plain shell, into which a test types a command line as a user would, presses keys
// (send-keys), reads the screen (capture-pane) and resizes the window. tmux is the terminal
// emulator here, so what capture-pane returns is what a user would see, escapes applied.
// Every terminal has its own tmux server (`-L`), so tests never see each other's sessions.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TMUX = process.env.TMUX_BIN ?? '/usr/bin/tmux';
/** The prompt of the test shell: its return means the command ended and the shell has the terminal. */
export const PROMPT = 'E2E-READY$ ';
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let serial = 0;

export function tmuxAvailable(): boolean {
  try {
    execFileSync(TMUX, ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface TerminalOptions {
  columns: number;
  rows: number;
  /** Extra environment for the shell (and so for what it runs). */
  env?: Record<string, string>;
}

export class TmuxTerminal {
  readonly socket: string;
  readonly #session = 'e2e';

  private constructor(socket: string) {
    this.socket = socket;
  }

  /** A shell at its prompt, on a cleared screen, in the repository root. */
  static async open(options: TerminalOptions): Promise<TmuxTerminal> {
    const terminal = new TmuxTerminal(`mesh-tui-e2e-${process.pid}-${++serial}`);
    const env = { ...options.env, PS1: PROMPT, HISTFILE: '/dev/null' };
    // Through env(1) rather than tmux's -e: the prompt must reach bash byte for byte.
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    terminal.#tmux([
      'new-session',
      '-d',
      '-s',
      terminal.#session,
      '-x',
      String(options.columns),
      '-y',
      String(options.rows),
      '-c',
      repoRoot,
      'env',
      ...envArgs,
      'bash',
      '--norc',
      '--noprofile',
    ]);
    // No status line: the pane is the whole window, so its size is the size asked for.
    terminal.#tmux(['set-option', '-t', terminal.#session, 'status', 'off']);
    await terminal.waitForScreen((s) => s.includes(PROMPT.trim()), { what: 'the shell prompt', timeoutMs: 20_000 });
    return terminal;
  }

  #tmux(args: string[]): string {
    return execFileSync(TMUX, ['-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Types a command line and presses Enter. */
  run(commandLine: string): void {
    this.type(commandLine);
    this.press('Enter');
  }

  /** Literal text, one character per send-keys: as fast as a person, never as one paste. */
  type(text: string): void {
    // A lone `;` would end tmux's command: it is written escaped.
    for (const char of text) this.#tmux(['send-keys', '-t', this.#session, '-l', char === ';' ? '\\;' : char]);
  }

  /** tmux key names: `q`, `Tab`, `BTab`, `Enter`, `Escape`, `C-c`, `Down`, `j`. */
  press(...keys: string[]): void {
    for (const key of keys) this.#tmux(['send-keys', '-t', this.#session, key]);
  }

  /** The visible screen, one string per row (trailing spaces trimmed by tmux). */
  lines(): string[] {
    return this.#tmux(['capture-pane', '-p', '-t', this.#session]).replace(/\n$/, '').split('\n');
  }

  screen(): string {
    return this.lines().join('\n');
  }

  /** The scrollback and the screen: everything the terminal has shown since it opened. */
  history(): string {
    return this.#tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', this.#session]);
  }

  /** Whether the application has the alternate screen on (`#{alternate_on}`). */
  alternateOn(): boolean {
    return this.#display('#{alternate_on}') === '1';
  }

  size(): { columns: number; rows: number } {
    const [columns, rows] = this.#display('#{pane_width} #{pane_height}').split(' ').map(Number);
    return { columns: columns ?? 0, rows: rows ?? 0 };
  }

  /** The pids of the shell's children: what the typed command started and is still running. */
  children(): number[] {
    const shell = this.#display('#{pane_pid}');
    try {
      return execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map(Number);
    } catch {
      return []; // pgrep exits 1 when nothing matches
    }
  }

  #display(format: string): string {
    return this.#tmux(['display-message', '-p', '-t', this.#session, format]).trim();
  }

  resize(columns: number, rows: number): void {
    this.#tmux(['resize-window', '-t', this.#session, '-x', String(columns), '-y', String(rows)]);
  }

  /** Polls the screen until `predicate` holds; the timeout error shows the screen it last saw. */
  async waitForScreen(
    predicate: (screen: string, lines: string[]) => boolean,
    options: { what: string; timeoutMs?: number },
  ): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    let last = '';
    for (;;) {
      const lines = this.lines();
      last = lines.join('\n');
      if (predicate(last, lines)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}; the screen:\n${last}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Polls until `condition` holds (a process gone, the alternate screen off). */
  async waitUntil(condition: () => boolean, options: { what: string; timeoutMs?: number }): Promise<void> {
    await this.waitForScreen(() => condition(), options);
  }

  /**
   * From now on, every byte the program in the pane writes to the terminal is appended to
   * `file` (tmux pipe-pane): what would cross an SSH link, escapes included.
   */
  recordOutput(file: string): void {
    this.#tmux(['pipe-pane', '-O', '-t', this.#session, `cat >> '${file}'`]);
  }

  /** Ends the tmux server and everything in it. */
  close(): void {
    try {
      this.#tmux(['kill-server']);
    } catch {
      // already gone
    }
  }
}
