// The store's batching tests crank the same hand-made clock as the watch loop's (one shape:
// store/batcher.ts Timers, kube/clock.ts Clock).
export { ManualClock as ManualTimers } from '../helpers/manualClock.ts';
