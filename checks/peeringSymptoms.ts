// Why peering is off, as the symptom kind the explanation pass looks up: several checks see the
// same consequence (no peer status, no generated entries, no subscription) of one cause.
import type { PeeringOff } from '../src/mesh/peering.ts';
import type { SymptomOf } from './types.ts';

export function peeringOffSymptom(off: PeeringOff, context: string): SymptomOf {
  return { kind: off.cause === 'env' ? 'peering-env-off' : 'peering-license-off', contexts: [context] };
}
