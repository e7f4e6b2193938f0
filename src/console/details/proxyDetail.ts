// The detail of one proxy-status row: every xDS type it subscribes to with its status in
// istioctl's words (SYNCED, NOT SENT, STALE (Never Acknowledged), ERROR: the NACK), and when it
// was last sent. A proxy on two istiod replicas shows both.
import type { DetailModel, DetailSection, Tone } from '../types.ts';
import { typeStatusLabel, type ProxyStatusRow, type TypeSync } from '../../mesh/syncz.ts';
import { line, note, section } from './lines.ts';

function typeTone(t: TypeSync): Tone {
  if (t.status === 'SYNCED') return 'ok';
  if (t.status === 'STALE' || t.status === 'ERROR') return 'bad';
  return t.status === 'NOT_SENT' ? 'warn' : 'muted';
}

function rowSections(row: ProxyStatusRow): DetailSection[] {
  return [
    section(`Proxy on ${row.istiod}`, [
      line('name', row.name),
      line('cluster', row.cluster),
      line('istiod', row.istiod),
      line('version', row.version),
      ...(row.proxyType !== undefined ? [line('type', row.proxyType)] : []),
    ]),
    section(
      'Types',
      row.types.map((t) =>
        line(
          t.short === t.typeUrl ? t.typeUrl : `${t.short}`,
          `${typeStatusLabel(t)}${t.lastUpdated !== undefined ? `, sent ${t.lastUpdated}` : ''}`,
          typeTone(t),
        ),
      ),
      'subscribes to nothing',
    ),
  ];
}

export function proxyDetail(context: string, name: string, rows: readonly ProxyStatusRow[]): DetailModel {
  const mine = rows.filter((r) => r.name === name);
  const title = `${name} (${context})`;
  if (mine.length === 0) {
    return { title, sections: [section('Not in proxy-status', [note('no istiod of this context reports this proxy now', 'warn')])] };
  }
  return { title, sections: mine.flatMap(rowSections) };
}
