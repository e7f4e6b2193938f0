// Command-line parsing: one table of options per command, strict, so a typo is an error
// (exit 2) rather than a silently ignored flag at 3 a.m.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './exitCodes.ts';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpecs;
  /** Help text per option, in the order shown. */
  optionHelp: [flag: string, text: string][];
  maxPositionals: number;
}

export interface ParsedCommand {
  command: CommandSpec;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

const commonHelp: [string, string][] = [['-h, --help', 'show this help']];

const kubeconfigOptions: OptionSpecs = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  contexts: { type: 'string' },
  'istio-namespace': { type: 'string', short: 'i' },
};

const kubeconfigHelp: [string, string][] = [
  ['--kubeconfig PATH', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)'],
  ['--context NAME', 'only this context'],
  ['--contexts A,B,C', 'only these contexts (default: every context)'],
  ['-i, --istio-namespace NS', "istiod's namespace (default istio-system)"],
];

export const COMMANDS: CommandSpec[] = [
  {
    name: 'status',
    summary: 'connect to every context once and print what the live feeds can and cannot read',
    usage: 'mesh-tui status [--kubeconfig PATH] [--context NAME | --contexts A,B] [--timeout S] [--output text|json]',
    options: {
      help: { type: 'boolean', short: 'h' },
      output: { type: 'string', short: 'o' },
      timeout: { type: 'string' },
      ...kubeconfigOptions,
    },
    optionHelp: [
      ...kubeconfigHelp,
      ['--timeout SECONDS', 'how long to wait for every context to sync (default 30)'],
      ['-o, --output FORMAT', 'text (default) or json'],
      ...commonHelp,
    ],
    maxPositionals: 0,
  },
  {
    name: 'scenarios',
    summary: 'list the built-in simulator scenarios and the root cause each one plants',
    usage: 'mesh-tui scenarios [--output text|json]',
    options: { help: { type: 'boolean', short: 'h' }, output: { type: 'string', short: 'o' } },
    optionHelp: [['-o, --output FORMAT', 'text (default) or json'], ...commonHelp],
    maxPositionals: 0,
  },
  {
    name: 'sim',
    summary: 'start simulated clusters on 127.0.0.1 and write a kubeconfig for them',
    usage: 'mesh-tui sim (--scenario NAME | --scenario-file PATH) --kubeconfig-out FILE [--force]',
    options: {
      help: { type: 'boolean', short: 'h' },
      scenario: { type: 'string' },
      'scenario-file': { type: 'string' },
      'kubeconfig-out': { type: 'string' },
      force: { type: 'boolean' },
      'bookmark-interval': { type: 'string' },
    },
    optionHelp: [
      ['--scenario NAME', 'a built-in scenario (see `mesh-tui scenarios`)'],
      ['--scenario-file PATH', 'a scenario YAML file (format: docs/scenarios.md)'],
      ['--kubeconfig-out FILE', 'where to write the kubeconfig (mode 0600): a new file, removed on exit'],
      ['--force', 'replace FILE if it exists (it is then left in place on exit)'],
      ['--bookmark-interval SECONDS', 'how often watches get a BOOKMARK (default 10)'],
      ...commonHelp,
    ],
    maxPositionals: 0,
  },
  {
    name: 'act',
    summary: 'a guided fix (relabel-network, delete-stale-workloadentries): plan, dry run, and with --yes apply',
    usage:
      'mesh-tui act relabel-network --context C --network N [--dry-run|--yes] [--kubeconfig PATH]\n' +
      '       mesh-tui act delete-stale-workloadentries --context C [--name N …] [--dry-run|--yes]',
    options: {
      help: { type: 'boolean', short: 'h' },
      network: { type: 'string' },
      name: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean' },
      'read-only': { type: 'boolean' },
      timeout: { type: 'string' },
      ...kubeconfigOptions,
    },
    optionHelp: [
      ['--context NAME', 'the cluster to fix (every context is read: peers and source clusters matter)'],
      ['--network NAME', 'relabel-network: the network name the cluster should have'],
      ['--name NAME', 'delete-stale-workloadentries: only this entry (repeat for more; default every stale one)'],
      ['--dry-run', 'print the plan and the server-side dry run, change nothing (the default)'],
      ['--yes', 'apply the plan after a dry run that accepted every step'],
      ['--kubeconfig PATH', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)'],
      ['--contexts A,B,C', 'read only these contexts (default: every context)'],
      ['-i, --istio-namespace NS', "istiod's namespace (default istio-system)"],
      ['--timeout SECONDS', 'how long to wait for every context (default 30)'],
      ['exit codes', '0 applied, accepted or nothing to do; 1 a step refused; 2 usage; 4 permission missing'],
      ...commonHelp,
    ],
    maxPositionals: 1,
  },
];

/** The console's own flags: `mesh-tui [--demo [NAME]] [--once …]`; the one-shot report takes the same. */
export const CONSOLE_OPTIONS: OptionSpecs = {
  once: { type: 'boolean' },
  'max-fps': { type: 'string' },
  'read-only': { type: 'boolean' },
  demo: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  timeout: { type: 'string' },
  since: { type: 'string' },
  precheck: { type: 'boolean' },
  ...kubeconfigOptions,
};

