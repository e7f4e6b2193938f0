// Exit codes are part of the interface: scripts and CI jobs branch on them.
export const EXIT = {
  /** Everything evaluated passed (or the command succeeded). */
  ok: 0,
  /** Something failed. */
  failed: 1,
  /** Usage error, or the kubeconfig could not be used. */
  usage: 2,
  /** Nothing failed, but something could not be evaluated. */
  unknown: 3,
  /** `act`: the user lacks a permission the action needs; nothing was changed. */
  forbidden: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the user caused (bad flag, missing file): printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
