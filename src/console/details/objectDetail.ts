// The detail of one Kubernetes object: the fields that matter for the mesh, by kind (a pod's
// containers and restarts, a Gateway's addresses, listeners and conditions, a namespace's
// network label), never a YAML dump. Secrets never reach the store (sanitizeObject.ts), and of a
// container's environment only the mesh's own variables are shown.
import type { DetailModel, DetailSection, Tone } from '../types.ts';
import type { ContextId, KubeObjectJson, MeshState } from '../../store/types.ts';
import { field, records, text } from '../../mesh/jsonFields.ts';
import { podStatusOf } from '../../mesh/podStatus.ts';
import { eastWestModeOf, eastWestServiceOf } from '../../mesh/eastWestService.ts';
import { gatewayClassOf, NETWORK_LABEL, peerContextOf, peerStateOf, specAddresses } from '../../mesh/peering.ts';
import { snapshotOf } from '../rows/stateSnapshot.ts';
import { clusterLabel } from '../rows/clusterNames.ts';
import { line, note, section } from './lines.ts';
import { MESH_ENV } from '../../mesh/meshEnv.ts';

/** A JSON scalar as text; `?` for anything else. */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '?';
}

function conditionTone(status: string | undefined): Tone {
  return status === 'True' ? 'ok' : status === 'False' ? 'bad' : 'warn';
}

function conditionsSection(obj: KubeObjectJson): DetailSection {
  return section(
    'Conditions',
    records(field(obj, 'status', 'conditions')).map((c) => {
      const status = text(c['status']);
      const reason = text(c['reason']) ?? '';
      const message = text(c['message']) ?? '';
      const since = text(c['lastTransitionTime']);
      const words = [status ?? '?', reason, message !== '' ? `"${message}"` : '', since !== undefined ? `since ${since}` : '']
        .filter((s) => s !== '')
        .join(' ');
      return line(text(c['type']) ?? '?', words, conditionTone(status));
    }),
    'no conditions reported',
  );
}

