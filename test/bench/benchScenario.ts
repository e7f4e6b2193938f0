// Scenario files for benchmarks: N healthy clusters, each peered with its two neighbours in a
// ring (both directions, so every link is two-way), and optionally every request slowed by a
// latency fault. A ring rather than a full mesh keeps the per-cluster object count the same at
// any N, so a figure for 20 contexts measures 20 contexts, not 20² peer gateways.
import { dump } from 'js-yaml';

export interface BenchScenarioOptions {
  clusters: number;
  /** Every API request of every cluster waits this long first (the simulator's latency fault). */
  latencyMs?: number;
}

export function healthyRingScenario({ clusters, latencyMs = 0 }: BenchScenarioOptions): string {
  const name = (i: number): string => `bench-${String(i + 1).padStart(2, '0')}`;
  const peersOf = (i: number): string[] => {
    if (clusters < 2) return [];
    const next = name((i + 1) % clusters);
    const previous = name((i - 1 + clusters) % clusters);
    return next === previous ? [next] : [previous, next];
  };
  return dump({
    name: `healthy-ring-${clusters}`,
    summary: `${clusters} healthy clusters peered in a ring${latencyMs > 0 ? `, ${latencyMs} ms API latency` : ''}.`,
    defaults: {
      istioVersion: '1.28.2-solo',
      nodes: 2,
      license: { type: 'enterprise', product: 'gloo-mesh', expiresInDays: 300 },
      globalServices: [{ namespace: 'bookinfo', name: 'reviews', port: 9080, replicas: 2 }],
      ...(latencyMs > 0 ? { faults: [{ kind: 'latency', ms: latencyMs }] } : {}),
    },
    certificates: 'shared-root',
    clusters: Array.from({ length: clusters }, (_, i) => ({
      context: name(i),
      clusterId: `c${i + 1}`,
      network: `net-${i + 1}`,
      region: `region-${i + 1}`,
      peers: peersOf(i),
    })),
    rootCauses: [],
  });
}
