// Scenario files for benchmarks: N healthy clusters, each peered with its two neighbours in a
// ring (both directions, so every link is two-way), and optionally every request slowed by a
// latency fault. A ring rather than a full mesh keeps the per-cluster object count the same at
// any N, so a figure for 20 contexts measures 20 contexts, not 20² peer gateways.
import { dump } from 'js-yaml';
import { DEFAULT_MAX_STREAMS } from '../../src/feeds/logFeed.ts';

/** The context (and cluster) name of the i-th bench cluster, from 0: `bench-01`. */
export function benchContextName(i: number): string {
  return `bench-${String(i + 1).padStart(2, '0')}`;
}

/** The scenario both bench shapes share: healthy clusters on one shared root, named by benchContextName. */
function healthyClusters(o: {
  name: string;
  summary: string;
  clusters: number;
  nodes: number;
  latencyMs: number;
  peersOf: (i: number) => string[];
  manifestsOf?: (i: number) => object[];
}): Record<string, unknown> {
  return {
    name: o.name,
    summary: o.summary,
    defaults: {
      istioVersion: '1.28.2-solo',
      nodes: o.nodes,
      license: { type: 'enterprise', product: 'gloo-mesh', expiresInDays: 300 },
      globalServices: [{ namespace: 'bookinfo', name: 'reviews', port: 9080, replicas: 2 }],
      ...(o.latencyMs > 0 ? { faults: [{ kind: 'latency', ms: o.latencyMs }] } : {}),
    },
    certificates: 'shared-root',
    clusters: Array.from({ length: o.clusters }, (_, i) => ({
      context: benchContextName(i),
      clusterId: `c${i + 1}`,
      network: `net-${i + 1}`,
      region: `region-${i + 1}`,
      peers: o.peersOf(i),
      ...(o.manifestsOf ? { manifests: o.manifestsOf(i) } : {}),
    })),
    rootCauses: [],
  };
}

export interface BenchScenarioOptions {
  clusters: number;
  /** Every API request of every cluster waits this long first (the simulator's latency fault). */
  latencyMs?: number;
}

export function healthyRingScenario({ clusters, latencyMs = 0 }: BenchScenarioOptions): string {
  const name = benchContextName;
  const peersOf = (i: number): string[] => {
    if (clusters < 2) return [];
    const next = name((i + 1) % clusters);
    const previous = name((i - 1 + clusters) % clusters);
    return next === previous ? [next] : [previous, next];
  };
  return dump(
    healthyClusters({
      name: `healthy-ring-${clusters}`,
      summary: `${clusters} healthy clusters peered in a ring${latencyMs > 0 ? `, ${latencyMs} ms API latency` : ''}.`,
      clusters,
      nodes: 2,
      latencyMs,
      peersOf,
    }),
  );
}

export interface ScaleScenarioOptions {
  clusters: number;
  latencyMs?: number;
  /** A steady churn for the first CHURN_SECONDS: 200 watch events and 100 ztunnel log lines per second in all. */
  churn?: boolean;
}

/** Per context: 499 nodes → 499 ztunnel + 499 istio-cni pods, with istiod and the east-west gateway about 1,000 watched pods. */
const SCALE_NODES = 499;
const WORKLOAD_ENTRIES = 200;
const MAX_PEERS = 20;
const WATCH_EVENTS_PER_SECOND = 200;
const LOG_LINES_PER_SECOND = 100;
/**
 * The console follows DEFAULT_MAX_STREAMS logs per context, istiod's first: the churn's lines
 * go to every ztunnel, at a rate that brings LOG_LINES_PER_SECOND to the followed ones.
 */
const FOLLOWED_ZTUNNELS = DEFAULT_MAX_STREAMS - 1;
/** Long enough for the interactive bench's window and key presses after the first frame. */
export const CHURN_SECONDS = 90;

/**
 * The issue's scale scenario: N healthy clusters, each with about 1,000 watched pods, peered
 * with its min(20, N−1) nearest neighbours in a ring (both ways, so every link is two-way),
 * and 200 WorkloadEntries of its own in the istio namespace, where the console watches them
 * (ordinary ones, not autogenflat: the checks stay green). The churn is a timeline: labels set
 * on those WorkloadEntries (each a MODIFIED event on a watch) and info-level ztunnel access
 * lines (no failure signature), both spread evenly over the clusters and the seconds.
 */
export function scaleScenario({ clusters, latencyMs = 0, churn = false }: ScaleScenarioOptions): string {
  const name = benchContextName;
  const peersOf = (i: number): string[] => {
    const wanted = Math.min(MAX_PEERS, clusters - 1);
    const out = new Set<string>();
    for (let step = 1; out.size < wanted; step += 1) {
      out.add(name((i + step) % clusters));
      if (out.size < wanted) out.add(name((i - step + clusters * step) % clusters));
    }
    return [...out];
  };
  const workloadEntries = (i: number): object[] =>
    Array.from({ length: WORKLOAD_ENTRIES }, (_, n) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'WorkloadEntry',
      metadata: { name: `bench-vm-${n + 1}`, namespace: 'istio-system', labels: { app: 'bench-vm' } },
      spec: { address: `10.${100 + i}.${Math.floor(n / 250)}.${(n % 250) + 1}`, labels: { app: 'bench-vm' }, network: `net-${i + 1}` },
    }));
  const timeline: object[] = [];
  if (churn) {
    const eventsPerCluster = WATCH_EVENTS_PER_SECOND / clusters;
    for (let i = 0; i < clusters; i += 1) {
      const count = Math.round(eventsPerCluster * CHURN_SECONDS);
      for (let k = 0; k < count; k += 1) {
        timeline.push({
          at: Number((1 + (k / count) * CHURN_SECONDS + i / (clusters * eventsPerCluster)).toFixed(3)),
          context: name(i),
          setLabel: {
            kind: 'WorkloadEntry',
            namespace: 'istio-system',
            name: `bench-vm-${(k % WORKLOAD_ENTRIES) + 1}`,
            label: 'bench/tick',
            value: String(k),
          },
        });
      }
      timeline.push({
        at: 1,
        context: name(i),
        logBurst: {
          pods: 'app=ztunnel',
          event: {
            kind: 'text',
            text: '{{timestamp}}\tinfo\taccess\tconnection complete\tsrc.addr=10.0.0.1:41234 dst.addr=10.0.0.2:15008 direction="outbound" bytes_sent=512 bytes_recv=2048',
          },
          lines: Math.max(1, Math.round((LOG_LINES_PER_SECOND / clusters / FOLLOWED_ZTUNNELS) * CHURN_SECONDS)),
          overSeconds: CHURN_SECONDS,
        },
      });
    }
    timeline.sort((a, b) => (a as { at: number }).at - (b as { at: number }).at);
  }
  return dump(
    {
      ...healthyClusters({
        name: `scale-${clusters}`,
        summary: `${clusters} healthy clusters at scale${churn ? ', with churn' : ''}${latencyMs > 0 ? `, ${latencyMs} ms API latency` : ''}.`,
        clusters,
        nodes: SCALE_NODES,
        latencyMs,
        peersOf,
        manifestsOf: workloadEntries,
      }),
      ...(timeline.length > 0 ? { timeline } : {}),
    },
    { lineWidth: -1, noRefs: true },
  );
}
