// "What changed since the last run", for re-run checks: the findings that appeared, cleared or
// changed severity between two evaluations, and the object changes the watches saw in between —
// labels, conditions, restarts, creations and deletions — per cluster, with times. The journal
// subscribes to the mesh store and diffs only the resources whose object map is a new reference
// (the store replaces what changed and keeps the rest), so a quiet commit costs a comparison per
// resource. Bounded: the oldest entries go first.
import type { StoreApi } from 'zustand/vanilla';
import type { Finding, Severity } from '../../checks/types.ts';
import type { IsoTime, KubeObjectJson, MeshState, ResourceState } from '../store/types.ts';
import { field, records, text } from '../mesh/jsonFields.ts';

// ---- findings ----

export type FindingChange =
  | { change: 'appeared'; finding: Finding }
  | { change: 'cleared'; finding: Finding }
  | { change: 'severity'; finding: Finding; from: Severity; to: Severity };

/** What a finding is about, stable across runs (messages carry values that change; subjects do not). */
export function findingKey(f: Finding): string {
  const s = f.subject;
  return [f.check, [...f.contexts].sort().join(','), s.context, s.kind, s.namespace ?? '', s.name].join('|');
}

const RANK: Readonly<Record<Severity, number>> = { fail: 4, unknown: 3, warn: 2, info: 1, pass: 0 };

/** The worst finding per key: one subject may carry several findings of one check. */
function worstByKey(findings: readonly Finding[]): Map<string, Finding> {
  const out = new Map<string, Finding>();
  for (const f of findings) {
    const key = findingKey(f);
    const seen = out.get(key);
    if (seen === undefined || RANK[f.severity] > RANK[seen.severity]) out.set(key, f);
  }
  return out;
}

/** A problem is anything but pass and info: those are what appear and clear. */
function isProblem(f: Finding | undefined): f is Finding {
  return f !== undefined && f.severity !== 'pass' && f.severity !== 'info';
}

export function diffFindings(before: readonly Finding[], after: readonly Finding[]): FindingChange[] {
  const was = worstByKey(before);
  const now = worstByKey(after);
  const changes: FindingChange[] = [];
  for (const [key, finding] of now) {
    const old = was.get(key);
    if (isProblem(finding) && !isProblem(old)) changes.push({ change: 'appeared', finding });
    else if (isProblem(finding) && isProblem(old) && old.severity !== finding.severity) {
      changes.push({ change: 'severity', finding, from: old.severity, to: finding.severity });
    }
  }
  for (const [key, finding] of was) {
    if (isProblem(finding) && !isProblem(now.get(key))) changes.push({ change: 'cleared', finding: now.get(key) ?? finding });
  }
  return changes;
}

// ---- objects ----

export interface ObjectChange {
  at: IsoTime;
  context: string;
  kind: string;
  namespace?: string;
  name: string;
  /** `created`, `deleted`, `label topology.istio.io/network "a" -> "b"`, `condition Programmed True -> False (Invalid)`, `restarts 3 -> 4` */
  what: string;
}

function quoted(value: string | undefined): string {
  return value === undefined ? '(absent)' : `"${value}"`;
}

function conditions(obj: KubeObjectJson): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of records(field(obj, 'status', 'conditions'))) {
    const type = text(c['type']);
    if (type === undefined) continue;
    const reason = text(c['reason']);
    out.set(type, `${text(c['status']) ?? '?'}${reason ? ` (${reason})` : ''}`);
  }
  return out;
}

function restarts(obj: KubeObjectJson): number | undefined {
  const statuses = records(field(obj, 'status', 'containerStatuses'));
  if (statuses.length === 0) return undefined;
  return statuses.reduce((sum, s) => sum + (typeof s['restartCount'] === 'number' ? s['restartCount'] : 0), 0);
}

/** What differs between two versions of one object, in the terms the checks care about. */
export function objectDifferences(before: KubeObjectJson, after: KubeObjectJson): string[] {
  const out: string[] = [];
  const labelsBefore = before.metadata.labels ?? {};
  const labelsAfter = after.metadata.labels ?? {};
  for (const key of [...new Set([...Object.keys(labelsBefore), ...Object.keys(labelsAfter)])].sort()) {
    if (labelsBefore[key] !== labelsAfter[key]) out.push(`label ${key} ${quoted(labelsBefore[key])} -> ${quoted(labelsAfter[key])}`);
  }
  const condBefore = conditions(before);
  const condAfter = conditions(after);
  for (const type of [...new Set([...condBefore.keys(), ...condAfter.keys()])].sort()) {
    if (condBefore.get(type) !== condAfter.get(type)) {
      out.push(`condition ${type} ${condBefore.get(type) ?? '(absent)'} -> ${condAfter.get(type) ?? '(absent)'}`);
    }
  }
  const r0 = restarts(before);
  const r1 = restarts(after);
  if (r0 !== undefined && r1 !== undefined && r0 !== r1) out.push(`restarts ${r0} -> ${r1}`);
  const phase0 = text(field(before, 'status', 'phase'));
  const phase1 = text(field(after, 'status', 'phase'));
  if (phase0 !== phase1 && phase1 !== undefined) out.push(`phase ${phase0 ?? '(none)'} -> ${phase1}`);
  if (before.metadata['deletionTimestamp'] === undefined && after.metadata['deletionTimestamp'] !== undefined) out.push('deleting');
  return out;
}

