// A clock for ages that moves in coarse steps (k9s refreshes its ages every couple of seconds):
// a pane rebuilds its table once per step instead of once per second, and incremental rendering
// rewrites only the AGE cells that changed. Tests pass `clock: { tickMs: 0 }` in the services,
// and then it never ticks, so a frame never changes under an assertion.
import React from 'react';
import { AGE_CADENCE_MS, ageClock } from '../src/console/rows/age.ts';
import { useServices } from './useServices.ts';

/** `now` in ms, rounded down to the step; re-renders the caller once per step. */
export function useCoarseNow(stepMs: number = AGE_CADENCE_MS): number {
  const { clock } = useServices();
  const tickMs = clock ? clock.tickMs : stepMs;
  const read = React.useCallback((): number => {
    const ms = clock ? clock.nowMs() : Date.now();
    return tickMs > 0 ? Math.floor(ms / tickMs) * tickMs : ageClock(ms);
  }, [clock, tickMs]);
  const [now, setNow] = React.useState(read);
  React.useEffect(() => {
    if (tickMs <= 0) return undefined;
    const timer = setInterval(() => setNow(read()), tickMs);
    // The terminal keeps the process alive, not this timer.
    timer.unref();
    return () => clearInterval(timer);
  }, [read, tickMs]);
  return now;
}
