// One connection per context, held on both backends: MeshFeeds (the real client code) opens all
// of a context's watches, and the process holds a single TCP connection to the server. HTTP/1.1
// cannot carry two open watches on one connection, so one connection under a dozen open watches
// is HTTP/2 multiplexing — what kube-apiserver serves and client-go relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { useBothBackends } from './bothBackends.ts';
import { startFeeds } from '../feeds/feedHarness.ts';
import { waitUntil } from '../helpers/waitFor.ts';
import { contextId, type MeshState } from '../../src/store/types.ts';

const both = useBothBackends();

/**
 * Established IPv4 connections of this process whose far end is 127.0.0.1:`port`. Only ours:
 * kube-apiserver connects to its own port too (its loopback client).
 */
function connectionsTo(port: number): number {
  const ours = new Set(
    readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1] ?? ''];
      } catch {
        return []; // closed meanwhile
      }
    }),
  );
  const remote = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((row) => row.trim().split(/\s+/))
    .filter((fields) => fields[2] === remote && fields[3] === '01' && ours.has(fields[9] ?? '')).length;
}

function everyWatchOpen(state: MeshState, context: string): boolean {
  const resources = Object.values(state.contexts[contextId(context)]?.resources ?? {});
  return resources.length >= 10 && resources.every((r) => r.sync === 'synced' || r.sync === 'notInstalled');
}

test('contract: every watch of a context shares one HTTP/2 connection', async (t) => {
  const skip = both.skipReason();
  if (skip !== null) {
    t.skip(skip);
    return;
  }
  for (const b of both.all()) {
    await t.test(`${b.name}: a dozen open watches, one connection`, async () => {
      const port = Number(new URL(b.endpoint.url).port);
      // Counted from here: the harness may hold a connection of its own to the server.
      const before = connectionsTo(port);
      const run = startFeeds(await b.writeKubeconfig('admin'));
      try {
        await waitUntil(() => everyWatchOpen(run.store.getState(), b.context), { timeoutMs: 30_000, what: `${b.name}: every watch open` });
        const watches = Object.keys(run.store.getState().contexts[contextId(b.context)]?.resources ?? {}).length;
        const opened = connectionsTo(port) - before;
        assert.equal(opened, 1, `${b.name}: ${watches} watches over ${opened} connections`);
      } finally {
        await run.stop();
      }
    });
  }
});
