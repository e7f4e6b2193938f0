// The guided-action flow's state (src/console/actionFlow.ts) for the overlay and the body: read
// through zustand's useStore like every other slice, from the services' actions when there are
// any (none with --read-only), else from a flow that stays closed.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { CLOSED_FLOW, type ActionFlowState } from '../src/console/actionFlow.ts';
import { useServices } from './useServices.ts';

const NEVER_OPEN = createStore<ActionFlowState>()(() => CLOSED_FLOW);

export function useActionFlow<T>(selector: (state: ActionFlowState) => T): T {
  return useStore(useServices().actions?.flow ?? NEVER_OPEN, selector);
}
