// The detail of one context (how it is read: status, cluster, every watched resource's sync
// state, log follows, istiod's debug facts) and of one link between two clusters (both
// directions: Gateway, connected, data plane programmed).
import type { DetailModel, DetailSection, Tone } from '../types.ts';
import type { ContextId, MeshState, ResourceSyncState } from '../../store/types.ts';
import { describeStatus, effectiveStatus } from '../../store/selectors.ts';
import { sameClusterAs } from '../../store/snapshotReads.ts';
import { linkBetween, type LinkDirection, type LinkMatrix } from '../rows/linkMatrix.ts';
import { snapshotOf } from '../rows/stateSnapshot.ts';
import { factEntries } from './factEntries.ts';
import { line, note, section } from './lines.ts';

function syncTone(sync: ResourceSyncState): Tone {
  if (sync === 'synced') return 'ok';
  if (sync === 'forbidden' || sync === 'error') return 'bad';
  return 'warn';
}

export function contextDetail(state: MeshState, context: string): DetailModel {
  const ctx = state.contexts[context as ContextId];
  if (ctx === undefined) return { title: context, sections: [section('Not loaded', [note('this context is not in the store', 'warn')])] };
  const status = effectiveStatus(ctx);
  const factLines = factEntries(state.facts[context as ContextId]).map(({ kind, pod, fact }) =>
    fact.state === 'known'
      ? line(`${kind} ${pod}`, `read at ${fact.observedAt}`, 'ok')
      : line(`${kind} ${pod}`, `unknown: ${fact.reason}`, 'warn'),
  );
  const sections: DetailSection[] = [
    section('Context', [
      line('status', describeStatus(status), status.phase === 'ready' ? 'ok' : 'warn'),
      line('since', status.since),
      line('cluster id', ctx.clusterId ?? 'not known yet'),
      line('api server', ctx.endpoint),
      line('same cluster as', sameClusterAs(snapshotOf(state), context as ContextId).join(', ') || 'no other context'),
      ...(ctx.lastError !== undefined
        ? [line('last error', `${ctx.lastError.kind}: ${ctx.lastError.message} (${ctx.lastError.at})`, 'bad')]
        : []),
    ]),
    section(
      'Watched resources',
      Object.values(ctx.resources)
        .sort((a, b) => a.resource.localeCompare(b.resource))
        .map((r) =>
          line(r.resource, `${r.sync}${r.error ? `: ${r.error.message}` : ''}, ${Object.keys(r.objects).length} objects`, syncTone(r.sync)),
        ),
    ),
    section(
      'Log follows',
      Object.entries(ctx.logStreams ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([pod, s]) => line(pod, `${s.phase}${s.error ? `: ${s.error.message}` : ''}`, s.phase === 'following' ? 'ok' : 'warn')),
      'no pod logs followed',
    ),
    section('istiod debug', factLines, 'nothing fetched from istiod yet'),
  ];
  return { title: `${context}: ${describeStatus(status)}`, sections };
}

function directionLines(d: LinkDirection | undefined, name: string): DetailSection {
  if (d === undefined) return section(name, [note('not a pair of loaded clusters', 'muted')]);
  if (d.why !== undefined) return section(name, [line('unknown', d.why, 'warn')]);
  if (d.link === 'no') return section(name, [line('link', 'missing: no istio-remote Gateway points this way', 'bad')]);
  const tone = (a: string): Tone => (a === 'yes' ? 'ok' : a === 'no' ? 'bad' : 'warn');
  return section(name, [
    line('gateway', d.gateway ? `${d.gateway.namespace}/${d.gateway.name} in ${d.from}` : undefined),
    line('connected', d.connected, tone(d.connected)),
    line('data plane programmed', d.programmed, tone(d.programmed)),
  ]);
}

export function linkDetail(matrix: LinkMatrix, from: string, to: string): DetailModel {
  const label = (c: string): string => matrix.clusters.find((x) => x.context === c)?.label ?? c;
  return {
    title: `${label(from)} ⇄ ${label(to)}`,
    sections: [
      directionLines(linkBetween(matrix, from, to), `${label(from)} → ${label(to)}`),
      directionLines(linkBetween(matrix, to, from), `${label(to)} → ${label(from)}`),
    ],
  };
}
