// MC-DNS-001: ambient DNS capture must be on (mission-anchors §4.5; istio-internals §5). Global
// hosts `*.mesh.internal` exist only as generated ServiceEntries: without ztunnel's DNS proxy the
// pod's resolver answers NXDOMAIN and no request ever reaches ztunnel.
import type { CheckDefinition, Finding } from './types.ts';
import type { ContextId, MeshSnapshot } from '../src/store/types.ts';
import { makeFinding } from './makeFinding.ts';
import { contextNames, field, objectsIn, text, unreadable } from './snapshotReads.ts';
import { CNI_CONFIGMAPS } from '../src/store/resourceIds.ts';

const CNI_CONFIG = CNI_CONFIGMAPS;
const KEY = 'AMBIENT_DNS_CAPTURE';

function remediation(context: ContextId, namespace: string): Finding['remediation'] {
  return {
    summary:
      'Turn DNS capture on in the istio-cni Helm release (ambient.dnsCapture=true; the chart renders ' +
      'it into istio-cni-config), then restart the istio-cni DaemonSet. Pods pick the change up when ' +
      'they restart.',
    commands: [
      `helm --kube-context ${context} -n ${namespace} upgrade istio-cni <chart> --reuse-values --set ambient.dnsCapture=true`,
      `kubectl --context ${context} -n ${namespace} rollout restart daemonset/istio-cni-node`,
    ],
  };
}

function checkContext(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): Finding {
  const why = unreadable(snapshot, context, CNI_CONFIG);
  const configMaps = why === undefined ? objectsIn(snapshot, context, CNI_CONFIG) : [];
  const configMap = configMaps.find((c) => c.metadata.namespace === istioNamespace) ?? configMaps[0];
  const namespace = configMap?.metadata.namespace ?? istioNamespace;
  const subject = { context, kind: 'ConfigMap', namespace, name: 'istio-cni-config' };
  if (why !== undefined)
    return makeFinding(dnsCaptureCheck, { severity: 'unknown', subject, message: `cannot read istio-cni-config: ${why}` });
  if (!configMap) {
    return makeFinding(dnsCaptureCheck, {
      severity: 'unknown',
      subject,
      message:
        'no istio-cni-config ConfigMap in any namespace: istio-cni is not installed, or installed without ' +
        'its ConfigMap, so DNS capture cannot be checked',
    });
  }
  const value = text(field(configMap, 'data', KEY));
  const where = `ConfigMap ${namespace}/istio-cni-config .data.${KEY}`;
  const evidence = [{ context, where, value: value === undefined ? '(not set)' : `"${value}"` }];
  if (value === 'true') {
    return makeFinding(dnsCaptureCheck, {
      severity: 'pass',
      subject,
      evidence,
      message: `${KEY} is "true": ztunnel captures pod DNS, so *.mesh.internal names resolve`,
    });
  }
  if (value === undefined) {
    return makeFinding(dnsCaptureCheck, {
      severity: 'warn',
      subject,
      evidence,
      message:
        `${KEY} is not set in istio-cni-config: whether DNS is captured depends on the istio-cni version ` +
        `(off in 1.24, on from 1.25); without it *.mesh.internal names do not resolve`,
      remediation: remediation(context, namespace),
    });
  }
  return makeFinding(dnsCaptureCheck, {
    severity: 'fail',
    subject,
    evidence,
    message:
      `${KEY} is "${value}": pods' DNS queries bypass ztunnel's DNS proxy, so the generated *.mesh.internal ` +
      `hosts (ServiceEntries only) answer NXDOMAIN`,
    remediation: remediation(context, namespace),
  });
}

export const dnsCaptureCheck: CheckDefinition = {
  id: 'MC-DNS-001',
  title: 'Ambient DNS capture on',
  reads: ['configmaps istio-cni-config (any namespace): data.AMBIENT_DNS_CAPTURE'],
  decides:
    'Passes when AMBIENT_DNS_CAPTURE is "true"; fails when it has any other value; warns when the ' +
    'key is missing (the default depends on the version). Unknown when the ConfigMap cannot be ' +
    'read or does not exist.',
  remediation: 'Set ambient.dnsCapture=true on the istio-cni Helm release and restart the istio-cni DaemonSet.',
  run(snapshot: MeshSnapshot, options) {
    return contextNames(snapshot).map((context) => checkContext(snapshot, context, options.istioNamespace));
  },
};
