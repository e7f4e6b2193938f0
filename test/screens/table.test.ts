// The windowed Table: what the user sees in the terminal (only the rows that fit, the selected
// row marked, columns cut to the width, the right columns dropped when narrow), and the layout
// arithmetic behind it as plain functions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import React from 'react';
import type { ColumnSpec, Row, TableModel } from '../../src/console/types.ts';
import { Table, type TableProps } from '../../screens/components/Table.ts';
import { carriedStart, cut, fit, layoutColumns, naturalWidths, visibleWindow, GUTTER } from '../../screens/components/tableLayout.ts';
import { POD_COLUMNS, withTerminal } from '../helpers/screenFixtures.ts';

const h = React.createElement;

function pod(index: number, status = 'Running'): Row {
  return {
    key: `pod/${index}`,
    cells: ['cluster-west', 'istio-system', `ztunnel-${index}`, '1/1', status, String(index % 4), '3d', `worker-${index}.example.internal`],
    tone: status === 'Running' ? 'ok' : 'bad',
    context: 'cluster-west',
  };
}

function pods(count: number): Row[] {
  return Array.from({ length: count }, (_, index) => pod(index));
}

function model(rows: readonly Row[], columns: readonly ColumnSpec[] = POD_COLUMNS): TableModel {
  return { columns, rows, empty: 'no mesh pods in any context' };
}

function table(props: TableProps): React.ReactElement {
  return h(Table, props);
}

const selectedLine = (frame: string): string | undefined => frame.split('\n').find((line) => line.startsWith('> '));

