// istiod's debug facts of a context as one list (kind, istiod pod, fact), for the context detail.
import type { ContextFacts, Fact } from '../../store/types.ts';

export type FactEntry = { kind: 'syncz' | 'license' | 'clusterz'; pod: string; fact: Fact<unknown> };

export function factEntries(facts: ContextFacts | undefined): FactEntry[] {
  if (facts === undefined) return [];
  const tables: [FactEntry['kind'], Readonly<Record<string, Fact<unknown>>>][] = [
    ['syncz', facts.syncz],
    ['license', facts.license],
    ['clusterz', facts.clusterz],
  ];
  return tables.flatMap(([kind, table]) =>
    Object.keys(table)
      .sort()
      .map((pod) => ({ kind, pod, fact: table[pod] as Fact<unknown> })),
  );
}
