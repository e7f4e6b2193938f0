// Pane 1: the findings, root causes first with their symptoms indented under them, each with the
// guided action it offers. Reads the findings store and the list of contexts still connecting: a
// mesh commit that changes neither does not redraw it.
import React from 'react';
import type { ReactElement } from 'react';
import { selectConnectingContexts, selectOverviewTable } from '../../src/console/rows/overviewRows.ts';
import { useServices } from '../../hooks/useServices.ts';
import { useFindings, useMesh } from '../../hooks/useSlices.ts';
import type { PaneSize } from './paneSize.ts';
import { TablePane } from './TablePane.ts';

const h = React.createElement;

export function OverviewPane({ width, height }: PaneSize): ReactElement {
  const { readOnly } = useServices().options;
  // Cached on the evaluation's findings array: the same model while no finding changed.
  const connecting = useMesh(selectConnectingContexts);
  const model = useFindings((s) => selectOverviewTable(s.evaluation, { readOnly, connecting }));
  return h(TablePane, { viewId: 'overview', model, width, height });
}