export const MAIN_HELP_OPTIONS: [string, string][] = [
  ['--once', 'run the multicluster checks once, print the report and exit (see docs/report.md)'],
  ['--demo [NAME]', 'run against simulated clusters of a built-in scenario (console: live-demo; --once: healthy)'],
  ['--max-fps N', 'console: redraw at most N times a second, 1-60 (default 10 over SSH, else 15)'],
  ['--read-only', 'console: no guided actions, only looking (accepted with --once, where nothing changes)'],
  ['-o, --output FORMAT', 'text (default), markdown, json or scenario'],
  ['--timeout SECONDS', 'how long to wait for every context (default 30)'],
  ['--since DURATION', 'only log lines newer than this count (30s, 5m, 1h)'],
  ['--precheck', 'before linking: missing or disconnected peers do not fail'],
  ...kubeconfigHelp,
  ['-h, --help', 'show this help'],
  ['-V, --version', 'print the version'],
];

export interface ParsedConsole {
  topLevel: 'console';
  values: Record<string, string | boolean | undefined>;
  /** The `--demo` scenario name, when given. */
  positionals: string[];
}

/** Parse argv (without node and script) into a command and its options; throws UsageError. */
export function parseCommandLine(argv: string[]): ParsedCommand | ParsedConsole | { topLevel: 'help' } | { topLevel: 'version' } {
  const first = argv[0];
  // No arguments at all: the console on every context of the default kubeconfig.
  if (first === undefined) return parseConsoleFlags(argv);
  if (first === '-h' || first === '--help' || first === 'help') return { topLevel: 'help' };
  if (first === '-V' || first === '--version') {
    if (argv.length > 1) throw new UsageError(`--version takes no arguments (got "${argv[1]}")`);
    return { topLevel: 'version' };
  }
  if (first.startsWith('-')) return parseConsoleFlags(argv);
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    throw new UsageError(`unknown command "${first}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
  }
  try {
    const { values, positionals } = parseArgs({
      args: argv.slice(1),
      options: command.options,
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > command.maxPositionals) {
      throw new UsageError(`${command.name}: unexpected argument "${positionals[command.maxPositionals]}"`);
    }
    return { command, values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${command.name}: ${describeParseError(err)}`);
  }
}

function parseConsoleFlags(argv: string[]): ParsedConsole {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...CONSOLE_OPTIONS, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(describeParseError(err));
  }
  const { values, positionals } = parsed;
  // The only positional is --demo's scenario: anything else is a typo or a misplaced command.
  if (positionals.length > 0 && values.demo !== true)
    throw new UsageError(`unexpected argument "${positionals[0]}" (commands come first: mesh-tui <command> [options])`);
  if (positionals.length > 1) throw new UsageError(`--demo takes one scenario name (got "${positionals.join('", "')}")`);
  return { topLevel: 'console', values, positionals };
}

/** `30s`, `5m`, `1h`, `1h30m` → seconds; throws UsageError naming the flag. */
export function parseDuration(flag: string, value: string): number {
  const unit: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };
  if (!/^(\d+[smh])+$/.test(value)) throw new UsageError(`--${flag} must be a duration like 30s, 5m or 1h (got "${value}")`);
  let total = 0;
  for (const [, n, u] of value.matchAll(/(\d+)([smh])/g)) total += Number(n) * (unit[u ?? 's'] ?? 1);
  if (total <= 0) throw new UsageError(`--${flag} must be longer than 0s (got "${value}")`);
  return total;
}

function describeParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // node:util's messages are long and mention `strict:false`, which means nothing to our users.
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option "${unknown[1]}"`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `option "${missing[1]?.split(',')[0]?.trim() ?? ''}" needs a value`;
  const ambiguous = /Option '([^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `option "${ambiguous[1] ?? ''}" needs a value (one starting with "-" is written ${ambiguous[1] ?? ''}=-…)`;
  return message.split('. ')[0] ?? message;
}

export function formatCommandHelp(command: CommandSpec): string {
  const width = Math.max(...command.optionHelp.map(([flag]) => flag.length));
  const lines = command.optionHelp.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`);
  return `${command.summary}\n\nUsage: ${command.usage}\n\nOptions:\n${lines.join('\n')}\n`;
}

export function formatMainHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const commands = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  const flagWidth = Math.max(...MAIN_HELP_OPTIONS.map(([flag]) => flag.length));
  const flags = MAIN_HELP_OPTIONS.map(([flag, text]) => `  ${flag.padEnd(flagWidth)}  ${text}`).join('\n');
  return `mesh-tui ${version} — troubleshoot Solo Istio ambient multicluster across every kubeconfig context

Usage: mesh-tui [options]                        the live console: every context on one screen
       mesh-tui --demo [NAME] [options]          the console on simulated clusters (no cluster needed)
       mesh-tui --once [options]                 one report of every context, then exit
       mesh-tui --demo [NAME] --once [options]   the same against simulated clusters
       mesh-tui <command> [options]

Commands:
${commands}

Options:
${flags}

Exit codes: 0 all passed, 1 something failed, 2 usage or kubeconfig error,
3 nothing failed but something could not be evaluated.

Not a terminal (piped, cron): the console prints one report, as --once.

Try it without a cluster:
  mesh-tui --demo
  mesh-tui --demo network-mismatch --once
  mesh-tui scenarios
  mesh-tui sim --scenario healthy --kubeconfig-out /tmp/mesh-sim.kubeconfig
  kubectl --kubeconfig /tmp/mesh-sim.kubeconfig --context cluster-west get gateways.gateway.networking.k8s.io -A

Run \`mesh-tui <command> --help\` for a command's options.
`;
}
