// Everything a simulated cluster's pods serve through its API server: container logs and
// port-forward (to istiod's debug port). One instance per simulated cluster.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../api/types.ts';
import type { ClusterView, IstiodDebugSource, PodLogScript } from '../scenario/model.ts';
import { systemClock, type PodClock } from './clock.ts';
import { IstiodDebugServer, ISTIOD_MONITORING_PORT } from './istiodDebug.ts';
import { PodLogs, type ContainerRestart } from './logs.ts';
import type { LogBuffer } from './logBuffer.ts';
import { connectionRefusedMessage, PortForwarder } from './portForward.ts';

export interface PodServicesOptions {
  scripts: PodLogScript[];
  istiodDebug: IstiodDebugSource;
  view: ClusterView;
  /** Drives live log lines; tests pass a clock they advance by hand. */
  clock?: PodClock;
  /** Lines kept per container (default 10,000). */
  logCapacity?: number;
}

function isIstiod(pod: KubeObject): boolean {
  return pod.metadata.labels?.app === 'istiod';
}

export class PodServices {
  private readonly logs: PodLogs;
  private readonly istiod: IstiodDebugServer;
  private readonly forwarder: PortForwarder;

  constructor(options: PodServicesOptions) {
    this.logs = new PodLogs({
      scripts: options.scripts,
      clock: options.clock ?? systemClock,
      view: options.view,
      ...(options.logCapacity !== undefined ? { capacity: options.logCapacity } : {}),
    });
    this.istiod = new IstiodDebugServer(options.istiodDebug, options.view);
    this.forwarder = new PortForwarder((pod, port) =>
      isIstiod(pod) && port === ISTIOD_MONITORING_PORT
        ? this.istiod.connect(pod.metadata.name)
        : { error: connectionRefusedMessage(pod, port) },
    );
  }

  log(req: IncomingMessage, res: ServerResponse, pod: KubeObject, query: URLSearchParams): void {
    this.logs.log(req, res, pod, query);
  }

  portForward(req: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject, query: URLSearchParams): void {
    this.forwarder.portForward(req, socket, head, pod, query);
  }

  /** One container's current log buffer, if it has one. */
  containerLog(namespace: string, pod: string, container: string): LogBuffer | undefined {
    return this.logs.buffer(namespace, pod, container);
  }

  /** Log lines for a pod created while running (e.g. a scenario's restarted pod). */
  addScript(script: PodLogScript): void {
    this.logs.addScript(script);
  }

  /** The script one container's log was made from. */
  logScript(namespace: string, pod: string, container: string): PodLogScript | undefined {
    return this.logs.script(namespace, pod, container);
  }

  /** One line written now by a running container; false when it has no log. */
  appendLog(namespace: string, pod: string, container: string, text: string): boolean {
    return this.logs.append(namespace, pod, container, text);
  }

  /** The pod is gone: its log follows end. */
  endPodLogs(namespace: string, pod: string): void {
    this.logs.endPod(namespace, pod);
  }

  /** The container restarted: its log becomes `--previous` and a new one begins. */
  restartContainer(namespace: string, pod: string, container: string, how: ContainerRestart): boolean {
    return this.logs.restart(namespace, pod, container, how);
  }

  /** Ends every log stream, schedule and forwarded connection. */
  close(): void {
    this.logs.close();
    this.forwarder.close();
    this.istiod.close();
  }
}
