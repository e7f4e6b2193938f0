// What profiling found behind each budget the bench misses, and the next lever, printed in
// BENCHMARKS.md beside the MISSED figure. Measured on the 2-core machine with the scale
// scenario (benchScenario.ts): CPU profiles (--cpu-prof), heap snapshots, /proc smaps and
// process.memoryUsage() of the console at steady state. Rewrite an entry when a lever lands.
export const MISS_CAUSES = {
  firstFrame:
    'CPU, not waiting: a context turns ready when every watch has listed once, and the first lists of ~1,000 pods per context ' +
    '(about 3 MB of JSON each) are parsed, cut to what the store keeps and checked on 2 cores shared with the simulator ' +
    '(its CPU is a row of its own); loading the 10 MB bundle takes 0.45 s of it. Next: a streaming list decoder that builds only ' +
    'the kept fields, the compile cache for the bundle, and badges that turn ready per watch.',
  steadyRss:
    'At 20 contexts: live JS heap 120 MB (about 1,000 pods and 200 WorkloadEntries per context, already cut by podProjection.ts: ' +
    '−45 MB), V8 heap committed 180 MB, the node binary 55 MB resident, and about 150 MB of malloc heap and buffers left from ' +
    'the first lists (138 MB of them in flight at once). Levers used: 8 MB semi-spaces (−140 MB), a fixed glibc mmap threshold ' +
    '(−35 MB). V8 --optimize-for-size reaches 297 MB but quadruples CPU under the churn and misses the key budget, so it is off. ' +
    'Next: a limit on list bodies in flight across contexts, the streaming decoder, strings shared across contexts.',
  onceWall:
    'CPU-bound, not latency-bound: without the latency the same run takes 3.3 s. The process spends about 3.3 s of CPU ' +
    '(JSON.parse 0.4 s, GC 0.4 s, module loading 0.45 s, store ingest and the checks the rest) while the simulator takes ' +
    '1.2–1.7 s of the other core. Next: the streaming list decoder and the compile cache for the bundle.',
} as const;
