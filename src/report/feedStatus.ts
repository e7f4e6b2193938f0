// What the live feeds know about each context, as text or JSON: connection status, which
// watched resources are synced, the facts fetched from istiod, log follows and log signatures.
// It reports what could not be read and why, never just what could.
import type { MeshSnapshot, ContextState, ContextFacts, Fact } from '../store/types.ts';
import { describeStatus, effectiveStatus } from '../store/selectors.ts';
import { mergeSignatureTables } from '../mesh/logSignatures.ts';
import { signatureCheck } from '../../checks/explanations.ts';
import { formatTable } from './textTable.ts';

export interface ContextFeedSummary {
  context: string;
  clusterId: string | null;
  status: string;
  resources: { resource: string; sync: string; objects: number; error?: string }[];
  facts: { kind: string; source: string; state: 'known' | 'unknown'; detail: string }[];
  proxies: number;
  logStreams: { pod: string; phase: string; error?: string }[];
  logSignatures: { id: string; check: string; title: string; count: number; lastSeen: string }[];
}

export interface FeedStatusReport {
  takenAt: string;
  contexts: ContextFeedSummary[];
}

export function summarizeFeeds(snapshot: MeshSnapshot): FeedStatusReport {
  const contexts = Object.values(snapshot.contexts).map((ctx) => summarizeContext(ctx, snapshot));
  return { takenAt: snapshot.takenAt, contexts };
}

function summarizeContext(ctx: ContextState, snapshot: MeshSnapshot): ContextFeedSummary {
  const facts = snapshot.facts[ctx.context];
  const signatures = snapshot.logSignatures[ctx.context];
  const proxies = facts ? Object.values(facts.syncz).reduce((n, f) => n + (f.state === 'known' ? f.value.rows.length : 0), 0) : 0;
  return {
    context: ctx.context,
    clusterId: ctx.clusterId ?? null,
    status: describeStatus(effectiveStatus(ctx)),
    resources: Object.values(ctx.resources)
      .map((r) => ({
        resource: r.resource,
        sync: r.sync,
        objects: Object.keys(r.objects).length,
        ...(r.error ? { error: r.error.message } : {}),
      }))
      .sort((a, b) => a.resource.localeCompare(b.resource)),
    facts: facts ? factRows(facts) : [],
    proxies,
    logStreams: Object.entries(ctx.logStreams ?? {})
      .map(([pod, s]) => ({ pod, phase: s.phase, ...(s.error ? { error: s.error.message } : {}) }))
      .sort((a, b) => a.pod.localeCompare(b.pod)),
    logSignatures: signatures
      ? mergeSignatureTables([signatures]).map((s) => ({
          id: s.id,
          check: signatureCheck(s.id),
          title: s.title,
          count: s.count,
          lastSeen: s.lastSeen,
        }))
      : [],
  };
}

function factRows(facts: ContextFacts): ContextFeedSummary['facts'] {
  const rows: ContextFeedSummary['facts'] = [];
  const add = <T>(kind: string, table: Readonly<Record<string, Fact<T>>>, describe: (v: T) => string): void => {
    for (const [source, fact] of Object.entries(table)) {
      rows.push(
        fact.state === 'known'
          ? { kind, source, state: 'known', detail: describe(fact.value) }
          : { kind, source, state: 'unknown', detail: fact.reason },
      );
    }
  };
  add('syncz', facts.syncz, (v) => `${v.rows.length} proxies`);
  add('license', facts.license, (v) => `${v.state}${v.product ? ` (${v.product})` : ''}`);
  add('clusterz', facts.clusterz, (v) => `${v.length} clusters`);
  add('sourcePods', facts.sourcePods, (v) => {
    const counts = new Map<string, number>();
    for (const e of v.entries) counts.set(e.state, (counts.get(e.state) ?? 0) + 1);
    return [...counts].map(([state, n]) => `${n} ${state}`).join(', ') || 'no entries';
  });
  return rows;
}

export function renderFeedStatusText(report: FeedStatusReport): string {
  const out: string[] = [];
  out.push(
    formatTable(
      ['CONTEXT', 'CLUSTER', 'STATUS', 'SYNCED', 'PROXIES', 'LOG STREAMS', 'LOG ERRORS'],
      report.contexts.map((c) => [
        c.context,
        c.clusterId ?? '<unknown>',
        c.status,
        `${c.resources.filter((r) => r.sync === 'synced').length}/${c.resources.length}`,
        String(c.proxies),
        `${c.logStreams.filter((s) => s.phase === 'following').length}/${c.logStreams.length}`,
        String(c.logSignatures.reduce((n, s) => n + s.count, 0)),
      ]),
    ).trimEnd(),
  );
  for (const c of report.contexts) {
    const problems = [
      ...c.resources.filter((r) => r.sync !== 'synced').map((r) => `  ${r.resource}: ${r.sync}${r.error ? ` — ${r.error}` : ''}`),
      ...c.facts.filter((f) => f.state === 'unknown').map((f) => `  ${f.kind} (${f.source}): unknown — ${f.detail}`),
      ...c.logStreams.filter((s) => s.phase !== 'following').map((s) => `  log ${s.pod}: ${s.phase}${s.error ? ` — ${s.error}` : ''}`),
    ];
    const known = c.facts.filter((f) => f.state === 'known').map((f) => `  ${f.kind} (${f.source}): ${f.detail}`);
    const signatures = c.logSignatures.map((s) => `  ${s.count}× ${s.title} [${s.check}] last ${s.lastSeen}`);
    out.push('', c.context);
    if (problems.length > 0) out.push('not read:', ...problems);
    if (known.length > 0) out.push('facts:', ...known);
    if (signatures.length > 0) out.push('log signatures:', ...signatures);
  }
  return out.join('\n') + '\n';
}