export interface ChangeJournalOptions {
  /** Entries kept (oldest dropped first). Default 500. */
  limit?: number;
  now?: () => Date;
}

export class ChangeJournal {
  readonly #api: StoreApi<MeshState>;
  readonly #limit: number;
  readonly #now: () => Date;
  #entries: ObjectChange[] = [];
  #unsubscribe: (() => void) | undefined;

  constructor(api: StoreApi<MeshState>, options: ChangeJournalOptions = {}) {
    this.#api = api;
    this.#limit = options.limit ?? 500;
    this.#now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#api.subscribe((state, previous) => this.#onCommit(state, previous));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  entries(): readonly ObjectChange[] {
    return this.#entries;
  }

  /** Changes seen after `time` (exclusive), oldest first. */
  since(time: IsoTime | undefined): ObjectChange[] {
    if (time === undefined) return [...this.#entries];
    const t = Date.parse(time);
    return this.#entries.filter((e) => Date.parse(e.at) > t);
  }

  #onCommit(state: MeshState, previous: MeshState): void {
    if (state.contexts === previous.contexts) return;
    for (const [context, ctx] of Object.entries(state.contexts)) {
      const before = previous.contexts[context as keyof typeof previous.contexts];
      if (before === undefined || before.resources === ctx.resources) continue;
      for (const [id, resource] of Object.entries(ctx.resources)) {
        const old = before.resources[id];
        if (old === undefined || old.objects === resource.objects) continue;
        // The first list is what was there, not a change.
        if (old.sync === 'syncing' && Object.keys(old.objects).length === 0) continue;
        this.#diffResource(context, old, resource);
      }
    }
  }

  #diffResource(context: string, old: ResourceState, now: ResourceState): void {
    const at = now.lastEventAt ?? this.#now().toISOString();
    const add = (obj: KubeObjectJson, what: string): void => {
      this.#entries.push({
        at,
        context,
        kind: obj.kind,
        ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}),
        name: obj.metadata.name,
        what,
      });
    };
    for (const [key, obj] of Object.entries(now.objects)) {
      const was = old.objects[key];
      if (was === undefined) add(obj, 'created');
      else if (was !== obj) for (const what of objectDifferences(was, obj)) add(obj, what);
    }
    for (const [key, obj] of Object.entries(old.objects)) if (now.objects[key] === undefined) add(obj, 'deleted');
    if (this.#entries.length > this.#limit) this.#entries = this.#entries.slice(this.#entries.length - this.#limit);
  }
}

// ---- both, as the console shows them ----

export interface ChangesReport {
  since: IsoTime | undefined;
  findings: FindingChange[];
  /** Per context, oldest first. */
  objects: Map<string, ObjectChange[]>;
}

export function changesSince(
  before: readonly Finding[],
  after: readonly Finding[],
  journal: ChangeJournal,
  since: IsoTime | undefined,
): ChangesReport {
  const objects = new Map<string, ObjectChange[]>();
  for (const change of journal.since(since)) objects.set(change.context, [...(objects.get(change.context) ?? []), change]);
  return { since, findings: diffFindings(before, after), objects };
}

function subjectText(f: Finding): string {
  const s = f.subject;
  return `${s.context} ${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}

function objectText(c: ObjectChange): string {
  return `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
}

/** Plain lines, status in words: `cleared  MC-NET-001 cluster-west Namespace istio-system`. */
export function changesLines(report: ChangesReport): string[] {
  const lines: string[] = [`Changes since ${report.since ?? 'the console started'}:`];
  if (report.findings.length === 0) lines.push('  findings: no change');
  for (const c of report.findings) {
    const head = c.change === 'severity' ? `${c.from} -> ${c.to}` : c.change;
    lines.push(`  ${head.padEnd(9)} ${c.finding.check} ${subjectText(c.finding)}: ${c.finding.message}`);
  }
  if (report.objects.size === 0) lines.push('  objects: no change seen by the watches');
  for (const [context, changes] of [...report.objects].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${context}:`);
    for (const c of changes) lines.push(`    ${c.at}  ${objectText(c)}  ${c.what}`);
  }
  return lines;
}
