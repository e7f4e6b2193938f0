// What the pane on screen shows, as far as keys and the status line care: its rows (keys and
// detail refs), how many fit on a page, and where the selection is. The pane publishes it after
// each render; the one key handler (useKeyCommands) reads it when a key arrives, and the status
// line shows `12/340` from it. A small store of its own, so publishing wakes only the status line.
import React from 'react';
import { createStore, useStore } from 'zustand';
import type { StoreApi } from 'zustand';
import type { ViewRows } from '../src/console/uiStore.ts';

export interface CurrentView {
  view: ViewRows;
  /** Selected row's index, undefined when the view has no rows. */
  index: number | undefined;
}

const NO_VIEW: CurrentView = { view: { id: 'none', rows: [], pageSize: 1 }, index: undefined };

export function createCurrentViewStore(): StoreApi<CurrentView> {
  return createStore<CurrentView>()(() => NO_VIEW);
}

export const CurrentViewContext = React.createContext<StoreApi<CurrentView> | undefined>(undefined);

function useCurrentViewStore(): StoreApi<CurrentView> {
  const store = React.useContext(CurrentViewContext);
  if (store === undefined) throw new Error('useCurrentView: render inside <CurrentViewContext.Provider> (App does)');
  return store;
}

/** A pane announces what it shows; only a real change is published. */
export function usePublishView(view: ViewRows, index: number | undefined): void {
  const store = useCurrentViewStore();
  React.useLayoutEffect(() => {
    const last = store.getState();
    if (last.view.id === view.id && last.view.rows === view.rows && last.view.pageSize === view.pageSize && last.index === index) return;
    store.setState({ view, index }, true);
  }, [store, view, index]);
}

/** `12/340`, or `0/0` with no rows: a string, so the status line redraws only when it reads differently. */
export function useViewPosition(): string {
  return useStore(useCurrentViewStore(), (s) => `${s.index === undefined ? 0 : s.index + 1}/${s.view.rows.length}`);
}

/** For the key handler: the view as it is now, read when a key arrives (no re-render). */
export function useCurrentViewReader(): () => ViewRows {
  const store = useCurrentViewStore();
  return React.useCallback(() => store.getState().view, [store]);
}
