// What went wrong running an exec credential plugin (aws, gke-gcloud-auth-plugin, kubelogin…).
// Kept apart from the runner so error classification can import it without child_process.
// The message names the plugin and the context and carries the plugin's own stderr (trimmed and
// bounded), never the plugin's environment or its stdout, which would hold the credential.

export type ExecPluginErrorKind =
  | 'notFound' // the binary is not on PATH (or not at the path given)
  | 'notExecutable'
  | 'timeout'
  | 'failed' // non-zero exit
  | 'badOutput' // stdout is not a usable ExecCredential
  | 'interactive'; // the plugin insists on a terminal we do not give it

export class ExecPluginError extends Error {
  override readonly name = 'ExecPluginError';
  readonly kind: ExecPluginErrorKind;
  readonly command: string;
  readonly context: string;
  /** The plugin's stderr, trimmed and bounded; '' when it printed nothing. */
  readonly stderr: string;
  readonly exitCode: number | undefined;

  constructor(
    kind: ExecPluginErrorKind,
    message: string,
    details: { command: string; context: string; stderr?: string; exitCode?: number },
  ) {
    super(message);
    this.kind = kind;
    this.command = details.command;
    this.context = details.context;
    this.stderr = details.stderr ?? '';
    this.exitCode = details.exitCode;
  }
}

/** The longest stderr we keep on an error: enough for a real message, not a whole trace. */
export const STDERR_LIMIT = 2000;

/** Trim, and keep the end of a long stderr: plugins print the reason last. */
export function boundStderr(stderr: string): string {
  const trimmed = stderr.trim();
  return trimmed.length <= STDERR_LIMIT ? trimmed : '…' + trimmed.slice(trimmed.length - STDERR_LIMIT + 1);
}

/** stderr flattened to one line, for the one-line message. */
export function stderrSuffix(stderr: string): string {
  const line = stderr.replace(/\s+/g, ' ').trim();
  if (line === '') return '';
  return ': ' + (line.length > 300 ? line.slice(0, 299) + '…' : line);
}
