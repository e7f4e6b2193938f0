// `mesh-tui --once` (and `--demo [NAME] --once`): read every selected context at once, wait
// until each has settled or the timeout, run the multicluster checks on that one snapshot, print
// the report and exit with what it found (0 pass, 1 fail, 3 something not evaluated). A context
// that does not answer in time is reported as timed out; the others are printed regardless.
import { startDemo } from './demo.ts';
import type { MeshSnapshot } from '../../store/types.ts';
import { buildOnceReport, type OnceReport } from '../../report/findingsReport.ts';
import { renderFindingsText } from '../../report/findingsText.ts';
import { renderFindingsMarkdown } from '../../report/findingsMarkdown.ts';
import { renderFindingsJson } from '../../report/findingsJson.ts';
import { parseDuration } from '../args.ts';
import { oneShotDeadline, stopWithinGrace } from '../deadline.ts';
import { EXIT, UsageError, type ExitCode } from '../exitCodes.ts';
import { selectKubeconfig, seconds, str, type OptionValues } from '../kubeconfigSelection.ts';
import { toolVersion } from '../version.ts';

const FORMATS = ['text', 'markdown', 'json', 'scenario'] as const;
type OutputFormat = (typeof FORMATS)[number];

const DEFAULT_DEMO_SCENARIO = 'healthy';
const DEFAULT_ISTIO_NAMESPACE = 'istio-system';

export async function runOnce(values: OptionValues, positionals: string[]): Promise<ExitCode> {
  const output = outputFormat(values);
  const timeoutSeconds = seconds(values, 'timeout', 30);
  const sinceText = str(values.since);
  const sinceSeconds = sinceText !== undefined ? parseDuration('since', sinceText) : undefined;
  const precheck = values.precheck === true;
  const istioNamespace = str(values['istio-namespace']) ?? DEFAULT_ISTIO_NAMESPACE;
  const demo = values.demo === true;
  if (demo && str(values.kubeconfig) !== undefined) throw new UsageError('--demo writes its own kubeconfig; leave out --kubeconfig');
  // Loaded only now: a usage error above is answered without paying for the client, the checks and the simulator.
  const [{ LiveMesh }, { settleOnce }, { toSnapshot }, { evaluateChecks }, { captureScenario }] = await Promise.all([
    import('../../feeds/liveMesh.ts'),
    import('../../feeds/settle.ts'),
    import('../../store/snapshot.ts'),
    import('../../../checks/registry.ts'),
    import('../../report/scenarioCapture.ts'),
  ]);

  const demoScenario = demo ? (positionals[0] ?? DEFAULT_DEMO_SCENARIO) : null;
  const demoRun = demoScenario !== null ? await startDemo(demoScenario, { timeline: 'end' }) : undefined;
  try {
    const kubeconfig = selectKubeconfig(demoRun !== undefined ? { ...values, kubeconfig: demoRun.kubeconfigPath } : values);
    for (const skipped of kubeconfig.skippedFiles) process.stderr.write(`mesh-tui: KUBECONFIG entry ${skipped} does not exist; skipped\n`);
    const { settleBy: deadline, pluginsBy } = oneShotDeadline(timeoutSeconds);
    // One snapshot: lists and bounded log reads, taken the moment every context has settled.
    const mesh = new LiveMesh({
      kubeconfig,
      istioNamespace,
      snapshot: true,
      deadline,
      client: { execDeadline: pluginsBy },
      ...(sinceSeconds !== undefined ? { logs: { follower: { sinceSeconds } } } : {}),
    });
    mesh.start();
    let snapshot: MeshSnapshot;
    try {
      await settleOnce(mesh, deadline);
      snapshot = toSnapshot(mesh.store.getState());
    } finally {
      await stopWithinGrace(mesh.stop());
    }

    if (output === 'scenario') {
      process.stdout.write(captureScenario(snapshot, { name: demoScenario ?? 'captured', toolVersion: toolVersion(), istioNamespace }));
      return EXIT.ok;
    }
    const report = buildOnceReport({
      snapshot,
      findings: evaluateChecks(snapshot, { precheck, istioNamespace }),
      toolVersion: toolVersion(),
      options: { precheck, istioNamespace, since: sinceText ?? null, timeoutSeconds, demoScenario },
      invalidContexts: kubeconfig.invalidContexts.map((e) => ({ context: e.context ?? e.entry?.name ?? '<unnamed>', reason: e.message })),
    });
    process.stdout.write(render(report, output));
    return report.summary.exitCode;
  } finally {
    await demoRun?.stop();
  }
}

function outputFormat(values: OptionValues): OutputFormat {
  const output = str(values.output) ?? 'text';
  const format = FORMATS.find((f) => f === output);
  if (format === undefined) throw new UsageError(`--output must be one of ${FORMATS.join(', ')} (got "${output}")`);
  return format;
}

function render(report: OnceReport, output: Exclude<OutputFormat, 'scenario'>): string {
  if (output === 'json') return renderFindingsJson(report);
  if (output === 'markdown') return renderFindingsMarkdown(report);
  return renderFindingsText(report);
}
