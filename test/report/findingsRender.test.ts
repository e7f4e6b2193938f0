// The --once renderers on snapshots the product's own feeds took of simulated scenarios, with
// findings made by hand (so every grouping and escaping case is present whatever the checks say
// today) and, when the check registry loads, with the real checks' findings.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../checks/types.ts';
import { evaluateChecks } from '../../checks/registry.ts';
import { explain, type Explained } from '../../checks/explanations.ts';
import type { MeshSnapshot } from '../../src/store/types.ts';
import { buildOnceReport, type ReportOptions } from '../../src/report/findingsReport.ts';
import { renderFindingsText } from '../../src/report/findingsText.ts';
import { renderFindingsMarkdown } from '../../src/report/findingsMarkdown.ts';
import { renderFindingsJson } from '../../src/report/findingsJson.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import { validateReport } from './reportSchema.ts';

const OPTIONS: ReportOptions = {
  precheck: false,
  istioNamespace: 'istio-system',
  since: null,
  timeoutSeconds: 30,
  demoScenario: 'network-mismatch',
};
const ESC = '\u001b';

function finding(partial: Partial<Finding> & Pick<Finding, 'check' | 'severity'> & { context: string }): Finding {
  const { context, ...rest } = partial;
  return {
    title: `${partial.check} title`,
    contexts: [context],
    subject: { context, kind: 'Namespace', name: 'istio-system' },
    message: `${partial.check} message`,
    evidence: [],
    ...rest,
  };
}

/** Deliberately out of order: the report must sort and group them. */
function handMadeFindings(): Finding[] {
  return [
    finding({ check: 'MC-ENV-001', severity: 'pass', context: 'cluster-east' }),
    finding({
      check: 'MC-LOG-001',
      severity: 'warn',
      context: 'cluster-west',
      symptomOf: { kind: 'log:network-identity-mismatch' },
      message: 'passthrough to 240.240.0.3 ×18',
    }),
    finding({
      check: 'MC-XDS-001',
      severity: 'warn',
      context: 'cluster-east',
      symptomOf: { kind: 'peer-disconnected' },
      message: 'cause did not fire',
    }),
    finding({
      check: 'MC-PEER-001',
      severity: 'fail',
      context: 'cluster-east',
      // Any kind MC-NET-001 explains: the grouping is under test here, not the table.
      symptomOf: { kind: 'log:network-identity-mismatch' },
      subject: { context: 'cluster-east', kind: 'Gateway', namespace: 'istio-eastwest', name: 'istio-remote-peer-west' },
      message: 'remote peer gateway not programmed',
    }),
    finding({
      check: 'MC-NET-001',
      severity: 'fail',
      context: 'cluster-west',
      contexts: ['cluster-west', 'cluster-east'],
      message: `network label "west-nett" | does not match \`west-net\`${ESC}[31m red${ESC}[0m\nsecond line`,
      evidence: [
        { context: 'cluster-west', where: 'Namespace istio-system .metadata.labels["topology.istio.io/network"]', value: 'west-nett|x`y' },
      ],
      remediation: {
        summary: 'Label the namespace with the network the peers expect.',
        commands: [
          'kubectl --context cluster-west label namespace istio-system topology.istio.io/network=west-net --overwrite',
          "kubectl --context cluster-west -n istio-system logs daemonset/ztunnel | grep -E '240\\.240\\.'",
        ],
        actionId: 'relabel-network',
      },
    }),
    finding({ check: 'MC-ENV-001', severity: 'pass', context: 'cluster-west' }),
  ];
}

function explained(findings: Finding[]): Explained {
  return explain(findings, { precheck: false });
}

/** Every Markdown table keeps its column count on every row: an unescaped `|` in a value would break it. */
function tableColumnCounts(markdown: string): number[][] {
  const tables: number[][] = [];
  let current: number[] | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      current ??= [];
      current.push(line.replace(/\\\|/g, '').split('|').length);
    } else if (current !== undefined) {
      tables.push(current);
      current = undefined;
    }
  }
  return tables;
}

