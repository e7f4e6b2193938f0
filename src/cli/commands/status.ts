// `mesh-tui status`: start the live feeds for the selected contexts, wait until every context
// has settled (or the timeout), fetch istiod's facts once, and print what could and could not
// be read. Exit 0 when every context is ready and every fact known, 3 otherwise.
import { LiveMesh } from '../../feeds/liveMesh.ts';
import { toSnapshot } from '../../store/snapshot.ts';
import { settleOnce } from '../../feeds/settle.ts';
import { summarizeFeeds, renderFeedStatusText, type FeedStatusReport } from '../../report/feedStatus.ts';
import { printable } from '../../report/findingsPrintable.ts';
import type { KubeconfigError } from '../../kube/kubeconfigError.ts';
import { EXIT, UsageError, type ExitCode } from '../exitCodes.ts';
import { oneShotDeadline, stopWithinGrace } from '../deadline.ts';
import { selectKubeconfig, seconds, str, type OptionValues } from '../kubeconfigSelection.ts';

export async function runStatus(values: OptionValues): Promise<ExitCode> {
  const output = str(values.output) ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`status: --output must be text or json (got "${output}")`);
  const { settleBy, pluginsBy } = oneShotDeadline(seconds(values, 'timeout', 30));
  const kubeconfig = selectKubeconfig(values);
  for (const skipped of kubeconfig.skippedFiles) process.stderr.write(`mesh-tui: KUBECONFIG entry ${skipped} does not exist; skipped\n`);

  const istioNamespace = str(values['istio-namespace']);
  // What each context can and cannot read, once: lists and bounded log reads, like `--once`.
  const mesh = new LiveMesh({
    kubeconfig,
    snapshot: true,
    deadline: settleBy,
    client: { execDeadline: pluginsBy },
    ...(istioNamespace !== undefined ? { istioNamespace } : {}),
  });
  mesh.start();
  let report: FeedStatusReport;
  try {
    await settleOnce(mesh, settleBy);
    report = withInvalidContexts(summarizeFeeds(toSnapshot(mesh.store.getState())), kubeconfig.invalidContexts);
  } finally {
    await stopWithinGrace(mesh.stop());
  }
  // Statuses and errors quote servers and plugins: no terminal escapes get through.
  process.stdout.write(
    output === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderFeedStatusText(report).split('\n').map(printable).join('\n'),
  );
  const allRead = report.contexts.every((c) => c.status === 'ready' && c.facts.every((f) => f.state === 'known'));
  return allRead ? EXIT.ok : EXIT.unknown;
}

/**
 * A context whose kubeconfig entry cannot be used is `invalid`, as `--once` says, not
 * `unreachable`: no network was tried, and the fix is in the file.
 */
function withInvalidContexts(report: FeedStatusReport, invalid: readonly KubeconfigError[]): FeedStatusReport {
  const reasons = new Map(invalid.map((e) => [e.context ?? e.entry?.name ?? '<unnamed>', e.message]));
  const contexts = report.contexts.map((c) => {
    const reason = reasons.get(c.context);
    return reason === undefined ? c : { ...c, status: `invalid: ${reason}` };
  });
  for (const [context, reason] of reasons) {
    if (contexts.some((c) => c.context === context)) continue;
    contexts.push({
      context,
      clusterId: null,
      status: `invalid: ${reason}`,
      resources: [],
      facts: [],
      proxies: 0,
      logStreams: [],
      logSignatures: [],
    });
  }
  return { ...report, contexts };
}
