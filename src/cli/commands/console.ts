// `mesh-tui` and `mesh-tui --demo [NAME]`: the live console. Every selected context is watched
// at once (LiveMesh without `snapshot`), the checks follow the store (findingsFeed.ts), and Ink
// draws it in the alternate screen until the user quits, a signal arrives or something crashes;
// on each of those the terminal is restored first (terminalSession.ts), then the feeds and the
// demo are stopped. Not a terminal (piped, cron): one report, exactly as `--once`.
import React from 'react';
import { startDemo, type DemoRun } from './demo.ts';
import { stopWithinGrace } from '../deadline.ts';
import { EXIT, UsageError, type ExitCode } from '../exitCodes.ts';
import { parseDuration } from '../args.ts';
import { selectKubeconfig, str, type OptionValues } from '../kubeconfigSelection.ts';
import { warn } from '../heldOutput.ts';
import { setTerminalLender } from '../../kube/interactiveTerminal.ts';
import { HANDLED_SIGNALS, SIGNAL_EXIT_CODES, exitOnSignals, type HandledSignal } from '../signals.ts';
import type { TerminalSession } from '../terminalSession.ts';
import type { LiveMesh } from '../../feeds/liveMesh.ts';
import type { FindingsFeed } from '../../console/findingsFeed.ts';
import type { ConsoleActions } from '../../console/actionFlow.ts';

const h = React.createElement;

/** The console's own scenario: three clusters that start healthy and break in front of the user. */
export const CONSOLE_DEMO_SCENARIO = 'live-demo';
const DEFAULT_ISTIO_NAMESPACE = 'istio-system';
/** Over SSH every byte crosses the link: fewer frames a second, each one a diff. */
const SSH_MAX_FPS = 10;
const LOCAL_MAX_FPS = 15;

export const NOT_A_TERMINAL_HINT = 'mesh-tui: not a terminal; printing one report (as --once)';

