// Pane 4: the reachability matrix — for each pair of clusters, both directions side by side, so a
// one-way link reads at a glance.
import React from 'react';
import type { ReactElement } from 'react';
import { selectLinkTable } from '../../src/console/rows/linkMatrix.ts';
import { useMesh } from '../../hooks/useSlices.ts';
import type { PaneSize } from './paneSize.ts';
import { TablePane } from './TablePane.ts';

const h = React.createElement;

export function LinksPane({ width, height }: PaneSize): ReactElement {
  const model = useMesh(selectLinkTable);
  return h(TablePane, { viewId: 'links', model, width, height });
}
