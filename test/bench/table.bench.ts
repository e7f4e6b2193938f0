// Why the console has its own Table: a live 1,000-row pane at 100×30 where one row's status
// flips per update (50 updates), drawn by our windowed Table and by @alcalzone/ink-table (the
// ES-module fork of ink-table; ink-table 3.1.0 itself cannot load under Ink 8). Both render
// through Ink 8 with the options the console ships (interactive, alternate screen, incremental
// rendering) into a fake 100×30 TTY. Per update: wall time from rerender() until Ink has written
// the frame (React, layout, paint, the write), bytes written, and whether Ink fell back to a
// full-screen redraw; plus the frame's height against the terminal's 30 rows.
// The flipped rows are among the first 29, inside our table's window, so both tables must redraw.
// CPU time is reported beside wall time: on a shared, loaded machine wall time mostly measures
// the queue for a core. React's development build (NODE_ENV unset) costs several times its
// production build, so run `NODE_ENV=production npm run bench -- table` for the shipped figures.
// BENCH_TABLE_UPDATES sets the number of updates (default 50); @alcalzone/ink-table gets
// BENCH_INK_TABLE_UPDATES (default 8): each of its updates costs about two seconds, and eight
// already show the same figure every time.
import { performance } from 'node:perf_hooks';
import React from 'react';
import { Box, renderToString } from 'ink';
import { Table as InkTable } from '@alcalzone/ink-table';
import { Table } from '../../screens/components/Table.ts';
import type { Row, TableModel } from '../../src/console/types.ts';
import { renderTerminal } from '../helpers/inkHarness.ts';
import { POD_COLUMNS } from '../helpers/screenFixtures.ts';
import { spread, type Bench, type BenchRow } from './benchRow.ts';

const h = React.createElement;
const ROWS = 1000;
const UPDATES = Number(process.env.BENCH_TABLE_UPDATES ?? '50');
const INK_TABLE_UPDATES = Number(process.env.BENCH_INK_TABLE_UPDATES ?? '8');
const COLUMNS = 100;
const TERMINAL_ROWS = 30;

const TITLES = POD_COLUMNS.map((column) => column.title);

function podCells(index: number, status: string): string[] {
  const context = `cluster-${['west', 'east', 'north'][index % 3] ?? 'west'}`;
  return [
    context,
    'istio-system',
    `ztunnel-${String(index).padStart(4, '0')}`,
    '1/1',
    status,
    String(index % 5),
    '3d',
    `worker-${index % 40}`,
  ];
}

/** The pane's state after `update` updates: the flipped row alternates Running / CrashLoopBackOff. */
function statuses(update: number): Map<number, string> {
  const flipped = new Map<number, string>();
  for (let u = 0; u < update; u += 1) {
    const index = (u * 7) % (TERMINAL_ROWS - 1);
    flipped.set(index, flipped.get(index) === 'CrashLoopBackOff' ? 'Running' : 'CrashLoopBackOff');
  }
  return flipped;
}

function cellsAt(update: number): string[][] {
  const flipped = statuses(update);
  return Array.from({ length: ROWS }, (_, index) => podCells(index, flipped.get(index) ?? 'Running'));
}

function ourTable(update: number): React.ReactElement {
  const rows: Row[] = cellsAt(update).map((cells, index) => ({
    key: `pod/${index}`,
    cells,
    tone: cells[4] === 'Running' ? 'ok' : 'bad',
  }));
  const model: TableModel = { columns: POD_COLUMNS, rows, empty: 'no pods' };
  return h(
    Box,
    { flexDirection: 'column', height: TERMINAL_ROWS },
    h(Table, { model, width: COLUMNS, height: TERMINAL_ROWS, selectedKey: 'pod/0' }),
  );
}

function inkTable(update: number): React.ReactElement {
  const data = cellsAt(update).map((cells) => Object.fromEntries(TITLES.map((title, i) => [title, cells[i] ?? ''])));
  return h(InkTableComponent, { data });
}

// Its class typings predate @types/react 19 (generic `keyof T` columns no longer match): typed by what we pass.
const InkTableComponent = InkTable as unknown as React.ComponentType<{ data: Record<string, string>[] }>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(name: string, element: (update: number) => React.ReactElement, updates: number): Promise<BenchRow[]> {
  const frameHeight = renderToString(element(0), { columns: COLUMNS }).split('\n').length;
  const terminal = renderTerminal(element(0), { columns: COLUMNS, rows: TERMINAL_ROWS, emulate: false, maxFps: 1000 });
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const bytes: number[] = [];
  try {
    await terminal.waitForFrame(() => terminal.bytesWritten() > 0, 60_000);
    const firstFrame = terminal.bytesWritten();
    const redrawsBefore = terminal.fullRedraws();
    for (let update = 1; update <= updates; update += 1) {
      // Past Ink's render throttle, so each update is drawn on its own and at once.
      await sleep(5);
      // The pane's new model is built before the clock starts: the table's cost, not the fixture's.
      const next = element(update);
      const before = terminal.bytesWritten();
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      terminal.rerender(next);
      if (terminal.bytesWritten() === before) await terminal.waitForFrame(() => terminal.bytesWritten() > before, 60_000);
      const cpu = process.cpuUsage(cpuStarted);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      times.push(performance.now() - started);
      bytes.push(terminal.bytesWritten() - before);
    }
    const redraws = terminal.fullRedraws() - redrawsBefore;
    const time = spread(times);
    const cpuTime = spread(cpuTimes);
    const size = spread(bytes);
    const env = `NODE_ENV=${process.env.NODE_ENV ?? '(unset: React development build)'}`;
    return [
      {
        name: `table: ${name}, render per update`,
        value: time.median,
        unit: 'ms',
        note: `wall, median of ${updates}, ${time.min.toFixed(1)}–${time.max.toFixed(1)}; ${env}`,
      },
      {
        name: `table: ${name}, render CPU per update`,
        value: cpuTime.median,
        unit: 'ms',
        note: `CPU (user+system), median of ${updates}, ${cpuTime.min.toFixed(1)}–${cpuTime.max.toFixed(1)}`,
      },
      {
        name: `table: ${name}, bytes per update`,
        value: size.median,
        unit: 'bytes',
        note: `median of ${updates}; first frame ${firstFrame}`,
      },
      { name: `table: ${name}, frame height`, value: frameHeight, unit: 'lines', note: `terminal has ${TERMINAL_ROWS} rows` },
      { name: `table: ${name}, full redraws`, value: redraws, unit: 'count', note: `of ${updates} updates` },
    ];
  } finally {
    await terminal.unmount();
  }
}

export const bench: Bench = {
  title: `table: ${ROWS}-row live pane at ${COLUMNS}×${TERMINAL_ROWS}, ${UPDATES} updates (ink-table ${INK_TABLE_UPDATES})`,
  async run() {
    return [
      ...(await measure('ours (windowed)', ourTable, UPDATES)),
      ...(await measure('@alcalzone/ink-table', inkTable, INK_TABLE_UPDATES)),
    ];
  },
};
