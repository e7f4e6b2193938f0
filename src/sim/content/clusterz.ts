// istiod's /debug/clusterz, which `istioctl remote-clusters` prints as NAME SECRET STATUS.
// Go's []cluster.DebugInfo: {id, secretName, syncStatus}, no omitempty — the config (local)
// cluster comes first with an empty secretName. Status values istiod uses: synced, syncing,
// timeout, closed. Peering (Solo) does not use remote secrets, so a peered mesh normally shows
// only the local cluster here.
import type { JsonValue } from '../api/types.ts';

export interface ClusterzEntry {
  clusterId: string;
  /** `<namespace>/<secret name>` of the remote secret; '' for the local (config) cluster. */
  secretName: string;
  syncStatus: string;
}

export function buildClusterz(entries: ClusterzEntry[]): JsonValue {
  return entries.map((entry) => ({ id: entry.clusterId, secretName: entry.secretName, syncStatus: entry.syncStatus }));
}
