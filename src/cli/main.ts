// Entry point: parse the command line, run one command, map failures to exit codes.
// Anything a user can get wrong ends as one line on stderr and exit code 2, never a stack.
import { parseCommandLine, formatMainHelp, formatCommandHelp } from './args.ts';
import { EXIT, UsageError, type ExitCode } from './exitCodes.ts';
import { toolVersion } from './version.ts';
import { exitOnSignals } from './signals.ts';
import { useCompileCache } from './compileCache.ts';
import { warn } from './heldOutput.ts';

/**
 * Once a command has returned, nothing it started may keep the process: a connection or a timer
 * left behind would hold a script waiting after the report. Anything still open this long
 * after is ended with the process (the `exit` handlers still run).
 */
const LINGER_MS = 200;

export async function main(argv: string[]): Promise<ExitCode> {
  const parsed = parseCommandLine(argv);
  if ('topLevel' in parsed) {
    if (parsed.topLevel === 'version') {
      process.stdout.write(`mesh-tui ${toolVersion()}\n`);
      return EXIT.ok;
    }
    if (parsed.topLevel === 'help') {
      process.stdout.write(formatMainHelp(toolVersion()));
      return EXIT.ok;
    }
    if (parsed.values.help === true) {
      process.stdout.write(formatMainHelp(toolVersion()));
      return EXIT.ok;
    }
    if (parsed.values.once === true) {
      exitOnSignals();
      return (await import('./commands/once.ts')).runOnce(parsed.values, parsed.positionals);
    }
    // The console handles its own signals: it must restore the terminal before the process ends.
    return (await import('./commands/console.ts')).runConsole(parsed.values, parsed.positionals);
  }
  if (parsed.values.help === true) {
    process.stdout.write(formatCommandHelp(parsed.command));
    return EXIT.ok;
  }
  switch (parsed.command.name) {
    // Commands load lazily: `--help` must not pay for the Kubernetes client or the simulator.
    case 'scenarios':
      return (await import('./commands/scenarios.ts')).runScenarios(parsed.values);
    case 'status':
      exitOnSignals();
      return (await import('./commands/status.ts')).runStatus(parsed.values);
    case 'act':
      exitOnSignals();
      return (await import('./commands/act.ts')).runAct(parsed.values, parsed.positionals);
    case 'sim':
      return (await import('./commands/sim.ts')).runSim(parsed.values);
    default:
      throw new UsageError(`command "${parsed.command.name}" is not implemented`);
  }
}

function reportFatal(err: unknown): ExitCode {
  if (err instanceof UsageError) {
    process.stderr.write(`mesh-tui: ${err.message}\n`);
    return EXIT.usage;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`mesh-tui: unexpected error: ${message}\n`);
  return EXIT.failed;
}

if (import.meta.main) {
  // Before the commands' modules load: they are most of what a run compiles.
  useCompileCache();
  // client-node can reject outside any await of ours (an exec plugin failing during a reconnect,
  // see reference/client-node.md §2.4). One context's failure must never end the process: say
  // it on stderr — the feeds have already put the error on that context's status.
  process.on('unhandledRejection', (reason: unknown) => {
    const text = reason instanceof Error ? reason.message : String(reason);
    // Held while the console draws (heldOutput.ts): a line on stderr would land mid-screen.
    warn(`mesh-tui: warning: unhandled rejection: ${text.split('\n')[0] ?? ''}`);
  });
  // `mesh-tui --once | head`: the reader has all it wants; stop writing, without a stack trace.
  // EIO: the terminal itself is gone (SSH dropped under the console); the exit handlers still run.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'EIO') process.exit();
      throw err;
    });
  }
  const leave = (code: ExitCode): void => {
    process.exitCode = code;
    setTimeout(() => process.exit(), LINGER_MS).unref();
  };
  main(process.argv.slice(2)).then(leave, (err: unknown) => leave(reportFatal(err)));
}
