// `--timeout S` is a promise to the script or runbook that runs a one-shot command: the report is
// printed and the process has gone within S seconds (plus a second for the checks, the rendering
// and the teardown). Counted from the moment the process started, as the caller counts it, and
// split into what each stage may spend.
import { performance } from 'node:perf_hooks';

/** The most stopping the feeds may take before the report is printed regardless. */
const STOP_GRACE_MS = 300;

export interface OneShotDeadline {
  /** Epoch ms: whatever has not settled then is reported as it stands. */
  settleBy: number;
  /**
   * Epoch ms: an exec plugin still running then is killed, so the context is reported as "did
   * not answer within …" rather than "still connecting"; the margin lets that failure reach the
   * snapshot taken at settleBy.
   */
  pluginsBy: number;
}

export function oneShotDeadline(timeoutSeconds: number, startedAt: number = performance.timeOrigin): OneShotDeadline {
  const timeoutMs = timeoutSeconds * 1000;
  const settleBy = startedAt + timeoutMs;
  return { settleBy, pluginsBy: settleBy - Math.min(500, timeoutMs / 10) };
}

/**
 * Waits for `stop` (closing every context) at most STOP_GRACE_MS: closing only cancels and
 * destroys, so it is quick, and if it is not the report is still owed. Whatever is left is
 * ended with the process (see main.ts).
 */
export async function stopWithinGrace(stop: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)));
  try {
    await Promise.race([stop.catch(() => undefined), grace]);
  } finally {
    clearTimeout(timer);
  }
}