describe('table layout', () => {
  it('keeps the window still while the selection stays inside it, and scrolls only as far as needed', () => {
    assert.deepEqual(visibleWindow(5, 4, 10), { start: 0, end: 5 });
    assert.deepEqual(visibleWindow(100, 3, 10, 0), { start: 0, end: 10 });
    assert.deepEqual(visibleWindow(100, 9, 10, 0), { start: 0, end: 10 });
    assert.deepEqual(visibleWindow(100, 10, 10, 0), { start: 1, end: 11 });
    assert.deepEqual(visibleWindow(100, 55, 10, 50), { start: 50, end: 60 });
    assert.deepEqual(visibleWindow(100, 40, 10, 50), { start: 40, end: 50 });
    // No blank rows past the end when rows went away.
    assert.deepEqual(visibleWindow(20, 19, 10, 15), { start: 10, end: 20 });
    // Nothing selected: the window stays where it was.
    assert.deepEqual(visibleWindow(100, -1, 10, 30), { start: 30, end: 40 });
  });

  it('moves the window with the selected object when rows come or go above it', () => {
    const memory = { start: 20, selectedKey: 'pod/25', selectedIndex: 25 };
    assert.equal(carriedStart(memory, 'pod/25', 28), 23);
    assert.equal(carriedStart(memory, 'pod/25', 24), 19);
    // Another row selected (the user moved): the window stays.
    assert.equal(carriedStart(memory, 'pod/26', 26), 20);
    assert.equal(carriedStart(undefined, 'pod/1', 1), 0);
  });

  it('cuts by code points and marks the cut', () => {
    assert.equal(cut('ztunnel-abcdef', 8), 'ztunnel…');
    assert.equal(cut('short', 8), 'short');
    assert.equal(cut('✓✓✓✓', 3), '✓✓…');
    assert.equal(fit('3', 4, 'right'), '   3');
    assert.equal(fit('Running', 4), 'Run…');
  });

  it('drops the columns with the highest drop first, then narrows the widest', () => {
    const rows = pods(3);
    const natural = naturalWidths(POD_COLUMNS, rows);
    const titles = (width: number): string[] => layoutColumns(POD_COLUMNS, natural, width).map((c) => POD_COLUMNS[c.index]?.title ?? '?');
    assert.deepEqual(
      titles(200),
      POD_COLUMNS.map((c) => c.title),
    );
    assert.deepEqual(titles(100), ['CONTEXT', 'NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(titles(70), ['CONTEXT', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(titles(59), ['CONTEXT', 'NAME', 'READY', 'STATUS', 'AGE']);
    for (const width of [200, 100, 80, 60, 50]) {
      const layout = layoutColumns(POD_COLUMNS, natural, width);
      const used = GUTTER + layout.reduce((sum, c) => sum + c.width, 0) + 2 * (layout.length - 1);
      assert.ok(used <= width, `${used} columns used at width ${width}`);
    }
  });

  it('gives spare width to the columns that grow, up to their max', () => {
    const columns: ColumnSpec[] = [
      { title: 'A', min: 3 },
      { title: 'B', min: 3, grow: 1, max: 10 },
    ];
    const layout = layoutColumns(columns, [3, 3], 40);
    assert.deepEqual(
      layout.map((c) => c.width),
      [3, 10],
    );
  });
});

describe('Table', () => {
  it('draws only the rows that fit: a 1,000-row model in 10 lines is a 10-line frame', async () => {
    await withTerminal(
      table({ model: model(pods(1000)), width: 100, height: 10, selectedKey: 'pod/0' }),
      { columns: 100, rows: 12 },
      async (t) => {
        const frame = await t.waitForFrame((text) => text.includes('ztunnel-8'));
        const lines = frame.split('\n');
        assert.equal(lines.length, 10);
        assert.match(lines[0] ?? '', /^ {2}CONTEXT {2}/);
        assert.ok(!frame.includes('ztunnel-9 '), 'the 10th row is below the window');
        assert.equal(t.stats().fullClears, 0);
      },
    );
  });

  it('cuts columns to an 80-column terminal with …, and no line is wider', async () => {
    const long: Row = {
      ...pod(1),
      key: 'long',
      cells: ['cluster-with-a-very-long-context-name', 'istio-system', 'ztunnel-' + 'x'.repeat(80), '1/1', 'Running', '0', '3d', 'n'],
    };
    await withTerminal(table({ model: model([long, pod(2)]), width: 80, height: 5 }), { columns: 80, rows: 6 }, async (t) => {
      const frame = await t.waitForFrame((text) => text.includes('ztunnel-2'));
      for (const line of frame.split('\n')) assert.ok(line.length <= 80, `line of ${line.length}: ${line}`);
      assert.match(frame, /cluster-with-a-very-lon…/);
      assert.match(frame, /ztunnel-x+…/);
      assert.match(frame, /Running/);
    });
  });

  it('marks the selected row with > so it reads without colour, and follows the selection down', async () => {
    const rows = pods(50);
    const props = { model: model(rows), width: 100, height: 6 };
    await withTerminal(table({ ...props, selectedKey: 'pod/1' }), { columns: 100, rows: 8 }, async (t) => {
      let frame = await t.waitForFrame((text) => selectedLine(text) !== undefined);
      assert.match(selectedLine(frame) ?? '', /ztunnel-1 /);
      assert.equal(frame.split('\n').filter((line) => line.startsWith('>')).length, 1);
      t.rerender(table({ ...props, selectedKey: 'pod/7' }));
      frame = await t.waitForFrame((text) => /ztunnel-7 /.test(selectedLine(text) ?? ''));
      // Five body rows: 3..7, the selection on the last line of the window.
      assert.match(frame.split('\n')[1] ?? '', /ztunnel-3 /);
      assert.match(frame.split('\n').at(-1) ?? '', /^> .*ztunnel-7 /);
    });
  });

  it('shows the model’s empty text when there are no rows', async () => {
    await withTerminal(table({ model: model([]), width: 80, height: 5 }), { columns: 80, rows: 6 }, async (t) => {
      const frame = await t.waitForFrame((text) => text.includes('no mesh pods'));
      assert.deepEqual(frame.split('\n'), [
        '  CONTEXT   NAMESPACE  NAME             READY  STATUS   RESTARTS   AGE  NODE',
        '  no mesh pods in any context',
      ]);
    });
  });

  it('keeps the selection on the same object, on the same line, when rows are inserted above it', async () => {
    const rows = pods(40);
    const props = { width: 100, height: 8, selectedKey: 'pod/20' };
    await withTerminal(
      table({ ...props, model: model(rows.slice(0, 10)), selectedKey: 'pod/5' }),
      { columns: 100, rows: 10 },
      async (t) => {
        await t.waitForFrame((text) => /ztunnel-5 /.test(selectedLine(text) ?? ''));
        t.rerender(table({ ...props, model: model(rows) }));
        const before = await t.waitForFrame((text) => /ztunnel-20 /.test(selectedLine(text) ?? ''));
        const lineBefore = before.split('\n').findIndex((line) => line.startsWith('> '));
        const inserted = [pod(100), pod(101), pod(102), ...rows];
        t.rerender(table({ ...props, model: model(inserted) }));
        const after = await t.waitForFrame((text) => text.includes('ztunnel-17 ') && /ztunnel-20 /.test(selectedLine(text) ?? ''));
        assert.equal(
          after.split('\n').findIndex((line) => line.startsWith('> ')),
          lineBefore,
        );
      },
    );
  });

  it('drops the right columns in a narrow terminal', async () => {
    await withTerminal(
      table({ model: model(pods(3)), width: 56, height: 5, selectedKey: 'pod/0' }),
      { columns: 56, rows: 6 },
      async (t) => {
        const frame = await t.waitForFrame((text) => text.includes('ztunnel-2'));
        const header = frame.split('\n')[0] ?? '';
        assert.deepEqual(header.trim().split(/\s+/), ['CONTEXT', 'NAME', 'READY', 'STATUS', 'AGE']);
      },
    );
  });

  it('reads without colour: tone rows keep their words, indent shows as leading spaces', async () => {
    const rows: Row[] = [
      { key: 'cause', cells: ['FAIL', 'MC-PEER-002', 'peer gateway not programmed'], tone: 'bad' },
      { key: 'symptom', cells: ['WARN', 'MC-LINK-001', 'no endpoints from cluster-east'], tone: 'warn', indent: 1 },
      { key: 'fine', cells: ['PASS', 'MC-NET-001', 'networks labelled'], cellTones: ['ok', undefined, 'muted'] },
    ];
    const columns: ColumnSpec[] = [
      { title: 'RESULT', min: 6 },
      { title: 'CHECK', min: 11 },
      { title: 'MESSAGE', min: 10, grow: 1 },
    ];
    await withTerminal(
      table({ model: model(rows, columns), width: 80, height: 5, selectedKey: 'cause' }),
      { columns: 80, rows: 6 },
      async (t) => {
        const frame = await t.waitForFrame((text) => text.includes('networks labelled'));
        assert.deepEqual(frame.split('\n'), [
          '  RESULT  CHECK        MESSAGE',
          '> FAIL    MC-PEER-002  peer gateway not programmed',
          '    WARN  MC-LINK-001  no endpoints from cluster-east',
          '  PASS    MC-NET-001   networks labelled',
        ]);
      },
    );
  });

  it('writes far less for a one-row change than for the whole frame', async () => {
    const rows = pods(200);
    const props = { width: 100, height: 28, selectedKey: 'pod/3' };
    await withTerminal(table({ ...props, model: model(rows) }), { columns: 100, rows: 30 }, async (t) => {
      await t.waitForFrame((text) => text.includes('ztunnel-26 '));
      const fullFrame = t.bytesWritten();
      const changed = rows.map((row, index) => (index === 12 ? pod(12, 'Error') : row));
      t.rerender(table({ ...props, model: model(changed) }));
      await t.waitForFrame((text) => /ztunnel-12 .*Error/.test(text));
      const update = t.bytesWritten() - fullFrame;
      assert.ok(update < fullFrame / 3, `one-row update wrote ${update} bytes, the full frame ${fullFrame}`);
      assert.equal(t.stats().fullClears, 0);
    });
  });
});

describe('Table and text from the cluster', () => {
  it('keeps a cell with a newline or an escape sequence on one line', async () => {
    const nasty: Row = { key: 'nasty', cells: ['ctx', 'ns', 'line one\nline two\x1b[2J', '0/1', 'Error', '1', '1m', 'node'] };
    await withTerminal(table({ model: model([nasty, pod(2)]), width: 120, height: 5 }), { columns: 120, rows: 6 }, async (t) => {
      const frame = await t.waitForFrame((text) => text.includes('ztunnel-2'));
      assert.equal(frame.split('\n').length, 3);
      assert.match(frame, /line one line two \[2J/);
      assert.ok(!t.output().includes('line two\x1b[2J'), 'the escape sequence never reaches the terminal');
    });
  });
});
