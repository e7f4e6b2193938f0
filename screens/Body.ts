// The pane body: the current pane, or an overlay (help, detail) in its place. Only the pane on
// screen is mounted, so only its slice of the store can redraw it.
import React from 'react';
import type { ReactElement } from 'react';
import { selectDetail } from '../src/console/detail.ts';
import { visibleBindings } from '../src/console/keymap.ts';
import type { ObjectEvent } from '../src/console/services.ts';
import type { DetailModel, DetailRef, PaneId } from '../src/console/types.ts';
import { useActionFlow } from '../hooks/useActionFlow.ts';
import { useServices } from '../hooks/useServices.ts';
import { useFindings, useMesh, useUi } from '../hooks/useSlices.ts';
import { ActionOverlay } from './overlays/ActionOverlay.ts';
import { Detail } from './overlays/Detail.ts';
import { clampScroll, detailLines } from './overlays/detailLayout.ts';
import { Help } from './overlays/Help.ts';
import { GatewaysPane } from './panes/GatewaysPane.ts';
import { LinksPane } from './panes/LinksPane.ts';
import { LogsPane } from './panes/LogsPane.ts';
import { OverviewPane } from './panes/OverviewPane.ts';
import type { PaneSize } from './panes/paneSize.ts';
import { PodsPane } from './panes/PodsPane.ts';
import { ProxiesPane } from './panes/ProxiesPane.ts';

const h = React.createElement;

const PANE_COMPONENTS: Readonly<Record<PaneId, (size: PaneSize) => ReactElement>> = {
  overview: OverviewPane,
  pods: PodsPane,
  gateways: GatewaysPane,
  links: LinksPane,
  proxies: ProxiesPane,
  logs: LogsPane,
};

/** Kubernetes Events of the object in the detail, fetched once when it opens (when the services can). */
function useObjectEvents(ref: DetailRef): readonly ObjectEvent[] | undefined {
  const services = useServices();
  const [events, setEvents] = React.useState<readonly ObjectEvent[] | undefined>(undefined);
  React.useEffect(() => {
    setEvents(undefined);
    if (ref.type !== 'object' || services.fetchEvents === undefined) return undefined;
    let live = true;
    services.fetchEvents(ref).then(
      (list) => {
        if (live) setEvents(list);
      },
      // A detail without events is still a detail: say there are none rather than fail.
      () => {
        if (live) setEvents([]);
      },
    );
    return () => {
      live = false;
    };
  }, [ref, services]);
  return events;
}

function withEvents(model: DetailModel, events: readonly ObjectEvent[] | undefined): DetailModel {
  if (events === undefined) return model;
  const lines =
    events.length === 0
      ? [{ text: 'no events', tone: 'muted' as const }]
      : events.map((e) => ({
          label: `${e.type} ${e.reason}${e.count > 1 ? ` ×${e.count}` : ''}`,
          text: e.message,
          tone: e.type === 'Warning' ? ('warn' as const) : undefined,
        }));
  return { ...model, sections: [...model.sections, { title: 'Events', lines }] };
}

function DetailBody({ detailRef, width, height }: PaneSize & { detailRef: DetailRef }): ReactElement {
  const { readOnly } = useServices().options;
  const scroll = useUi((s) => s.detailScroll);
  const evaluation = useFindings((s) => s.evaluation);
  const model = useMesh((s) => selectDetail(detailRef, s, evaluation, readOnly));
  const events = useObjectEvents(detailRef);
  const shown = React.useMemo(() => withEvents(model, events), [model, events]);
  // `G` asks for the end with a huge scroll; bring the stored value back to the real end so the
  // next `k` moves up at once. Detail draws it clamped either way.
  const { ui } = useServices();
  const lineCount = React.useMemo(() => detailLines(shown, width).length, [shown, width]);
  const end = clampScroll(scroll, lineCount, Math.max(0, height - 1));
  React.useEffect(() => {
    if (end !== scroll) ui.setState({ detailScroll: end });
  }, [ui, end, scroll]);
  return h(Detail, { model: shown, width, height, scroll: end });
}

export function Body({ width, height }: PaneSize): ReactElement {
  const mode = useUi((s) => s.mode);
  const pane = useUi((s) => s.pane);
  const detail = useUi((s) => s.detail);
  const { readOnly } = useServices().options;
  const actionOpen = useActionFlow((s) => s.phase !== 'closed');
  if (actionOpen) return h(ActionOverlay, { width, height });
  if (mode === 'help') return h(Help, { bindings: visibleBindings(readOnly), width, height, readOnly });
  if (mode === 'detail' && detail !== undefined) return h(DetailBody, { detailRef: detail, width, height });
  return h(PANE_COMPONENTS[pane], { width, height });
}
