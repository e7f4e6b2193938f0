// Pane 3: east-west gateways (address, Programmed, mode) and remote peer gateways with every condition.
import React from 'react';
import type { ReactElement } from 'react';
import { selectGatewayTable } from '../../src/console/rows/gatewayRows.ts';
import { useCoarseNow } from '../../hooks/useCoarseNow.ts';
import { useMesh } from '../../hooks/useSlices.ts';
import type { PaneSize } from './paneSize.ts';
import { TablePane } from './TablePane.ts';

const h = React.createElement;

export function GatewaysPane({ width, height }: PaneSize): ReactElement {
  const now = useCoarseNow();
  const model = useMesh((s) => selectGatewayTable(s, now));
  return h(TablePane, { viewId: 'gateways', model, width, height });
}