export async function runConsole(values: OptionValues, positionals: string[]): Promise<ExitCode> {
  const maxFps = maxFpsOption(values, process.env);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(`${NOT_A_TERMINAL_HINT}\n`);
    exitOnSignals();
    return (await import('./once.ts')).runOnce(values, positionals);
  }
  for (const flag of ['output', 'timeout'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} is for the one-shot report; add --once`);
  }
  const sinceText = str(values.since);
  const sinceSeconds = sinceText !== undefined ? parseDuration('since', sinceText) : undefined;
  const precheck = values.precheck === true;
  const readOnly = values['read-only'] === true;
  const istioNamespace = str(values['istio-namespace']) ?? DEFAULT_ISTIO_NAMESPACE;
  const demo = values.demo === true;
  if (demo && str(values.kubeconfig) !== undefined) throw new UsageError('--demo writes its own kubeconfig; leave out --kubeconfig');

  const [{ LiveMesh }, { createFindingsFeed }, { createUiStore }, { openTerminalSession, exitCodeOf }, { fetchObjectEvents }, { App }] =
    await Promise.all([
      import('../../feeds/liveMesh.ts'),
      import('../../console/findingsFeed.ts'),
      import('../../console/uiStore.ts'),
      import('../terminalSession.ts'),
      import('../objectEvents.ts'),
      import('../consoleApp.ts'),
    ]);

  // Until the screen is up, a signal simply ends the process (the `exit` handlers remove the
  // demo's kubeconfig, with its tokens); from then on the terminal session handles signals, so
  // the terminal is restored first.
  const exitBeforeScreen = (signal: HandledSignal): void => process.exit(SIGNAL_EXIT_CODES[signal]);
  for (const signal of HANDLED_SIGNALS) process.on(signal, exitBeforeScreen);
  const screenUp = (): void => {
    for (const signal of HANDLED_SIGNALS) process.off(signal, exitBeforeScreen);
  };
  const demoScenario = demo ? (positionals[0] ?? CONSOLE_DEMO_SCENARIO) : null;
  let demoRun: DemoRun | undefined;
  if (demoScenario !== null) {
    demoRun = await startDemo(demoScenario);
  }
  try {
    const kubeconfig = selectKubeconfig(demoRun !== undefined ? { ...values, kubeconfig: demoRun.kubeconfigPath } : values);
    for (const skipped of kubeconfig.skippedFiles) warn(`mesh-tui: KUBECONFIG entry ${skipped} does not exist; skipped`);
    const mesh = new LiveMesh({
      kubeconfig,
      istioNamespace,
      ...(sinceSeconds !== undefined ? { logs: { follower: { sinceSeconds } } } : {}),
    });
    const findings = createFindingsFeed({ mesh: mesh.store, istioNamespace, precheck, refreshFacts: () => mesh.refreshForRerun() });
    let quit: () => void = () => undefined;
    // Guided actions (`x`, and `r` showing what changed): none at all with --read-only, so neither keys nor hints can reach them.
    const actions = readOnly ? undefined : await consoleActions(mesh, findings, istioNamespace);
    const services = {
      mesh: mesh.store.api,
      findings: findings.store,
      ui: createUiStore(),
      options: {
        readOnly,
        istioNamespace,
        precheck,
        invalidContexts: kubeconfig.invalidContexts.map((e) => ({ context: e.context ?? e.entry?.name ?? '<unnamed>', reason: e.message })),
        source: demoScenario !== null ? `demo: ${demoScenario}` : kubeconfig.files.join(':'),
      },
      rerunChecks: () => (actions?.rerunChecks !== undefined ? actions.rerunChecks() : void findings.rerun()),
      quit: () => quit(),
      fetchEvents: async (ref: { context: string; kind: string; namespace?: string; name: string }) => {
        const client = mesh.feeds.client(ref.context as Parameters<typeof mesh.feeds.client>[0]);
        if (client === undefined) throw new Error(`context ${ref.context} is not loaded`);
        return fetchObjectEvents(client, ref);
      },
      ...(actions !== undefined ? { actions } : {}),
    };
    mesh.start();
    findings.start();
    screenUp();
    const session = openTerminalSession(h(App, { services }), { maxFps });
    quit = () => session.quit();
    // An exec plugin that must ask the user something (interactiveMode) gets the real terminal
    // while the screen is suspended; any other plugin output stays captured (kube/execCredential.ts).
    setTerminalLender({ lend: (work) => lendTerminal(session, work) });
    const end = await session.ended;
    setTerminalLender(undefined);
    actions?.stop?.();
    findings.stop();
    await stopWithinGrace(mesh.stop());
    if (end.how === 'signal') {
      await demoRun?.stop();
      // The shell's code for the signal; the `exit` handlers still kill exec plugins' groups.
      process.exit(exitCodeOf(end));
    }
    return end.how === 'quit' ? EXIT.ok : EXIT.failed;
  } finally {
    screenUp();
    await demoRun?.stop();
  }
}

/** The console's guided actions, writing through the feeds' own clients and to the audit log. */
async function consoleActions(mesh: LiveMesh, findings: FindingsFeed, istioNamespace: string): Promise<ConsoleActions> {
  const [{ createConsoleActions }, { fileAuditLog }, { contextId }] = await Promise.all([
    import('../../actions/consoleActions.ts'),
    import('../../actions/auditLog.ts'),
    import('../../store/types.ts'),
  ]);
  return createConsoleActions({
    mesh: mesh.store.api,
    findings: findings.store,
    istioNamespace,
    env: { clientFor: (c) => mesh.feeds.client(contextId(c)), audit: fileAuditLog() },
    rerun: () => findings.rerun(),
  });
}

/** Runs `work` (an exec plugin's login) on the real terminal, the console suspended meanwhile. */
async function lendTerminal<T>(session: TerminalSession, work: () => Promise<T>): Promise<T> {
  let outcome: { value: T } | { error: unknown } | undefined;
  await session.suspend(async () => {
    process.stderr.write('mesh-tui: an exec credential plugin needs you to log in; the console comes back after it\n');
    try {
      outcome = { value: await work() };
    } catch (error) {
      outcome = { error };
    }
  });
  if (outcome === undefined) throw new Error('the console ended before the login ran');
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

/** `--max-fps N` (1–60); by default 10 when the session came in over SSH, else 15. */
export function maxFpsOption(values: OptionValues, env: NodeJS.ProcessEnv): number {
  const text = str(values['max-fps']);
  if (text === undefined) return env.SSH_CONNECTION !== undefined || env.SSH_TTY !== undefined ? SSH_MAX_FPS : LOCAL_MAX_FPS;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 60) throw new UsageError(`--max-fps must be a whole number from 1 to 60 (got "${text}")`);
  return n;
}
