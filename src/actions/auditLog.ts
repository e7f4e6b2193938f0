// Every step an action dry-runs, applies or has refused is appended to an audit log, one JSON
// object per line, so the morning after a 3 a.m. fix anyone can read what was changed, where, by
// whom and with what answer. `$XDG_STATE_HOME/mesh-tui/audit.log` (default
// ~/.local/state/mesh-tui/audit.log); the directory is 0700 and the file 0600 because object names
// and user names are nobody else's business. Nothing secret goes in: no tokens, no object bodies.
import { appendFile, chmod, mkdir, open } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ActionId, StepChange, StepOutcome } from './types.ts';

export type AuditPhase = 'permission' | 'dry-run' | 'recheck' | 'apply';

export interface AuditEntry {
  time: string;
  /** The local user running mesh-tui (os.userInfo), not the Kubernetes identity. */
  user: string;
  action: ActionId;
  context: string;
  object: { apiVersion: string; kind: string; namespace?: string; name: string; uid: string };
  change: StepChange;
  phase: AuditPhase;
  result: StepOutcome;
  reason?: string;
  /** HTTP status of the write; absent when none was sent. */
  status?: number;
}

export interface AuditLog {
  readonly path: string;
  append(entry: Omit<AuditEntry, 'time' | 'user'>): Promise<void>;
}

/** `$XDG_STATE_HOME/mesh-tui/audit.log`, or `~/.local/state/mesh-tui/audit.log` when unset or relative. */
export function defaultAuditPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env['XDG_STATE_HOME'];
  // The XDG spec: a relative path in the variable is invalid and must be ignored.
  const base = state !== undefined && state.startsWith('/') ? state : join(homedir(), '.local', 'state');
  return join(base, 'mesh-tui', 'audit.log');
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'unknown';
  }
}

export function fileAuditLog(path: string = defaultAuditPath(), now: () => Date = () => new Date()): AuditLog {
  let prepared: Promise<void> | undefined;
  const prepare = async (): Promise<void> => {
    const dir = join(path, '..');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // An existing file keeps its content; a new one is created 0600 whatever the umask says.
    const handle = await open(path, 'a', 0o600);
    await handle.close();
    await chmod(path, 0o600);
  };
  return {
    path,
    async append(entry) {
      prepared ??= prepare();
      await prepared;
      const line: AuditEntry = { time: now().toISOString(), user: localUser(), ...entry };
      await appendFile(path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    },
  };
}

/** For tests and the console's read-only paths: keeps entries in memory. */
export function memoryAuditLog(): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    path: '(memory)',
    entries,
    append(entry) {
      entries.push({ time: new Date().toISOString(), user: localUser(), ...entry });
      return Promise.resolve();
    },
  };
}
