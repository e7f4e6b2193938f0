// What every pane does with its table: narrow it by the pane's filter and the `:ctx` context,
// find the selected row by key (the nearest row when it vanished), tell the key handler and the
// status line what is on screen, and draw the windowed Table. A pane component only builds its
// TableModel from its own slice of the store and hands it here.
import React from 'react';
import type { ReactElement } from 'react';
import { filterTable } from '../../src/console/filter.ts';
import type { TableModel } from '../../src/console/types.ts';
import { activeFilter, resolveSelection } from '../../src/console/uiStore.ts';
import type { ViewRows } from '../../src/console/uiStore.ts';
import { usePublishView } from '../../hooks/useCurrentView.ts';
import { useUi } from '../../hooks/useSlices.ts';
import { Table } from '../components/Table.ts';

const h = React.createElement;

export interface TablePaneProps {
  /** The view's id in the ui store (selection and filter are kept per view). */
  viewId: string;
  model: TableModel;
  width: number;
  height: number;
}

export function TablePane({ viewId, model, width, height }: TablePaneProps): ReactElement {
  const filter = useUi((s) => activeFilter(s, viewId));
  const context = useUi((s) => s.context);
  const selection = useUi((s) => s.selection[viewId]);
  const shown = React.useMemo(() => filterTable(model, filter, context), [model, filter, context]);
  const selected = resolveSelection(selection, shown.rows);
  // A page is the table's body: its height less the header line.
  const pageSize = Math.max(1, height - 1);
  const view = React.useMemo((): ViewRows => ({ id: viewId, rows: shown.rows, pageSize }), [viewId, shown.rows, pageSize]);
  usePublishView(view, selected?.index);
  return h(Table, { model: shown, width, height, selectedKey: selected?.key, active: true });
}
