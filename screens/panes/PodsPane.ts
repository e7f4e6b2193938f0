// Pane 2: istiod, ztunnel, east-west gateway and CNI pods of every context.
import React from 'react';
import type { ReactElement } from 'react';
import { selectPodTable } from '../../src/console/rows/podRows.ts';
import { useCoarseNow } from '../../hooks/useCoarseNow.ts';
import { useServices } from '../../hooks/useServices.ts';
import { useMesh } from '../../hooks/useSlices.ts';
import type { PaneSize } from './paneSize.ts';
import { TablePane } from './TablePane.ts';

const h = React.createElement;

export function PodsPane({ width, height }: PaneSize): ReactElement {
  const { istioNamespace } = useServices().options;
  const now = useCoarseNow();
  // Memoized on the pods lists and the age step: the same model (no redraw) until one of those moves.
  const model = useMesh((s) => selectPodTable(s, istioNamespace, now));
  return h(TablePane, { viewId: 'pods', model, width, height });
}
