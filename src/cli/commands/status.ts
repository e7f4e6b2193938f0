// `mesh-tui status`: start the live feeds for the selected contexts, wait until every context
// has settled (or the timeout), fetch istiod's facts once, and print what could and could not
// be read. Exit 0 when every context is ready and every fact known, 3 otherwise.
import { LiveMesh } from '../../feeds/liveMesh.ts';
import { toSnapshot } from '../../store/snapshot.ts';
import { settleOnce } from '../../feeds/settle.ts';
import { summarizeFeeds, renderFeedStatusText } from '../../report/feedStatus.ts';
import { EXIT, UsageError, type ExitCode } from '../exitCodes.ts';
import { selectKubeconfig, seconds, str, type OptionValues } from '../kubeconfigSelection.ts';

export async function runStatus(values: OptionValues): Promise<ExitCode> {
  const output = str(values.output) ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`status: --output must be text or json (got "${output}")`);
  const timeoutMs = seconds(values, 'timeout', 30) * 1000;
  const kubeconfig = selectKubeconfig(values);
  for (const skipped of kubeconfig.skippedFiles) process.stderr.write(`mesh-tui: KUBECONFIG entry ${skipped} does not exist; skipped\n`);

  const istioNamespace = str(values['istio-namespace']);
  const mesh = new LiveMesh({ kubeconfig, ...(istioNamespace !== undefined ? { istioNamespace } : {}) });
  mesh.start();
  try {
    const deadline = Date.now() + timeoutMs;
    await settleOnce(mesh, deadline);
    const report = summarizeFeeds(toSnapshot(mesh.store.getState()));
    process.stdout.write(output === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderFeedStatusText(report));
    const allRead = report.contexts.every((c) => c.status === 'ready' && c.facts.every((f) => f.state === 'known'));
    return allRead ? EXIT.ok : EXIT.unknown;
  } finally {
    await mesh.stop();
  }
}
