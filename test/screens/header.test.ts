// The header's context badges: status in words, trouble first, contexts of one cluster grouped,
// never more lines than it is given, the rest summed up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import React from 'react';
import type { ContextBadge } from '../../src/console/types.ts';
import { Header } from '../../screens/components/Header.ts';
import { badgeEntries, entryText, headerLines, summary } from '../../screens/components/headerLayout.ts';
import { renderTerminal } from '../helpers/inkHarness.ts';

const h = React.createElement;

function badge(context: string, status: string, extra: Partial<ContextBadge> = {}): ContextBadge {
  const tone = status === 'ready' ? 'ok' : status.startsWith('degraded') ? 'warn' : status === 'connecting' ? 'muted' : 'bad';
  return { context, status, tone, failing: 0, sameClusterAs: [], ...extra };
}

const WEST = badge('cluster-west', 'ready', { clusterId: 'west', network: 'west-net' });
const EAST = badge('cluster-east', 'degraded: forbidden on pods', { clusterId: 'east', network: 'east-net', failing: 2 });
const DEAD = badge('cluster-north', 'unreachable');
const AUTH = badge('cluster-south', 'auth failed');

describe('header badges', () => {
  it('says each context’s status in words, with cluster, network and failing checks', () => {
    assert.deepEqual(badgeEntries([WEST]).map(entryText), ['cluster-west ready west/west-net 0 failing']);
    assert.deepEqual(badgeEntries([badge('c', 'connecting')]).map(entryText), ['c connecting']);
  });

  it('puts the contexts in trouble first, the worst first, otherwise keeps the order', () => {
    const texts = badgeEntries([WEST, EAST, DEAD, AUTH]).map(entryText);
    assert.deepEqual(texts, [
      'cluster-north unreachable',
      'cluster-south auth failed',
      'cluster-east degraded: forbidden on pods east/east-net 2 failing',
      'cluster-west ready west/west-net 0 failing',
    ]);
  });

  it('groups contexts that reach the same cluster', () => {
    const admin = badge('admin@west', 'ready', { clusterId: 'west', network: 'west-net', sameClusterAs: ['cluster-west'] });
    const west = { ...WEST, sameClusterAs: ['admin@west'] };
    assert.deepEqual(badgeEntries([admin, west]).map(entryText), ['admin@west = cluster-west ready west/west-net 0 failing']);
    const forbidden = {
      ...badge('viewer@west', 'degraded: forbidden on pods', { clusterId: 'west', network: 'west-net' }),
      sameClusterAs: ['cluster-west'],
    };
    assert.deepEqual(badgeEntries([{ ...west, sameClusterAs: ['viewer@west'] }, forbidden]).map(entryText), [
      'cluster-west ready = viewer@west degraded: forbidden on pods west/west-net 0 failing',
    ]);
  });

  it('packs several badges per line and sums up what does not fit', () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      badge(`ctx-${String(i).padStart(2, '0')}`, 'ready', { clusterId: `c${i}`, network: 'n' }),
    );
    const entries = badgeEntries([DEAD, ...many]);
    const lines = headerLines(entries, 80, 2);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]?.entries[0]?.contexts[0], 'cluster-north');
    assert.ok((lines[0]?.entries.length ?? 0) >= 2, 'several badges share a line');
    const shown = lines.reduce((n, line) => n + line.entries.length, 0);
    assert.equal(lines[1]?.summary, `+${21 - shown} more ready`);
    assert.equal(summary([badgeEntries([WEST])[0]!, badgeEntries([badge('x', 'connecting')])[0]!]), '+2 more: 1 ready, 1 connecting');
  });

  it('renders within the width and the lines it is given, readable without colour', async () => {
    const many = Array.from({ length: 30 }, (_, i) => badge(`ctx-${i}`, 'ready', { clusterId: `c${i}`, network: 'net' }));
    const terminal = renderTerminal(h(Header, { badges: [WEST, EAST, AUTH, ...many], width: 80, maxLines: 3 }), { columns: 80, rows: 10 });
    try {
      const frame = await terminal.waitForFrame((text) => text.includes('more ready'));
      const lines = frame.split('\n');
      assert.equal(lines.length, 3);
      for (const line of lines) assert.ok(line.length <= 80, line);
      // The two badges together are wider than 80 columns: each gets its own line.
      assert.equal(lines[0], 'cluster-south auth failed');
      assert.equal(lines[1], 'cluster-east degraded: forbidden on pods east/east-net 2 failing');
      // One more badge would leave no room for the summary on the last line.
      assert.equal(lines[2], 'cluster-west ready west/west-net 0 failing │ +30 more ready');
    } finally {
      await terminal.unmount();
    }
  });

  it('cuts a badge wider than the terminal with …', async () => {
    const long = badge('a-very-long-context-name-from-an-eks-arn-arn:aws:eks:eu-west-1:123456789012:cluster/prod', 'auth failed');
    const terminal = renderTerminal(h(Header, { badges: [long], width: 40, maxLines: 1 }), { columns: 40, rows: 4 });
    try {
      const frame = await terminal.waitForFrame((text) => text.length > 0);
      assert.equal(frame, 'a-very-long-context-name-from-an-eks-ar…');
    } finally {
      await terminal.unmount();
    }
  });
});
