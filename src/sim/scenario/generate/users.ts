// The users each simulated API server knows: `admin` (may do everything) plus the scenario's
// restricted users. Tokens are derived from the scenario so kubeconfigs are reproducible.
import type { SimUser } from '../model.ts';
import type { UserSpec } from '../spec.ts';
import type { ClusterPlan } from './plan.ts';
import { tokenFor } from './names.ts';

/** `seed` is the scenario name and context, as every generated name of the cluster uses. */
export function usersFor(seed: string, users: UserSpec[]): SimUser[] {
  return [
    { name: 'admin', token: tokenFor(`${seed}/admin`), forbidden: [] },
    ...users.map((u) => ({
      name: u.name,
      token: tokenFor(`${seed}/${u.name}`),
      ...(u.expired ? { expired: true } : {}),
      forbidden: u.forbidden.map((r) => ({ ...r })),
    })),
  ];
}

export function simUsers(cluster: ClusterPlan): SimUser[] {
  return usersFor(cluster.seed, cluster.spec.users);
}
