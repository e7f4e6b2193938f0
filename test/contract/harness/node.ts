// Registers the fake kubelet as a Node. The apiserver finds a pod's kubelet through the Node
// named in spec.nodeName: address by --kubelet-preferred-address-types (InternalIP here), port
// from status.daemonEndpoints.kubeletEndpoint.Port. Nodes accept status on create.
import { kubeCall, type ApiEndpoint } from './kubeRequest.ts';

export async function registerNode(
  endpoint: ApiEndpoint,
  adminToken: string,
  nodeName: string,
  kubeletPort: number,
  kubeletVersion: string,
): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await kubeCall(endpoint, adminToken, 'POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      labels: { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
      ],
      nodeInfo: {
        kubeletVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://2.1.0',
        kernelVersion: '6.1.0',
        osImage: 'mesh-tui contract fake node',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  });
}