describe('--once report renderers on the network-mismatch scenario', () => {
  let scenario: ScenarioSnapshot;
  before(async () => {
    scenario = await snapshotOfScenario('network-mismatch');
  });
  after(async () => {
    await scenario.stop();
  });

  it('orders root causes first, each followed by the symptoms it explains, passes last', () => {
    const report = buildOnceReport({
      snapshot: scenario.snapshot,
      findings: explained(handMadeFindings()),
      toolVersion: '9.9.9',
      options: OPTIONS,
    });
    assert.deepEqual(
      report.findings.map((f) => `${f.role} ${f.check} ${f.contexts[0] ?? ''}`),
      [
        'root MC-NET-001 cluster-west',
        'symptom MC-PEER-001 cluster-east',
        'symptom MC-LOG-001 cluster-west',
        'root MC-XDS-001 cluster-east',
        'pass MC-ENV-001 cluster-east',
        'pass MC-ENV-001 cluster-west',
      ],
    );
    assert.equal(report.summary.exitCode, 1);
    assert.deepEqual([report.summary.fail, report.summary.warn, report.summary.pass], [2, 2, 2]);
  });

  it('prints text with the header, contexts, grouped problems, commands and the summary line', () => {
    const report = buildOnceReport({
      snapshot: scenario.snapshot,
      findings: explained(handMadeFindings()),
      toolVersion: '9.9.9',
      options: OPTIONS,
    });
    const text = renderFindingsText(report);
    const lines = text.split('\n');
    assert.match(lines[0] ?? '', /^mesh-tui 9\.9\.9 — multicluster checks at \d{4}-\d\d-\d\dT/);
    assert.ok(
      lines.some((l) => /^cluster-east\s+east\s+ready$/.test(l)),
      text,
    );
    assert.ok(
      lines.some((l) => /^cluster-west\s+west\s+ready$/.test(l)),
      text,
    );
    const root = lines.findIndex((l) => l.startsWith('FAIL    MC-NET-001'));
    const symptom = lines.findIndex((l) => l.startsWith('    FAIL    MC-PEER-001'));
    const orphan = lines.findIndex((l) => l.startsWith('WARN    MC-XDS-001'));
    assert.ok(root >= 0 && symptom > root && orphan > symptom, text);
    assert.ok(
      lines.includes(
        '          $ kubectl --context cluster-west label namespace istio-system topology.istio.io/network=west-net --overwrite',
      ),
      text,
    );
    assert.ok(lines.includes('          guided action: relabel-network'), text);
    assert.match(text, /Log signatures:\n {2}cluster-west: \d+× Destination in 240\.240\.0\.0\/16 \[MC-NET-001\]/);
    assert.equal(lines.at(-2), 'FAIL: 2 failed, 2 warnings, 0 unknown, 0 info, 2 passed; 2/2 contexts read (exit 1)');
    assert.ok(!text.includes(ESC), 'no terminal escape reaches the output');
    assert.match(text, /\\x1b\[31m red\\x1b\[0m⏎second line/);
  });

  it('prints Markdown that pastes cleanly: tables per context, commands in code spans, no escapes', () => {
    const report = buildOnceReport({
      snapshot: scenario.snapshot,
      findings: explained(handMadeFindings()),
      toolVersion: '9.9.9',
      options: OPTIONS,
    });
    const md = renderFindingsMarkdown(report);
    assert.ok(!md.includes(ESC));
    assert.match(md, /^# mesh-tui report — FAIL: 2 failed/);
    assert.match(
      md,
      /\n\| Context \| Cluster \| Status \|\n\| --- \| --- \| --- \|\n\| `cluster-east` \| `east` \| ready \|\n\| `cluster-west` \| `west` \| ready \|\n/,
    );
    assert.match(md, /\n### `cluster-east`\n\n\| Severity \| Check \| Subject \| Message \|\n/);
    assert.match(md, /\n### `cluster-west`\n\nLog signatures:\n\n- \d+× Destination in 240\.240\.0\.0\/16 \(`MC-NET-001`\)/);
    assert.ok(
      md.includes('\n- `kubectl --context cluster-west label namespace istio-system topology.istio.io/network=west-net --overwrite`\n'),
      md,
    );
    assert.ok(md.includes('- Guided action: `relabel-network`'));
    // Outside tables a command is shown exactly as it must be typed: no escaped pipe.
    assert.ok(md.includes("\n- `kubectl --context cluster-west -n istio-system logs daemonset/ztunnel | grep -E '240\\.240\\.'`\n"), md);
    // A value holding a backtick gets a longer fence; a pipe inside a table cell is escaped.
    assert.ok(md.includes('``west-nett\\|x`y``'), md);
    const tables = tableColumnCounts(md);
    assert.ok(tables.length >= 4);
    for (const rows of tables) assert.equal(new Set(rows).size, 1, `every row of a table has the same columns: ${JSON.stringify(rows)}`);
    const symptomHeading = md.indexOf('#### FAIL `MC-PEER-001`');
    assert.ok(md.indexOf('### FAIL `MC-NET-001`') < symptomHeading && symptomHeading > 0);
    assert.ok(md.trimEnd().endsWith('**FAIL: 2 failed, 2 warnings, 0 unknown, 0 info, 2 passed; 2/2 contexts read (exit 1)**'));
  });

  it('prints JSON that validates against the documented schema and round-trips the report', () => {
    const report = buildOnceReport({
      snapshot: scenario.snapshot,
      findings: explained(handMadeFindings()),
      toolVersion: '9.9.9',
      options: OPTIONS,
    });
    const parsed: unknown = JSON.parse(renderFindingsJson(report));
    assert.deepEqual(validateReport(parsed), []);
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(report)));
  });

  it('text and Markdown print the first evidence rows and count the rest; JSON keeps every one', () => {
    const many = finding({
      check: 'MC-LOG-001',
      severity: 'unknown',
      context: 'cluster-west',
      evidence: Array.from({ length: 484 }, (_, i) => ({
        context: 'cluster-west',
        where: `log istio-system/ztunnel-${i}`,
        value: 'notFollowed',
      })),
    });
    const report = buildOnceReport({ snapshot: scenario.snapshot, findings: explained([many]), toolVersion: '9.9.9', options: OPTIONS });
    const text = renderFindingsText(report);
    assert.equal(text.match(/evidence: \[cluster-west\] log /g)?.length, 10);
    assert.match(text, /ztunnel-9 = notFollowed\n\s+evidence: … and 474 more \(-o json lists every one\)\n/);
    const md = renderFindingsMarkdown(report);
    assert.equal(md.match(/\| `log istio-system\/ztunnel-/g)?.length, 10);
    assert.match(md, /\| … \| 474 more \| `-o json` lists every one \|/);
    const json = JSON.parse(renderFindingsJson(report)) as { findings: { evidence: unknown[] }[] };
    assert.equal(json.findings[0]?.evidence.length, 484);
  });

  it('the schema check rejects a report that breaks the documented rules', () => {
    const report = buildOnceReport({
      snapshot: scenario.snapshot,
      findings: explained(handMadeFindings()),
      toolVersion: '9.9.9',
      options: OPTIONS,
    });
    const broken = JSON.parse(renderFindingsJson(report)) as { findings: unknown[]; summary: { exitCode: number } };
    broken.findings.reverse();
    broken.summary.exitCode = 0;
    const problems = validateReport(broken);
    assert.ok(
      problems.some((p) => p.includes('a problem must not follow a pass')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('$.summary.exitCode')),
      problems.join('\n'),
    );
  });

  it('says a context that did not answer in time timed out, exits 3 when nothing failed, and prints the others', () => {
    const s = scenario.snapshot;
    const west = Object.values(s.contexts).find((c) => c.context === 'cluster-west');
    assert.ok(west);
    const stuck: MeshSnapshot = {
      ...s,
      contexts: { ...s.contexts, [west.context]: { ...west, status: { ...west.status, phase: 'connecting', reasons: [] } } },
    };
    const report = buildOnceReport({
      snapshot: stuck,
      findings: explained([finding({ check: 'MC-ENV-001', severity: 'pass', context: 'cluster-east' })]),
      toolVersion: '9.9.9',
      options: { ...OPTIONS, timeoutSeconds: 7 },
    });
    assert.deepEqual(
      report.contexts.map((c) => `${c.context} ${c.status} ${c.detail}`),
      ['cluster-east ready ready', 'cluster-west timedOut timed out after 7s: still connecting'],
    );
    assert.equal(report.summary.exitCode, 3);
    assert.ok(report.notes.includes('cluster-west did not answer within 7s; its findings are incomplete'));
    assert.deepEqual(validateReport(JSON.parse(renderFindingsJson(report))), []);
    assert.match(renderFindingsText(report), /\ncluster-west\s+west\s+timed out after 7s: still connecting\n/);
  });

  it('names an unusable kubeconfig context invalid, once, whether or not the feeds carried it', () => {
    const report = buildOnceReport({
      snapshot: scenario.snapshot,
      findings: explained([finding({ check: 'MC-ENV-001', severity: 'pass', context: 'cluster-east' })]),
      toolVersion: '1',
      options: OPTIONS,
      invalidContexts: [
        { context: 'cluster-west', reason: 'refers to cluster "nowhere"' },
        { context: 'ghost', reason: 'refers to user "nobody"' },
      ],
    });
    assert.deepEqual(
      report.contexts.map((c) => `${c.context} ${c.status} ${c.detail}`),
      [
        'cluster-east ready ready',
        'cluster-west invalid invalid: refers to cluster "nowhere"',
        'ghost invalid invalid: refers to user "nobody"',
      ],
    );
    assert.equal(report.summary.exitCode, 3);
    assert.deepEqual(validateReport(JSON.parse(renderFindingsJson(report))), []);
  });

  it('exit code: unknown without failure is 3, no findings is 3 (never "all passed"), missing checks say so', () => {
    const s = scenario.snapshot;
    const build = (findings: Finding[] | null): ReturnType<typeof buildOnceReport> =>
      buildOnceReport({ snapshot: s, findings: findings && explained(findings), toolVersion: '1', options: OPTIONS });
    assert.equal(build([finding({ check: 'MC-ACCESS-001', severity: 'unknown', context: 'cluster-east' })]).summary.exitCode, 3);
    assert.equal(build([finding({ check: 'MC-ACCESS-001', severity: 'warn', context: 'cluster-east' })]).summary.exitCode, 0);
    assert.equal(build([]).summary.exitCode, 3);
    const missing = build(null);
    assert.equal(missing.summary.exitCode, 3);
    assert.match(
      renderFindingsText(missing),
      /note: the multicluster checks are not available in this build: nothing was evaluated\n[\s\S]*No findings: nothing was evaluated\./,
    );
  });

  it("renders the real checks' findings in every format", () => {
    const findings = evaluateChecks(scenario.snapshot, { precheck: false, istioNamespace: 'istio-system' });
    const report = buildOnceReport({ snapshot: scenario.snapshot, findings, toolVersion: '9.9.9', options: OPTIONS });
    assert.deepEqual(validateReport(JSON.parse(renderFindingsJson(report))), []);
    assert.ok(!renderFindingsText(report).includes(ESC));
    const md = renderFindingsMarkdown(report);
    for (const rows of tableColumnCounts(md)) assert.equal(new Set(rows).size, 1);
    assert.equal(report.summary.total, findings.findings.length);
  });
});

describe('--once report on the healthy scenario', () => {
  let scenario: ScenarioSnapshot;
  before(async () => {
    scenario = await snapshotOfScenario('healthy');
  });
  after(async () => {
    await scenario.stop();
  });

  it('all passing findings: no problems, exit 0, no log signatures', () => {
    const findings = ['cluster-east', 'cluster-west'].map((c) => finding({ check: 'MC-POD-001', severity: 'pass', context: c }));
    const report = buildOnceReport({
      snapshot: scenario.snapshot,
      findings: explained(findings),
      toolVersion: '9.9.9',
      options: { ...OPTIONS, demoScenario: 'healthy' },
    });
    assert.equal(report.summary.exitCode, 0);
    assert.deepEqual(
      report.contexts.map((c) => [c.status, c.logSignatures.length]),
      [
        ['ready', 0],
        ['ready', 0],
      ],
    );
    const text = renderFindingsText(report);
    // Passed rows carry the verdict, as istioctl's ✅ lines do.
    const passed = findings[0]?.message ?? '';
    assert.ok(
      text.includes(`\nNo problems found.\n\nPassed:\n  CHECK        CONTEXT        RESULT\n  MC-POD-001   cluster-east   ${passed}\n`),
      text,
    );
    assert.ok(text.endsWith('OK: 0 failed, 0 warnings, 0 unknown, 0 info, 2 passed; 2/2 contexts read (exit 0)\n'));
    assert.match(renderFindingsMarkdown(report), /## Problems\n\nNo problems found\.\n/);
    assert.deepEqual(validateReport(JSON.parse(renderFindingsJson(report))), []);
  });
});
