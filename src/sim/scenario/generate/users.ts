// The users each simulated API server knows: `admin` (may do everything) plus the scenario's
// restricted users. Tokens are derived from the scenario so kubeconfigs are reproducible.
import type { SimUser } from '../model.ts';
import type { ClusterPlan } from './plan.ts';
import { tokenFor } from './names.ts';

export function simUsers(cluster: ClusterPlan): SimUser[] {
  return [
    { name: 'admin', token: tokenFor(`${cluster.seed}/admin`), forbidden: [] },
    ...cluster.spec.users.map((u) => ({
      name: u.name,
      token: tokenFor(`${cluster.seed}/${u.name}`),
      ...(u.expired ? { expired: true } : {}),
      forbidden: u.forbidden.map((r) => ({ ...r })),
    })),
  ];
}
