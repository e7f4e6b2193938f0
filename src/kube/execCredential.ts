// Runs a context's exec credential plugin and caches what it returns. client-node's ExecAuth
// (reference/client-node.md §2.4) has no timeout, no single-flight (20 parallel requests spawn
// the plugin 20 times), caches credentials until the exact expiry (or forever) and ignores 401s,
// and reports failures as a bare stderr string. This provider fixes each of those for one context:
// a timeout (default 20 s, capped by a one-shot command's deadline) that kills the plugin's whole
// process group — also when mesh-tui itself exits (pluginProcessGroups.ts) —, one run in flight at a time
// shared by every waiting request, expiry honoured with a skew margin, invalidation on 401, and
// typed errors that carry the plugin's stderr — which is captured, never written to the terminal.
// The one exception is a login the user must answer (interactiveMode), run on the terminal the
// console lends for it with its screen suspended (loginOnTerminal below).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { ExecConfig } from './kubeconfigFile.ts';
import { ExecPluginError, boundStderr, stderrSuffix } from './execPluginError.ts';
import { killGroup, trackProcessGroup } from './pluginProcessGroups.ts';
import { terminalAvailable, withTerminal } from './interactiveTerminal.ts';

export interface ExecCredential {
  token: string | undefined;
  clientCertificateData: string | undefined;
  clientKeyData: string | undefined;
  /** Epoch milliseconds; undefined means the plugin gave no expiry. */
  expiresAt: number | undefined;
}

/** What `provideClusterInfo: true` passes to the plugin in KUBERNETES_EXEC_INFO. */
export interface ExecClusterInfo {
  server: string;
  'certificate-authority-data'?: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'proxy-url'?: string;
}

export interface ExecCredentialProviderOptions {
  context: string;
  exec: ExecConfig;
  cluster?: ExecClusterInfo;
  /** Default 20 s. */
  timeoutMs?: number;
  /**
   * Epoch ms by which every run must have ended, whatever timeoutMs says: a one-shot command's
   * --timeout. A plugin still running then is killed; after it, none is started.
   */
  deadline?: number;
  /** Refresh this long before expirationTimestamp. Default 30 s (at most half the lifetime). */
  expirySkewMs?: number;
  /** Aborting it kills a running plugin: the context was dropped. */
  signal?: AbortSignal;
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
/** An interactive login: time to read a prompt, find a password, confirm a device code. */
const INTERACTIVE_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_SKEW_MS = 30_000;
const DEFAULT_API_VERSION = 'client.authentication.k8s.io/v1beta1';
const STDOUT_LIMIT = 1 << 20;

export class ExecCredentialProvider {
  readonly #options: ExecCredentialProviderOptions;
  readonly #now: () => number;
  #cached: { credential: ExecCredential; refreshAt: number } | undefined;
  #inFlight: Promise<ExecCredential> | undefined;
  /** The last run timed out: past the deadline, that is still the reason, not "not run". */
  #timedOut: ExecPluginError | undefined;

