// Reading a slice of one of the console's stores. Each hook is zustand's useStore(api, selector):
// the component re-renders only when the selector's result changes by Object.is, so selectors
// must return stable references (src/store/selectors.ts, the memoized models in src/console/rows/)
// or primitives — a selector that builds a new object every call would redraw on every commit.
import { useStore } from 'zustand';
import type { MeshState } from '../src/store/types.ts';
import type { FindingsState } from '../src/console/services.ts';
import type { UiState } from '../src/console/uiStore.ts';
import { useServices } from './useServices.ts';

export function useMesh<T>(selector: (state: MeshState) => T): T {
  return useStore(useServices().mesh, selector);
}

export function useFindings<T>(selector: (state: FindingsState) => T): T {
  return useStore(useServices().findings, selector);
}

export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useServices().ui, selector);
}
