// The detail of one finding: what it says, where (contexts, subject), the evidence a user can
// re-read with kubectl, the remediation (summary, exact commands, the guided action), and how it
// sits in the explanation: which finding explains it, which symptoms it explains.
import type { DetailModel } from '../types.ts';
import { severityTone } from '../types.ts';
import type { Evaluation } from '../../../checks/evaluate.ts';
import type { Finding } from '../../../checks/types.ts';
import { subjectText } from '../../report/findingsReport.ts';
import { findingsByKey } from '../findingKey.ts';
import { actionText } from '../rows/overviewRows.ts';
import { line, note, section } from './lines.ts';

function oneLine(f: Finding): string {
  return `${f.severity} ${f.check} [${f.subject.context}] ${subjectText(f)}: ${f.message}`;
}

export function findingDetail(key: string, evaluation: Evaluation | undefined, readOnly: boolean): DetailModel {
  const finding = evaluation !== undefined ? findingsByKey(evaluation.findings).get(key) : undefined;
  if (evaluation === undefined || finding === undefined) {
    return {
      title: 'Finding',
      sections: [
        section('Gone', [
          note(evaluation === undefined ? 'the checks have not run yet' : 'the checks no longer report this finding: it is resolved', 'ok'),
        ]),
      ],
    };
  }
  const cause = evaluation.causeOf.get(finding);
  const symptoms = [...evaluation.causeOf].filter(([, c]) => c === finding).map(([s]) => s);
  const remediation = finding.remediation;
  return {
    title: `${finding.check} ${finding.severity}: ${finding.title}`,
    sections: [
      section('Finding', [
        line('severity', finding.severity, severityTone(finding.severity)),
        line('check', `${finding.check} ${finding.title}`),
        line('contexts', finding.contexts.join(', ')),
        line('subject', `${subjectText(finding)} in ${finding.subject.context}`),
        note(finding.message),
      ]),
      section(
        'Evidence',
        // Where a value was read is as long as a kubectl path: it reads whole, as free text, not as a cut label.
        finding.evidence.map((e) => note(`[${e.context}] ${e.where} = ${e.value}`)),
        'no evidence fields (the message says what was read)',
      ),
      section(
        'Remediation',
        remediation === undefined
          ? []
          : [
              note(remediation.summary),
              ...remediation.commands.map((c) => line('$', c, 'accent')),
              ...(actionText(remediation.actionId, readOnly) !== '' ? [line('action', actionText(remediation.actionId, readOnly))] : []),
            ],
        'nothing to do',
      ),
      section(
        'Explanation',
        [
          ...(cause !== undefined ? [line('explained by', oneLine(cause), severityTone(cause.severity))] : []),
          ...(finding.explainedBy !== undefined && cause === undefined ? [line('explained by', finding.explainedBy)] : []),
          ...symptoms.map((s) => line('explains', oneLine(s), severityTone(s.severity))),
        ],
        'a root cause: nothing explains it, and it explains no other finding',
      ),
    ],
  };
}