  constructor(options: ExecCredentialProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** A valid credential: the cached one, the run already in flight, or a fresh run. */
  get(): Promise<ExecCredential> {
    if (this.#cached && this.#now() < this.#cached.refreshAt) return Promise.resolve(this.#cached.credential);
    if (this.#inFlight) return this.#inFlight;
    const { deadline } = this.#options;
    if (this.#timedOut && deadline !== undefined && this.#now() >= deadline) return Promise.reject(this.#timedOut);
    const run = runExecPlugin(this.#options).then(
      (credential) => {
        this.#timedOut = undefined;
        this.#cached = { credential, refreshAt: this.#refreshTime(credential) };
        return credential;
      },
      (error: unknown) => {
        this.#timedOut = error instanceof ExecPluginError && error.kind === 'timeout' ? error : undefined;
        throw error;
      },
    );
    this.#inFlight = run;
    // Failures are not cached: the next request runs the plugin again (callers back off).
    const clear = (): void => {
      if (this.#inFlight === run) this.#inFlight = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  /**
   * The server answered 401. Drop the cached credential so the next request runs the plugin,
   * unless the 401 was for an older token and a fresh one is already cached.
   */
  invalidate(rejectedToken?: string): void {
    if (!this.#cached) return;
    if (rejectedToken !== undefined && this.#cached.credential.token !== undefined && this.#cached.credential.token !== rejectedToken)
      return;
    this.#cached = undefined;
  }

  #refreshTime(credential: ExecCredential): number {
    if (credential.expiresAt === undefined) return Number.POSITIVE_INFINITY;
    const lifetime = credential.expiresAt - this.#now();
    // A short-lived credential would otherwise be refreshed on every request.
    const skew = Math.min(this.#options.expirySkewMs ?? DEFAULT_SKEW_MS, Math.max(0, lifetime / 2));
    return credential.expiresAt - skew;
  }
}

/** The name shown in messages: what the kubeconfig says, shortened when it is a path. */
function pluginName(command: string): string {
  return command.includes(path.sep) ? path.basename(command) : command;
}

/** `0.4s`, `2.8s`, `20s`: how the report and the status word durations. */
function secondsText(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/**
 * Runs the plugin once. With a terminal to borrow (the console lends its own, see
 * interactiveTerminal.ts), `interactiveMode: Always` runs on it, and `IfAvailable` runs on it
 * when the quiet run failed (the plugin wanted to ask something). Without one, `Always` is
 * refused and every run is quiet: stdin closed, stderr captured, never printed over a screen.
 */
export function runExecPlugin(options: ExecCredentialProviderOptions): Promise<ExecCredential> {
  const mode = options.exec.interactiveMode;
  if (mode === 'Always' && terminalAvailable()) return withTerminal(() => spawnPlugin(options, true));
  const quiet = spawnPlugin(options, false);
  if (mode !== 'IfAvailable') return quiet;
  return quiet.catch((error: unknown) => {
    const retry = error instanceof ExecPluginError && (error.kind === 'failed' || error.kind === 'timeout') && terminalAvailable();
    if (!retry || options.signal?.aborted === true) throw error;
    return withTerminal(() => spawnPlugin(options, true));
  });
}

function spawnPlugin(options: ExecCredentialProviderOptions, interactive: boolean): Promise<ExecCredential> {
  const { exec, context } = options;
  const name = pluginName(exec.command);
  const apiVersion = exec.apiVersion ?? DEFAULT_API_VERSION;
  const left = options.deadline !== undefined ? options.deadline - (options.now ?? Date.now)() : Number.POSITIVE_INFINITY;
  // A person logging in takes longer than a plugin fetching a token.
  const timeoutMs = Math.min(interactive ? INTERACTIVE_TIMEOUT_MS : (options.timeoutMs ?? DEFAULT_TIMEOUT_MS), left);
  if (timeoutMs <= 0) {
    return Promise.reject(
      new ExecPluginError('timeout', `exec plugin "${name}" was not run: no time was left before the deadline (context ${context})`, {
        command: exec.command,
        context,
      }),
    );
  }
  if (exec.interactiveMode === 'Always' && !interactive) {
    return Promise.reject(
      new ExecPluginError(
        'interactive',
        `exec plugin "${name}" needs an interactive terminal (interactiveMode: Always); log in once ` +
          `with "kubectl get ns --context ${context}" in a shell (context ${context})`,
        { command: exec.command, context },
      ),
    );
  }
  const execInfo = {
    apiVersion,
    kind: 'ExecCredential',
    spec: { interactive, ...(exec.provideClusterInfo && options.cluster ? { cluster: options.cluster } : {}) },
  };
  const env: Record<string, string | undefined> = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(execInfo) };
  for (const { name: key, value } of exec.env) env[key] = value;
  if (interactive) {
    return new Promise<ExecCredential>((resolve) => resolve(loginOnTerminal(exec, env, { name, context, apiVersion, timeoutMs })));
  }

  return new Promise<ExecCredential>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    // Its own process group, so a timeout kills the plugin's children too (aws → python, sh → sleep)
    // and their open pipes cannot keep us waiting.
    const child = spawn(exec.command, exec.args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const forget = child.pid !== undefined ? trackProcessGroup(child.pid) : (): void => undefined;
    const killPlugin = (): void => {
      if (child.pid !== undefined) killGroup(child.pid);
      forget();
    };
    const finish = (outcome: { credential: ExecCredential } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if ('error' in outcome) {
        killPlugin();
        child.stdout.destroy();
        child.stderr.destroy();
        reject(outcome.error);
      } else {
        resolve(outcome.credential);
      }
    };
    const onAbort = (): void => {
      const reason: unknown = options.signal?.reason;
      finish({ error: reason instanceof Error ? reason : new DOMException('exec plugin run cancelled', 'AbortError') });
    };
    const timer = setTimeout(() => {
      const captured = boundStderr(stderr);
      finish({
        error: new ExecPluginError(
          'timeout',
          `exec plugin "${name}" did not answer within ${secondsText(timeoutMs)} (context ${context})${stderrSuffix(captured)}`,
          { command: exec.command, context, stderr: captured },
        ),
      });
    }, timeoutMs);
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.length > STDOUT_LIMIT) {
        finish({
          error: new ExecPluginError('badOutput', `exec plugin "${name}" printed more than 1 MiB (context ${context})`, {
            command: exec.command,
            context,
          }),
        });
      }
    });
    child.stderr.on('data', (chunk: string) => {
      // Keep the tail only: the reason is usually last, and a chatty plugin must not grow memory.
      stderr = (stderr + chunk).slice(-8192);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        const where = exec.command.includes(path.sep) ? `at ${exec.command}` : 'on PATH';
        const hint = exec.installHint ? `; ${exec.installHint.replace(/\s+/g, ' ').trim()}` : '';
        finish({
          error: new ExecPluginError('notFound', `exec plugin "${name}" not found ${where} (context ${context})${hint}`, {
            command: exec.command,
            context,
          }),
        });
      } else {
        finish({
          error: new ExecPluginError(
            error.code === 'EACCES' ? 'notExecutable' : 'failed',
            `exec plugin "${name}" could not be started: ${error.code ?? error.message} (context ${context})`,
            { command: exec.command, context },
          ),
        });
      }
    });
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      // The leader is gone; children it left in the group are its own business from here on.
      forget();
      const captured = boundStderr(stderr);
      if (code !== 0) {
        const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `failed with exit code ${code}`;
        finish({
          error: new ExecPluginError('failed', `exec plugin "${name}" ${how} (context ${context})${stderrSuffix(captured)}`, {
            command: exec.command,
            context,
            stderr: captured,
            ...(code !== null && { exitCode: code }),
          }),
        });
        return;
      }
      try {
        finish({ credential: parseExecCredential(stdout, apiVersion, exec.apiVersion !== undefined) });
      } catch (problem) {
        finish({
          error: new ExecPluginError(
            'badOutput',
            `exec plugin "${name}" returned an invalid ExecCredential (context ${context}): ${(problem as Error).message}`,
            { command: exec.command, context, stderr: captured, exitCode: 0 },
          ),
        });
      }
    });
  });
}

/**
 * An interactive login on the terminal the console lent (its screen suspended): the plugin's
 * prompts on the user's terminal (stdin, stderr inherited), its stdout ours (the credential).
 * Synchronous on purpose: while Node's event loop runs it keeps reading the terminal, and would
 * take the user's typed answer from the plugin; blocked, it reads nothing until the login ended.
 * The feeds stand still meanwhile, which costs nothing the user can see: the screen is away.
 * In the foreground process group (not detached): a group of its own could not read the terminal.
 */
function loginOnTerminal(
  exec: ExecConfig,
  env: Record<string, string | undefined>,
  run: { name: string; context: string; apiVersion: string; timeoutMs: number },
): ExecCredential {
  const { name, context } = run;
  const detail = { command: exec.command, context };
  const result = spawnSync(exec.command, exec.args, {
    env,
    stdio: ['inherit', 'pipe', 'inherit'],
    timeout: run.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: STDOUT_LIMIT,
    encoding: 'utf8',
  });
  const failure: NodeJS.ErrnoException | undefined = result.error;
  const code = failure?.code;
  if (code === 'ENOENT') throw new ExecPluginError('notFound', `exec plugin "${name}" not found (context ${context})`, detail);
  if (code === 'ETIMEDOUT') {
    throw new ExecPluginError(
      'timeout',
      `exec plugin "${name}": the login did not end within ${secondsText(run.timeoutMs)} (context ${context})`,
      detail,
    );
  }
  if (result.error !== undefined) {
    throw new ExecPluginError(
      'failed',
      `exec plugin "${name}" could not run: ${code ?? result.error.message} (context ${context})`,
      detail,
    );
  }
  if (result.status !== 0) {
    const how = result.status === null ? `was killed by ${result.signal ?? 'a signal'}` : `failed with exit code ${result.status}`;
    throw new ExecPluginError('failed', `exec plugin "${name}" ${how} after the login (context ${context})`, {
      ...detail,
      ...(result.status !== null && { exitCode: result.status }),
    });
  }
  try {
    return parseExecCredential(result.stdout, run.apiVersion, exec.apiVersion !== undefined);
  } catch (problem) {
    throw new ExecPluginError(
      'badOutput',
      `exec plugin "${name}" returned an invalid ExecCredential (context ${context}): ${(problem as Error).message}`,
      { ...detail, exitCode: 0 },
    );
  }
}

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

// Problems are described without quoting stdout: it is where the token would be.
function parseExecCredential(stdout: string, apiVersion: string, checkVersion: boolean): ExecCredential {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error(stdout.trim() === '' ? 'it printed nothing on stdout' : `stdout is not JSON (${stdout.length} bytes)`);
  }
  if (!isFields(parsed) || parsed.kind !== 'ExecCredential') throw new Error('stdout is not an ExecCredential object');
  if (checkVersion && parsed.apiVersion !== apiVersion) {
    throw new Error(`configured for apiVersion ${apiVersion}, plugin returned ${String(parsed.apiVersion)}`);
  }
  const status = parsed.status;
  if (!isFields(status)) throw new Error('no status');
  const token = optionalText(status.token);
  const clientCertificateData = optionalText(status.clientCertificateData);
  const clientKeyData = optionalText(status.clientKeyData);
  if ((clientCertificateData === undefined) !== (clientKeyData === undefined)) {
    throw new Error('status has only one of clientCertificateData and clientKeyData');
  }
  if (token === undefined && clientCertificateData === undefined) {
    throw new Error('status has neither token nor clientCertificateData');
  }
  let expiresAt: number | undefined;
  if (status.expirationTimestamp !== undefined && status.expirationTimestamp !== null) {
    expiresAt = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : Number.NaN;
    if (Number.isNaN(expiresAt)) throw new Error('status.expirationTimestamp is not an RFC 3339 time');
  }
  return { token, clientCertificateData, clientKeyData, expiresAt };
}
