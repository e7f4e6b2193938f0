// pods/portforward over WebSocket, as the kubelet's streaming server speaks it behind the
// apiserver (k8s.io/kubelet cri/streaming/portforward/websocket.go): per requested port a data
// channel (2i) and an error channel (2i+1), each opened by the port as 2 little-endian bytes,
// then frames prefixed with their channel byte. Port 15014 of an istiod pod reaches the
// in-process istiod debug server; any other target fails the way containerd reports a refused
// connection, on the error channel, and the socket closes.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { KubeObject } from '../api/types.ts';
import { badRequest } from '../api/status.ts';
import { isUnscheduled } from './podContainers.ts';
import { rawHttpResponse, statusHttpResponse } from './statusResponse.ts';

/** What the kubelet's WebSocket port-forward accepts; v5 (exec's close frames) is not among them. */
const BINARY_PROTOCOL = 'v4.channel.k8s.io';
const BASE64_PROTOCOL = 'v4.base64.channel.k8s.io';

/** Opens a connection to `port` inside the pod, or says why it cannot (containerd's words). */
export type PortDialer = (pod: KubeObject, port: number) => Duplex | { error: string };

function sandboxId(pod: KubeObject): string {
  const seed = pod.metadata.uid ?? `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  return createHash('sha256').update(`sandbox:${seed}`).digest('hex');
}

function netnsName(pod: KubeObject): string {
  const h = createHash('sha256')
    .update(`netns:${pod.metadata.uid ?? pod.metadata.name}`)
    .digest('hex');
  return `cni-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** containerd's refusal, wrapped by the kubelet's "error forwarding port" (its pod is the sandbox ID, uid empty). */
export function connectionRefusedMessage(pod: KubeObject, port: number): string {
  const id = sandboxId(pod);
  return (
    `error forwarding port ${port} to pod ${id}, uid : failed to execute portforward in network namespace ` +
    `"/var/run/netns/${netnsName(pod)}": failed to connect to localhost:${port} inside namespace "${id}", ` +
    `IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused ` +
    `IPv6 dial tcp6 [::1]:${port}: connect: connection refused `
  );
}

/** Requested subprotocols in the client's order of preference; the kubelet takes the first it knows. */
function chooseProtocol(req: IncomingMessage): string | undefined | false {
  const header = req.headers['sec-websocket-protocol'];
  if (header === undefined) return undefined;
  const offered = header.split(',').map((p) => p.trim());
  return offered.find((p) => p === BINARY_PROTOCOL || p === BASE64_PROTOCOL) ?? false;
}

/** The apiserver's []int32 conversion, then the kubelet's own checks (NewV4Options). */
function readPorts(query: URLSearchParams): number[] | { status: string } | { kubelet: string } {
  const raw = query.getAll('ports');
  const ports: number[] = [];
  for (const value of raw) {
    for (const part of value.split(',')) {
      if (!/^\d+$/.test(part))
        return { status: `cannot convert to []int32: strconv.ParseUint: parsing ${JSON.stringify(part)}: invalid syntax` };
      const port = Number(part);
      if (port > 65535)
        return { status: `cannot convert to []int32: strconv.ParseUint: parsing ${JSON.stringify(part)}: value out of range` };
      ports.push(port);
    }
  }
  if (ports.length === 0) return { kubelet: 'query parameter "port" is required' };
  const zero = ports.find((p) => p < 1);
  if (zero !== undefined) return { kubelet: `port "${zero}" must be > 0` };
  return ports;
}

function portBytes(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port, 0);
  return b;
}

export class PortForwarder {
  private readonly dial: PortDialer;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
  private readonly sockets = new Set<WebSocket>();
  private readonly rawSockets = new Set<Duplex>();

  constructor(dial: PortDialer) {
    this.dial = dial;
  }

  /** The WebSocket upgrade of GET …/pods/{name}/portforward?ports=…, after auth and pod lookup. */
  portForward(req: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject, query: URLSearchParams): void {
    socket.on('error', () => {});
    const refuse = (response: string): void => {
      socket.end(response, () => socket.destroy());
    };
    if (isUnscheduled(pod)) {
      refuse(statusHttpResponse(badRequest(`pod ${pod.metadata.name} does not have a host assigned`).status));
      return;
    }
    const ports = readPorts(query);
    if ('status' in ports) return refuse(statusHttpResponse(badRequest(ports.status).status));
    if ('kubelet' in ports) return refuse(rawHttpResponse(400, 'text/plain; charset=utf-8', ports.kubelet));
    const protocol = chooseProtocol(req);
    // x/net/websocket answers an unsupported subprotocol with a bare 403.
    if (protocol === false) return refuse(rawHttpResponse(403, undefined, ''));

    this.rawSockets.add(socket);
    socket.on('close', () => this.rawSockets.delete(socket));
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.rawSockets.delete(socket);
      this.serve(ws, protocol === BASE64_PROTOCOL, pod, ports);
    });
  }

  private serve(ws: WebSocket, base64: boolean, pod: KubeObject, ports: number[]): void {
    this.sockets.add(ws);
    const send = (channel: number, data: Buffer): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (base64) ws.send(String.fromCharCode(48 + channel) + data.toString('base64'));
      else ws.send(Buffer.concat([Buffer.from([channel]), data]));
    };
    const targets: (Duplex | undefined)[] = [];
    let open = ports.length;
    const portDone = (): void => {
      open--;
      if (open === 0 && ws.readyState === ws.OPEN) ws.close(1000);
    };

    ports.forEach((port, i) => {
      send(2 * i, portBytes(port));
      send(2 * i + 1, portBytes(port));
    });
    ports.forEach((port, i) => {
      const target = this.dial(pod, port);
      if ('error' in target) {
        send(2 * i + 1, Buffer.from(target.error));
        portDone();
        return;
      }
      targets[i] = target;
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        target.destroy();
        portDone();
      };
      target.on('data', (chunk: Buffer) => send(2 * i, chunk));
      target.on('end', finish);
      target.on('close', finish);
      target.on('error', finish);
    });

    ws.on('message', (data: RawData, isBinary: boolean) => {
      const frame = toBuffer(data);
      if (frame.length === 0) return;
      let channel: number;
      let payload: Buffer;
      if (isBinary) {
        channel = frame[0] ?? 0;
        payload = frame.subarray(1);
      } else {
        channel = (frame[0] ?? 48) - 48;
        payload = Buffer.from(frame.subarray(1).toString('latin1'), 'base64');
      }
      // Only data channels are readable; the kubelet ignores writes to error channels.
      if (channel % 2 !== 0) return;
      const target = targets[channel / 2];
      if (target && !target.destroyed && payload.length > 0) target.write(payload);
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      this.sockets.delete(ws);
      for (const target of targets) target?.destroy();
    });
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    for (const socket of this.rawSockets) socket.destroy();
    this.rawSockets.clear();
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
