// The overlays: the detail (sections, labels in a column, values wrapped to the width, scrolled
// and clamped) and help (generated from the key table, action keys gone with --read-only,
// flowed into columns on a short terminal).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import React from 'react';
import { KEY_BINDINGS } from '../../src/console/keymap.ts';
import type { KeyBinding } from '../../src/console/keymap.ts';
import type { DetailModel } from '../../src/console/types.ts';
import { Detail } from '../../screens/overlays/Detail.ts';
import { Help } from '../../screens/overlays/Help.ts';
import { detailLines } from '../../screens/overlays/detailLayout.ts';
import { helpColumns, sectionEntries } from '../../screens/overlays/helpLayout.ts';
import { wrapText } from '../../screens/components/wrapText.ts';
import { withTerminal } from '../helpers/screenFixtures.ts';

const h = React.createElement;

const GATEWAY: DetailModel = {
  title: 'Gateway istio-system/istio-remote-peer-east in cluster-west',
  sections: [
    {
      title: 'Conditions',
      lines: [
        { label: 'Accepted', text: 'True  Accepted  3d' },
        {
          label: 'Programmed',
          text: 'False  AddressNotAssigned  no address could be assigned to the gateway: the east-west gateway of cluster-east has no external IP',
          tone: 'bad',
        },
      ],
    },
    { title: 'Evidence', lines: [{ text: 'status.addresses is empty' }] },
  ],
};

function numbered(count: number): DetailModel {
  return { title: 'Logs', sections: [{ title: 'Raw lines', lines: Array.from({ length: count }, (_, i) => ({ text: `line ${i + 1}` })) }] };
}

describe('detail overlay', () => {
  it('wraps at spaces and breaks a word longer than the line', () => {
    assert.deepEqual(wrapText('no address could be assigned', 12), ['no address', 'could be', 'assigned']);
    assert.deepEqual(wrapText('spiffe://cluster.local/ns/istio-system', 10), ['spiffe://c', 'luster.loc', 'al/ns/isti', 'o-system']);
    assert.deepEqual(wrapText('one\ntwo', 10), ['one', 'two']);
  });

  it('shows the title, each section under its title, labels in a column and values wrapped to the width', async () => {
    await withTerminal(h(Detail, { model: GATEWAY, width: 60, height: 12, scroll: 0 }), { columns: 60, rows: 14 }, async (t) => {
      const frame = await t.waitForFrame((text) => text.includes('status.addresses'));
      const lines = frame.split('\n');
      for (const line of lines) assert.ok(line.length <= 60, line);
      // The title gives way to the hint, cut with …
      assert.equal(lines[0], 'Gateway istio-system/istio-remote-peer-east in cl…  Esc back');
      assert.deepEqual(lines.slice(1), [
        'Conditions',
        '  Accepted    True  Accepted  3d',
        '  Programmed  False  AddressNotAssigned  no address could be',
        '              assigned to the gateway: the east-west gateway',
        '              of cluster-east has no external IP',
        '',
        'Evidence',
        '  status.addresses is empty',
      ]);
    });
  });

  it('scrolls the body under a fixed title and says which lines are shown', async () => {
    const model = numbered(40);
    await withTerminal(h(Detail, { model, width: 60, height: 10, scroll: 5 }), { columns: 60, rows: 12 }, async (t) => {
      const frame = await t.waitForFrame((text) => text.includes('line 5'));
      const lines = frame.split('\n');
      assert.match(lines[0] ?? '', /^Logs +lines 6–14 of 41 · Esc back$/);
      assert.equal(lines[1], '  line 5');
      assert.equal(lines.length, 10);
    });
  });

  it('clamps a scroll past the end, so the last line sits on the bottom row', async () => {
    const model = numbered(40);
    await withTerminal(
      h(Detail, { model, width: 60, height: 10, scroll: Number.MAX_SAFE_INTEGER }),
      { columns: 60, rows: 12 },
      async (t) => {
        const frame = await t.waitForFrame((text) => text.includes('line 40'));
        const lines = frame.split('\n');
        assert.equal(lines.at(-1), '  line 40');
        assert.match(lines[0] ?? '', /lines 33–41 of 41/);
        assert.equal(detailLines(model, 60).length, 41);
      },
    );
  });
});

const SMALL: readonly KeyBinding[] = [
  { keys: ['Down', 'j'], command: 'down', help: 'next row', section: 'Move' },
  { keys: ['1'], command: 'pane', pane: 'overview', help: 'Overview pane', section: 'Panes' },
  { keys: ['2'], command: 'pane', pane: 'pods', help: 'Pods pane', section: 'Panes' },
  { keys: ['x'], command: 'actions', help: 'guided actions for the selected finding', section: 'Checks and actions', action: true },
  { keys: ['q'], command: 'quit', help: 'quit', section: 'General' },
];

describe('help overlay', () => {
  it('lists every section of the key table, the pane numbers on one line', async () => {
    await withTerminal(h(Help, { bindings: SMALL, width: 80, height: 20, readOnly: false }), { columns: 80, rows: 22 }, async (t) => {
      const frame = await t.waitForFrame((text) => text.includes('quit'));
      assert.deepEqual(frame.split('\n'), [
        'Keys  Esc closes',
        'Move',
        '  Down j  next row',
        '',
        'Panes',
        '  1–2     panes: Overview, Pods',
        '',
        'Checks and actions',
        '  x       guided actions for the selected finding',
        '',
        'General',
        '  q       quit',
      ]);
    });
  });

  it('leaves the action keys out with --read-only and says so', async () => {
    await withTerminal(h(Help, { bindings: SMALL, width: 80, height: 20, readOnly: true }), { columns: 80, rows: 22 }, async (t) => {
      const frame = await t.waitForFrame((text) => text.includes('quit'));
      assert.match(frame, /read-only: action keys are off/);
      assert.doesNotMatch(frame, /guided actions/);
      assert.doesNotMatch(frame, /Checks and actions/);
      assert.deepEqual(sectionEntries(SMALL, 'Checks and actions', true), []);
    });
  });

  it('fits the whole key table into an 80×24 console by flowing it into columns', async () => {
    // The App leaves the body 24 − 3 header − 3 chrome lines.
    const layout = helpColumns(KEY_BINDINGS, false, 80, 17);
    assert.equal(layout.hidden, 0, 'no binding is left out');
    await withTerminal(
      h(Help, { bindings: KEY_BINDINGS, width: 80, height: 18, readOnly: false }),
      { columns: 80, rows: 24 },
      async (t) => {
        const frame = await t.waitForFrame((text) => text.includes('Keys'));
        const lines = frame.split('\n');
        assert.ok(lines.length <= 18, `${lines.length} lines`);
        for (const line of lines) assert.ok(line.length <= 80, line);
        for (const word of ['Move', 'Panes', 'Logs', 'General', 'Enter', 'Esc', 'Tab'])
          assert.ok(frame.includes(word), `help names ${word}`);
      },
    );
  });
});

describe('help on a terminal too small for it', () => {
  it('says how much is hidden rather than dropping it silently', async () => {
    await withTerminal(h(Help, { bindings: KEY_BINDINGS, width: 40, height: 8, readOnly: true }), { columns: 40, rows: 10 }, async (t) => {
      const frame = await t.waitForFrame((text) => text.includes('Keys'));
      assert.match(frame.split('\n')[0] ?? '', /^Keys {2}Esc closes · \d+ lines hidden/);
      assert.ok(frame.split('\n').length <= 8);
    });
  });
});
