// One simulated cluster: its object store, its HTTPS API server, what its pods serve (logs,
// port-forward to istiod's debug port) and its faults, wired together. Nothing here knows
// about YAML or checks: it takes a GeneratedCluster and serves it.
import { ObjectStore } from './api/objectStore.ts';
import { ResourceRegistry, RESOURCE_TYPES } from './api/resources.ts';
import { SimApiServer } from './api/server.ts';
import { FaultController } from './api/faults.ts';
import { PodServices } from './pod/podServices.ts';
import { systemClock, type PodClock } from './pod/clock.ts';
import type { LogBuffer } from './pod/logBuffer.ts';
import type { ContainerRestart } from './pod/logs.ts';
import { issueServingPair } from './pki.ts';
import type { KubeObject } from './api/types.ts';
import type { ClusterView, GeneratedCluster, PodLogScript, SimUser } from './scenario/model.ts';

export interface SimClusterOptions {
  bookmarkIntervalMs?: number;
  /** Looks up the other clusters of the same run, for views that span a peering pair. */
  peers: (context: string) => SimCluster | undefined;
  /** Drives live log lines (and the timeline); tests pass one they advance by hand. */
  clock?: PodClock;
}

export class SimCluster implements ClusterView {
  readonly context: string;
  readonly spec: GeneratedCluster;
  readonly registry: ResourceRegistry;
  readonly store: ObjectStore;
  readonly faults: FaultController;
  readonly caPem: string;
  readonly clock: PodClock;
  private readonly server: SimApiServer;
  private readonly pods: PodServices;
  private readonly peers: SimClusterOptions['peers'];

  constructor(spec: GeneratedCluster, options: SimClusterOptions) {
    this.context = spec.context;
    this.spec = spec;
    this.peers = options.peers;
    this.registry = new ResourceRegistry(RESOURCE_TYPES, spec.crdsMissing);
    this.store = new ObjectStore(this.registry);
    this.store.seed(spec.objects);
    const { ca, serving } = issueServingPair(spec.context);
    this.caPem = ca.certPem;
    this.clock = options.clock ?? systemClock;
    this.pods = new PodServices({ scripts: spec.logs, istiodDebug: spec.istiodDebug, view: this, clock: this.clock });
    this.faults = new FaultController();
    this.server = new SimApiServer({
      name: spec.context,
      tls: { certPem: serving.certPem, keyPem: serving.keyPem },
      registry: this.registry,
      store: this.store,
      users: spec.users,
      faults: this.faults,
      ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
      pods: {
        log: (req, res, pod, query) => this.pods.log(req, res, pod, query),
        portForward: (req, socket, head, pod, query) => this.pods.portForward(req, socket, head, pod, query),
      },
    });
  }

  async start(): Promise<void> {
    await this.server.listen(0);
    this.faults.applySpecs(this.spec.faults);
  }

  async stop(): Promise<void> {
    this.faults.dispose();
    this.pods.close();
    await this.server.close();
  }

  get url(): string {
    return this.server.url;
  }

  /** TLS connections its API server accepted, how many spoke HTTP/2, how many were upgrades. */
  get acceptedConnections(): { tls: number; h2: number; upgrades: number } {
    return this.server.acceptedConnections;
  }

  /** The user the generated kubeconfig logs in as (the scenario may pick a restricted one). */
  kubeconfigUser(): SimUser {
    const wanted = this.spec.kubeconfigUser ?? 'admin';
    const user = this.spec.users.find((u) => u.name === wanted);
    if (!user) throw new Error(`cluster ${this.context}: kubeconfig user "${wanted}" is not among its users`);
    return user;
  }

  /** The scenario's other kubeconfig contexts for this cluster, with their users. */
  extraContexts(): { context: string; user: SimUser }[] {
    return (this.spec.extraContexts ?? []).map((extra) => {
      const user = this.user(extra.user);
      if (!user) throw new Error(`cluster ${this.context}: extra context ${extra.context}'s user "${extra.user}" is not among its users`);
      return { context: extra.context, user };
    });
  }

  user(name: string): SimUser | undefined {
    return this.spec.users.find((u) => u.name === name);
  }

  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    const rt = this.registry.byKind(apiVersion, kind);
    if (!rt) return [];
    return this.store.list(rt, namespace !== undefined ? { namespace } : {}).items;
  }

  /** What the kubelet holds for one container's log (lines, and `append` to write one). */
  podLog(namespace: string, pod: string, container: string): LogBuffer | undefined {
    return this.pods.containerLog(namespace, pod, container);
  }

  /** The script one container's log was made from (a replacement pod logs like the pod it replaces). */
  podLogScript(namespace: string, pod: string, container: string): PodLogScript | undefined {
    return this.pods.logScript(namespace, pod, container);
  }

  /** Log lines for a pod created while running. */
  addPodLog(script: PodLogScript): void {
    this.pods.addScript(script);
  }

  /** One line written now by a running container; false when it has no log. */
  appendPodLog(namespace: string, pod: string, container: string, text: string): boolean {
    return this.pods.appendLog(namespace, pod, container, text);
  }

  /** The pod is gone: its log follows end. */
  endPodLogs(namespace: string, pod: string): void {
    this.pods.endPodLogs(namespace, pod);
  }

  /** A container restarted: its log becomes `--previous` and a new one begins. */
  restartContainerLog(namespace: string, pod: string, container: string, how: ContainerRestart): boolean {
    return this.pods.restartContainer(namespace, pod, container, how);
  }

  peer(context: string): ClusterView | undefined {
    return this.peers(context);
  }
}
