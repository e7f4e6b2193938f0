// Pane 6: ztunnel error signatures with counts, first and last seen and the check that explains
// them; Enter drills into the raw lines of one signature (Esc comes back). Paused (`p`), the pane
// keeps drawing the mesh state it showed when paused (the ui store holds it), so the lines stay
// put under the reader while new ones are counted in the status line.
import React from 'react';
import type { ReactElement } from 'react';
import { selectLogLineTable, selectSignatureTable } from '../../src/console/rows/logRows.ts';
import { useFindings, useMesh, useUi } from '../../hooks/useSlices.ts';
import type { PaneSize } from './paneSize.ts';
import { TablePane } from './TablePane.ts';

const h = React.createElement;

export function LogsPane({ width, height }: PaneSize): ReactElement {
  const frozen = useUi((s) => s.logs.frozen);
  const drill = useUi((s) => s.logs.drill);
  const evaluation = useFindings((s) => s.evaluation);
  // While paused the selector reads the frozen state only: the memoized model stays the same
  // object, so live commits do not redraw the pane.
  const model = useMesh((s) => (drill ? selectLogLineTable(frozen ?? s, drill) : selectSignatureTable(frozen ?? s, evaluation)));
  return h(TablePane, { viewId: drill ? 'logs/lines' : 'logs', model, width, height });
}
