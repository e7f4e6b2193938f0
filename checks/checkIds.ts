// The check ids, in root-cause order: the one place that order is written. A failure explains
// the ones after it: the console's own access first (a forbidden read makes everything after it
// `unknown`), then istiod's configuration, licence, networks, certificates, trust domains, gateways, peers,
// pods, DNS, generated entries, services, xDS, and logs last (they are symptoms of almost
// everything). The registry runs checks in this order, reports list findings in it, and
// docs/report.md points here instead of repeating it.
export const CHECK_IDS = [
  'MC-ACCESS-001',
  'MC-ENV-001',
  'MC-LIC-001',
  'MC-NET-001',
  'MC-CERT-001',
  'MC-CERT-002',
  'MC-TD-001',
  'MC-EW-001',
  'MC-PEER-002',
  'MC-PEER-001',
  'MC-POD-001',
  'MC-DNS-001',
  'MC-WE-001',
  'MC-SVC-001',
  'MC-XDS-001',
  'MC-LOG-001',
] as const;

/** Stable ids; documentation, remediation and scenarios' root causes refer to them. */
export type CheckId = (typeof CHECK_IDS)[number];

const RANK: ReadonlyMap<string, number> = new Map(CHECK_IDS.map((id, index) => [id, index]));

/** Position in root-cause order; an id that is not a check sorts last. */
export function rootCauseRank(id: string): number {
  return RANK.get(id) ?? CHECK_IDS.length;
}

export function isCheckId(value: string): value is CheckId {
  return RANK.has(value);
}
