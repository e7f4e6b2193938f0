// Ctrl-C (SIGINT), SIGTERM and a dropped SSH session (SIGHUP) end a one-shot command with the
// shell's usual codes — but through process.exit, so the `exit` handlers run: Node's default for
// these signals ends the process without them, which would leave exec plugins running
// (kube/pluginProcessGroups.ts) and a demo's temporary kubeconfig, with its tokens, on disk.
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;

export const HANDLED_SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as HandledSignal[];

let installed = false;

export function exitOnSignals(): void {
  if (installed) return;
  installed = true;
  for (const signal of HANDLED_SIGNALS) process.on(signal, () => process.exit(SIGNAL_EXIT_CODES[signal]));
}