function metadataSection(context: string, obj: KubeObjectJson): DetailSection {
  const labels = Object.entries(obj.metadata.labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const annotations = Object.entries(obj.metadata.annotations ?? {})
    .filter(([k]) => /istio\.io|solo\.io|gateway\.networking/.test(k))
    .sort(([a], [b]) => a.localeCompare(b));
  return section('Object', [
    line('context', context),
    line('kind', obj.kind),
    ...(obj.metadata.namespace !== undefined ? [line('namespace', obj.metadata.namespace)] : []),
    line('name', obj.metadata.name),
    line('created', text(obj.metadata['creationTimestamp'])),
    ...labels.map(([k, v]) => line(`label ${k}`, v, k === NETWORK_LABEL ? 'accent' : undefined)),
    ...annotations.map(([k, v]) => line(`annotation ${k}`, v.length > 200 ? `${v.slice(0, 200)}…` : v)),
  ]);
}

function containerLines(status: Record<string, unknown>): ReturnType<typeof line>[] {
  const name = text(status['name']) ?? '?';
  const ready = status['ready'] === true;
  const state = field(status, 'state');
  const waiting = field(state, 'waiting');
  const running = field(state, 'running');
  const terminated = field(state, 'terminated');
  const now =
    waiting !== undefined
      ? `waiting: ${text(field(waiting, 'reason')) ?? '?'}${text(field(waiting, 'message')) ? ` (${text(field(waiting, 'message')) ?? ''})` : ''}`
      : running !== undefined
        ? `running since ${text(field(running, 'startedAt')) ?? '?'}`
        : terminated !== undefined
          ? `terminated: ${text(field(terminated, 'reason')) ?? '?'}, exit code ${scalar(field(terminated, 'exitCode'))}`
          : 'state unknown';
  const last = field(status, 'lastState', 'terminated');
  const restarts = typeof status['restartCount'] === 'number' ? status['restartCount'] : 0;
  return [
    line(`${name}`, `${ready ? 'ready' : 'not ready'}, ${now}, ${restarts} restarts`, ready ? 'ok' : 'bad'),
    ...(last !== undefined
      ? [
          line(
            `${name} last exit`,
            `exit code ${scalar(field(last, 'exitCode'))} ${text(field(last, 'reason')) ?? ''} at ${text(field(last, 'finishedAt')) ?? '?'}`,
          ),
        ]
      : []),
    line(`${name} image`, text(status['image'])),
  ];
}

function podSections(obj: KubeObjectJson): DetailSection[] {
  const status = podStatusOf(obj);
  const env = records(field(obj, 'spec', 'containers')).flatMap((c) =>
    records(c['env'])
      .filter((e) => MESH_ENV.includes(text(e['name']) ?? ''))
      .map((e) => line(`${text(c['name']) ?? '?'} env ${text(e['name']) ?? ''}`, text(e['value']) ?? '(from a reference)')),
  );
  return [
    section('Status', [
      line('status', status.status, status.problem !== undefined ? 'bad' : 'ok'),
      line('ready', status.ready),
      line('restarts', String(status.restarts), status.restarts > 0 ? 'warn' : undefined),
      ...(status.problem !== undefined ? [line('problem', `the pod ${status.problem}`, 'bad')] : []),
      line('node', text(field(obj, 'spec', 'nodeName'))),
      line('pod IP', text(field(obj, 'status', 'podIP'))),
    ]),
    section('Containers', records(field(obj, 'status', 'containerStatuses')).flatMap(containerLines), 'no container statuses yet'),
    section('Mesh environment', env, 'none of the mesh variables (NETWORK, CLUSTER_ID, …) is set literally'),
    conditionsSection(obj),
  ];
}

function gatewaySections(state: MeshState, context: ContextId, obj: KubeObjectJson, services: readonly KubeObjectJson[]): DetailSection[] {
  const cls = gatewayClassOf(obj) ?? '';
  const listeners = records(field(obj, 'spec', 'listeners')).map((l) =>
    line(`listener ${text(l['name']) ?? '?'}`, `${scalar(l['port'])}/${text(l['protocol']) ?? '?'}`),
  );
  const statusAddresses = records(field(obj, 'status', 'addresses'))
    .map((a) => text(a['value']))
    .filter((v): v is string => v !== undefined);
  const peering: ReturnType<typeof line>[] = [];
  if (cls === 'istio-remote') {
    const peer = peerContextOf(snapshotOf(state), context, obj);
    const peerState = peerStateOf(obj);
    peering.push(
      line('peer', peer !== undefined ? clusterLabel(state, peer) : `not loaded (network ${obj.metadata.labels?.[NETWORK_LABEL] ?? '?'})`),
      line(
        'link',
        peerState === 'noStatus' ? 'no peer status' : peerState,
        peerState === 'connected' ? 'ok' : peerState === 'disconnected' ? 'bad' : 'warn',
      ),
      line('dials (spec.addresses)', specAddresses(obj).join(', ') || '(none)'),
    );
  }
  if (cls === 'istio-eastwest') {
    const service = eastWestServiceOf(obj, services);
    peering.push(
      line('mode', eastWestModeOf(obj, service)),
      line('service', service !== undefined ? `${service.metadata.namespace ?? ''}/${service.metadata.name}` : '(none found)'),
    );
  }
  return [
    section('Gateway', [
      line('class', cls),
      line('addresses (status)', statusAddresses.join(', ') || '(none)', statusAddresses.length > 0 ? undefined : 'bad'),
      ...peering,
      ...listeners,
    ]),
    conditionsSection(obj),
  ];
}

function genericSections(obj: KubeObjectJson): DetailSection[] {
  const spec = field(obj, 'spec');
  const scalars =
    spec !== undefined && typeof spec === 'object' && spec !== null
      ? Object.entries(spec as Record<string, unknown>)
          .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
          .map(([k, v]) => line(`spec.${k}`, String(v)))
      : [];
  const sections = [section('Spec', scalars, 'nothing short to show')];
  if (records(field(obj, 'status', 'conditions')).length > 0) sections.push(conditionsSection(obj));
  return sections;
}

export function objectDetail(
  state: MeshState,
  ref: { context: string; kind: string; namespace?: string; name: string },
  obj: KubeObjectJson | undefined,
  services: readonly KubeObjectJson[],
): DetailModel {
  const title = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} (${ref.context})`;
  if (obj === undefined) {
    return { title, sections: [section('Gone', [note('not in the store any more: deleted, or its context cannot be read now', 'warn')])] };
  }
  const context = ref.context as ContextId;
  const kindSections =
    obj.kind === 'Pod' ? podSections(obj) : obj.kind === 'Gateway' ? gatewaySections(state, context, obj, services) : genericSections(obj);
  return { title, sections: [...kindSections, metadataSection(ref.context, obj)] };
}
