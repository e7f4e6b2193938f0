// A pod's status.qosClass as the apiserver computes it (pkg/apis/core/helper/qos): BestEffort
// when no container sets a cpu or memory request or limit, Guaranteed when every container
// sets both limits and its requests equal them, Burstable otherwise.
type Resources = { requests?: Record<string, unknown>; limits?: Record<string, unknown> };

export function qosClass(spec: unknown): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const podSpec = (typeof spec === 'object' && spec !== null ? spec : {}) as { containers?: unknown; initContainers?: unknown };
  const containers = [podSpec.containers, podSpec.initContainers]
    .flatMap((list) => (Array.isArray(list) ? (list as unknown[]) : []))
    .map((c) => (typeof c === 'object' && c !== null ? (c as { resources?: Resources }).resources : undefined) ?? {});
  let any = false;
  let guaranteed = containers.length > 0;
  for (const resources of containers) {
    const requests = resources.requests ?? {};
    const limits = resources.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (requests[r] !== undefined || limits[r] !== undefined) any = true;
      const request = requests[r] ?? limits[r];
      if (limits[r] === undefined || request !== limits[r]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
