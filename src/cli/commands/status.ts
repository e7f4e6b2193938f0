// `mesh-tui status`: start the live feeds for the selected contexts, wait until every context
// has settled (or the timeout), fetch istiod's facts once, and print what could and could not
// be read. Exit 0 when every context is ready and every fact known, 3 otherwise.
import { LiveMesh } from '../../feeds/liveMesh.ts';
import { toSnapshot } from '../../store/snapshot.ts';
import type { MeshState } from '../../store/types.ts';
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
    await waitUntil(mesh, settled, deadline);
    await withDeadline(mesh.refreshFacts(), deadline);
    mesh.store.flush();
    const report = summarizeFeeds(toSnapshot(mesh.store.getState()));
    process.stdout.write(output === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderFeedStatusText(report));
    const allRead = report.contexts.every((c) => c.status === 'ready' && c.facts.every((f) => f.state === 'known'));
    return allRead ? EXIT.ok : EXIT.unknown;
  } finally {
    await mesh.stop();
  }
}

/** Every context has left `connecting` and none of its watches is still in its first list. */
function settled(state: MeshState): boolean {
  return Object.values(state.contexts).every(
    (ctx) => ctx.status.phase !== 'connecting' && Object.values(ctx.resources).every((r) => r.sync !== 'syncing'),
  );
}

async function waitUntil(mesh: LiveMesh, done: (s: MeshState) => boolean, deadline: number): Promise<void> {
  if (done(mesh.store.getState())) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(finish, Math.max(0, deadline - Date.now()));
    const unsubscribe = mesh.store.api.subscribe((state) => {
      if (done(state)) finish();
    });
    function finish(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

async function withDeadline(work: Promise<void>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
