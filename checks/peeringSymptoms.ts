// Why peering is off, as the symptom kind the explanation pass looks up: several checks see the
// same consequence (no peer status, no generated entries, no subscription) of one cause.
import type { PeeringOff } from '../src/mesh/peering.ts';
import type { SymptomKind } from './explanations.ts';
import type { SymptomOf } from './types.ts';

const KIND_OF: Readonly<Record<PeeringOff['cause'], SymptomKind>> = {
  env: 'peering-env-off',
  license: 'peering-license-off',
  'network-label': 'peering-network-off',
};

export function peeringOffSymptom(off: PeeringOff, context: string): SymptomOf {
  return { kind: KIND_OF[off.cause], contexts: [context] };
}
