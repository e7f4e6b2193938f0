// A small validator for the `--once` JSON report, written from docs/report.md (schema version 2)
// rather than from the TypeScript types, so a drift between the code and the documentation shows.
// Returns every problem found as `path: what is wrong`; an empty list means the report is valid.
import { CHECK_IDS } from '../../checks/checkIds.ts';

const SEVERITIES = ['pass', 'info', 'warn', 'fail', 'unknown'];
const ROLES = ['root', 'symptom', 'pass'];
const CONTEXT_STATUSES = ['ready', 'degraded', 'unreachable', 'authFailed', 'timedOut', 'invalid'];
const ACTION_IDS = ['relabel-network', 'delete-stale-workloadentries', 'rerun-checks'];
const CHANGE_OPS = ['setLabel', 'delete', 'helmValue'];

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function validateReport(report: Json): string[] {
  const problems: string[] = [];
  const need = (cond: boolean, path: string, what: string): boolean => {
    if (!cond) problems.push(`${path}: ${what}`);
    return cond;
  };
  const str = (o: Record<string, Json>, key: string, path: string): void =>
    void need(typeof o[key] === 'string', `${path}.${key}`, 'must be a string');
  const strOrNull = (o: Record<string, Json>, key: string, path: string): void =>
    void need(typeof o[key] === 'string' || o[key] === null, `${path}.${key}`, 'must be a string or null');
  const num = (o: Record<string, Json>, key: string, path: string): void =>
    void need(typeof o[key] === 'number' && Number.isInteger(o[key]) && o[key] >= 0, `${path}.${key}`, 'must be a non-negative integer');
  const oneOf = (o: Record<string, Json>, key: string, values: readonly Json[], path: string): void =>
    void need(values.includes(o[key]), `${path}.${key}`, `must be one of ${values.map(String).join(', ')} (got ${JSON.stringify(o[key])})`);
  const time = (o: Record<string, Json>, key: string, path: string): void =>
    void need(typeof o[key] === 'string' && !Number.isNaN(Date.parse(o[key])), `${path}.${key}`, 'must be an RFC 3339 time');
  const noExtra = (o: Record<string, Json>, allowed: string[], path: string): void => {
    for (const k of Object.keys(o)) need(allowed.includes(k), `${path}.${k}`, 'is not in the schema');
  };

  if (!need(isObject(report), '$', 'must be an object') || !isObject(report)) return problems;
  need(report.schemaVersion === 2, '$.schemaVersion', 'must be 2');
  noExtra(report, ['schemaVersion', 'tool', 'generatedAt', 'options', 'contexts', 'findings', 'notes', 'summary'], '$');
  if (need(isObject(report.tool), '$.tool', 'must be an object') && isObject(report.tool)) {
    need(report.tool.name === 'mesh-tui', '$.tool.name', 'must be "mesh-tui"');
    str(report.tool, 'version', '$.tool');
  }
  time(report, 'generatedAt', '$');
  if (need(isObject(report.options), '$.options', 'must be an object') && isObject(report.options)) {
    const o = report.options;
    need(typeof o.precheck === 'boolean', '$.options.precheck', 'must be a boolean');
    str(o, 'istioNamespace', '$.options');
    strOrNull(o, 'since', '$.options');
    need(typeof o.timeoutSeconds === 'number' && o.timeoutSeconds > 0, '$.options.timeoutSeconds', 'must be a positive number');
    strOrNull(o, 'demoScenario', '$.options');
  }

  const contextNames: string[] = [];
  if (need(Array.isArray(report.contexts), '$.contexts', 'must be an array') && Array.isArray(report.contexts)) {
    report.contexts.forEach((c: Json, i) => {
      const path = `$.contexts[${i}]`;
      if (!need(isObject(c), path, 'must be an object') || !isObject(c)) return;
      noExtra(c, ['context', 'clusterId', 'status', 'detail', 'sameClusterAs', 'logSignatures'], path);
      str(c, 'context', path);
      if (typeof c.context === 'string') contextNames.push(c.context);
      strOrNull(c, 'clusterId', path);
      oneOf(c, 'status', CONTEXT_STATUSES, path);
      str(c, 'detail', path);
      need(
        Array.isArray(c.sameClusterAs) && c.sameClusterAs.every((name: Json) => typeof name === 'string'),
        `${path}.sameClusterAs`,
        'must be an array of context names',
      );
      if (need(Array.isArray(c.logSignatures), `${path}.logSignatures`, 'must be an array') && Array.isArray(c.logSignatures)) {
        c.logSignatures.forEach((s: Json, j) => {
          const sp = `${path}.logSignatures[${j}]`;
          if (!need(isObject(s), sp, 'must be an object') || !isObject(s)) return;
          for (const k of ['id', 'check', 'title']) str(s, k, sp);
          num(s, 'count', sp);
          time(s, 'firstSeen', sp);
          time(s, 'lastSeen', sp);
        });
      }
    });
    need([...contextNames].sort((a, b) => a.localeCompare(b)).join() === contextNames.join(), '$.contexts', 'must be sorted by name');
  }

  const findings = Array.isArray(report.findings) ? report.findings : [];
  need(Array.isArray(report.findings), '$.findings', 'must be an array');
  let seenPass = false;
  /** The checks of the current group: its root, then each symptom listed so far. */
  let group: string[] = [];
  findings.forEach((f: Json, i) => {
    const path = `$.findings[${i}]`;
    if (!need(isObject(f), path, 'must be an object') || !isObject(f)) return;
    noExtra(f, ['check', 'title', 'severity', 'role', 'contexts', 'subject', 'message', 'evidence', 'remediation', 'explainedBy'], path);
    oneOf(f, 'check', CHECK_IDS, path);
    str(f, 'title', path);
    oneOf(f, 'severity', SEVERITIES, path);
    oneOf(f, 'role', ROLES, path);
    str(f, 'message', path);
    need(
      Array.isArray(f.contexts) && f.contexts.length > 0 && f.contexts.every((c) => typeof c === 'string'),
      `${path}.contexts`,
      'must be a non-empty array of strings',
    );
    if (need(isObject(f.subject), `${path}.subject`, 'must be an object') && isObject(f.subject)) {
      noExtra(f.subject, ['context', 'kind', 'namespace', 'name'], `${path}.subject`);
      for (const k of ['context', 'kind', 'name']) str(f.subject, k, `${path}.subject`);
      if ('namespace' in f.subject) str(f.subject, 'namespace', `${path}.subject`);
    }
    if (need(Array.isArray(f.evidence), `${path}.evidence`, 'must be an array') && Array.isArray(f.evidence)) {
      f.evidence.forEach((e: Json, j) => {
        const ep = `${path}.evidence[${j}]`;
        if (!need(isObject(e), ep, 'must be an object') || !isObject(e)) return;
        noExtra(e, ['context', 'where', 'value'], ep);
        for (const k of ['context', 'where', 'value']) str(e, k, ep);
      });
    }
    if ('remediation' in f) {
      const r = f.remediation;
      if (need(isObject(r), `${path}.remediation`, 'must be an object') && isObject(r)) {
        noExtra(r, ['summary', 'commands', 'actionId', 'targets'], `${path}.remediation`);
        str(r, 'summary', `${path}.remediation`);
        need(
          Array.isArray(r.commands) && r.commands.every((c) => typeof c === 'string'),
          `${path}.remediation.commands`,
          'must be an array of strings',
        );
        if ('actionId' in r) oneOf(r, 'actionId', ACTION_IDS, `${path}.remediation`);
        if (
          'targets' in r &&
          need(Array.isArray(r.targets), `${path}.remediation.targets`, 'must be an array') &&
          Array.isArray(r.targets)
        ) {
          r.targets.forEach((t: Json, j) => {
            const tp = `${path}.remediation.targets[${j}]`;
            if (!need(isObject(t), tp, 'must be an object') || !isObject(t)) return;
            noExtra(t, ['context', 'apiVersion', 'kind', 'namespace', 'name', 'uid', 'resourceVersion', 'change'], tp);
            for (const k of ['context', 'apiVersion', 'kind', 'name']) str(t, k, tp);
            for (const k of ['namespace', 'uid', 'resourceVersion']) if (k in t) str(t, k, tp);
            if (need(isObject(t.change), `${tp}.change`, 'must be an object') && isObject(t.change))
              oneOf(t.change, 'op', CHANGE_OPS, `${tp}.change`);
          });
        }
      }
    }
    if ('explainedBy' in f) oneOf(f, 'explainedBy', CHECK_IDS, path);
    // The documented invariants: passes last and only passes; symptoms under their root cause.
    need((f.role === 'pass') === (f.severity === 'pass'), path, 'role "pass" exactly when severity is pass');
    if (f.role === 'pass') seenPass = true;
    else need(!seenPass, path, 'a problem must not follow a pass');
    if (f.role === 'root') group = typeof f.check === 'string' ? [f.check] : [];
    if (f.role === 'symptom') {
      need(
        typeof f.explainedBy === 'string' && group.includes(f.explainedBy),
        path,
        'a symptom must follow its root cause, explained by the root or by a symptom before it in the group',
      );
      if (typeof f.check === 'string') group.push(f.check);
    }
  });

  need(Array.isArray(report.notes) && report.notes.every((n) => typeof n === 'string'), '$.notes', 'must be an array of strings');

  if (need(isObject(report.summary), '$.summary', 'must be an object') && isObject(report.summary)) {
    const s = report.summary;
    noExtra(s, ['total', 'pass', 'info', 'warn', 'fail', 'unknown', 'exitCode', 'line'], '$.summary');
    for (const k of ['total', ...SEVERITIES]) num(s, k, '$.summary');
    str(s, 'line', '$.summary');
    oneOf(s, 'exitCode', [0, 1, 3], '$.summary');
    need(s.total === findings.length, '$.summary.total', 'must be the number of findings');
    for (const sev of SEVERITIES) {
      need(
        s[sev] === findings.filter((f) => isObject(f) && f.severity === sev).length,
        `$.summary.${sev}`,
        'must count the findings of that severity',
      );
    }
    const unread = Array.isArray(report.contexts) && report.contexts.some((c) => isObject(c) && c.status !== 'ready');
    const expected = (s.fail as number) > 0 ? 1 : (s.unknown as number) > 0 || unread || findings.length === 0 ? 3 : 0;
    need(s.exitCode === expected, '$.summary.exitCode', `must be ${expected} by the documented rule`);
  }
  return problems;
}
