// The details of the logs pane: a failure signature (what it means, how often and where it was
// seen, its newest lines, the check that explains it) and one raw line with its parse.
import type { DetailModel } from '../types.ts';
import type { Evaluation } from '../../../checks/evaluate.ts';
import type { LogTailLine } from '../../store/types.ts';
import { SIGNATURES, type SignatureAggregate, type SignatureId } from '../../mesh/logSignatures.ts';
import { parseLogLine, type LogSource } from '../../mesh/ztunnelLog.ts';
import { explainingCheckText } from '../rows/logRows.ts';
import { line, note, section } from './lines.ts';

function definitionOf(signature: string): { title: string; meaning: string } | undefined {
  return signature in SIGNATURES ? SIGNATURES[signature as SignatureId] : undefined;
}

export function signatureDetail(
  signature: string,
  context: string | undefined,
  aggregates: readonly SignatureAggregate[],
  evaluation: Evaluation | undefined,
): DetailModel {
  const def = definitionOf(signature);
  const agg = aggregates.find((a) => a.id === signature);
  const title = `${def?.title ?? signature}${context !== undefined ? ` in ${context}` : ''}`;
  const check = def !== undefined ? explainingCheckText(signature as SignatureId, evaluation?.findings) : undefined;
  const meaning = section('Meaning', [
    note(def?.meaning ?? 'not a known signature'),
    ...(check ? [line('explained by', check.text, check.tone)] : []),
  ]);
  if (agg === undefined)
    return { title, sections: [meaning, section('Seen', [note('not seen (any more) in the followed logs', 'muted')])] };
  return {
    title,
    sections: [
      meaning,
      section('Seen', [
        line('count', String(agg.count)),
        line('first seen', agg.firstSeen),
        line('last seen', agg.lastSeen),
        line('contexts', agg.contexts.join(', ')),
        line('pods', agg.sources.join(', ')),
      ]),
      section(
        'Newest lines',
        agg.examples.map((e) => note(e)),
        'no example kept',
      ),
    ],
  };
}

function sourceKind(pod: string): LogSource | undefined {
  if (pod.includes('ztunnel')) return 'ztunnel';
  if (pod.includes('istiod')) return 'istiod';
  return undefined;
}

export function logLineDetail(key: string, lines: readonly LogTailLine[], evaluation: Evaluation | undefined): DetailModel {
  const found = lines.find((l) => l.key === key);
  if (found === undefined) {
    return { title: 'Log line', sections: [section('Gone', [note('no longer kept: only the newest lines of each context are', 'muted')])] };
  }
  const parsed = parseLogLine(found.text, sourceKind(found.source));
  const def = definitionOf(found.signature);
  const check = explainingCheckText(found.signature, evaluation?.findings);
  const fields = Object.entries(parsed.fields).map(([k, v]) => line(k, v === null ? 'null' : String(v)));
  return {
    title: `${def?.title ?? found.signature} — ${found.source || found.context}`,
    sections: [
      section('Line', [note(found.text)]),
      section('Where', [line('time', found.at), line('context', found.context), line('pod', found.source || '(unknown)')]),
      section('Parsed', [
        line('format', parsed.format),
        line('level', parsed.level ?? found.level),
        line('target', parsed.target),
        ...parsed.spans.map((s) =>
          line(
            `span ${s.name}`,
            Object.entries(s.fields)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(' '),
          ),
        ),
        line('message', parsed.message),
        ...fields,
      ]),
      section('Signature', [
        line('signature', def?.title ?? found.signature),
        note(def?.meaning ?? ''),
        line('explained by', check.text, check.tone),
      ]),
    ],
  };
}
