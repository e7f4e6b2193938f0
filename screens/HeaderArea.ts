// The header: every context's badge (status in words, cluster id, network, failing checks).
// The App sizes the header to the lines the badges need (at most maxLines), so a mesh of two
// contexts does not leave blank lines the pane could use.
import React from 'react';
import type { ReactElement } from 'react';
import { selectBadges } from '../src/console/badges.ts';
import type { ContextBadge } from '../src/console/types.ts';
import { useServices } from '../hooks/useServices.ts';
import { useFindings, useMesh } from '../hooks/useSlices.ts';
import { Header } from './components/Header.ts';
import { badgeEntries, headerLines } from './components/headerLayout.ts';

const h = React.createElement;

/** The badges, memoized by selectBadges: the same array while every badge reads the same. */
export function useBadges(): readonly ContextBadge[] {
  const { invalidContexts, istioNamespace } = useServices().options;
  const evaluation = useFindings((s) => s.evaluation);
  return useMesh((s) => selectBadges(s, evaluation, invalidContexts, istioNamespace));
}

/** How many lines the header takes for these badges at this width, at most `maxLines`. */
export function headerHeight(badges: readonly ContextBadge[], width: number, maxLines: number): number {
  return headerLines(badgeEntries(badges), width, maxLines).length;
}

export const HeaderArea = React.memo(function HeaderArea({
  badges,
  width,
  maxLines,
}: {
  badges: readonly ContextBadge[];
  width: number;
  maxLines: number;
}): ReactElement {
  return h(Header, { badges, width, maxLines });
});
