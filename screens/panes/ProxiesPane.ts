// Pane 5: proxy status per context (NAME CLUSTER ISTIOD VERSION SUBSCRIBED TYPES), problems in words.
import React from 'react';
import type { ReactElement } from 'react';
import { selectProxyTable } from '../../src/console/rows/proxyRows.ts';
import { useMesh } from '../../hooks/useSlices.ts';
import type { PaneSize } from './paneSize.ts';
import { TablePane } from './TablePane.ts';

const h = React.createElement;

export function ProxiesPane({ width, height }: PaneSize): ReactElement {
  const model = useMesh(selectProxyTable);
  return h(TablePane, { viewId: 'proxies', model, width, height });
}
