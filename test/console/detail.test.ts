// What Enter shows, on real scenario reads: the fields that matter per kind of object, a
// finding's evidence, remediation and explanation, a signature, a proxy's types, a raw line and
// its parse, a link's two directions — and the same model while what it shows is unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectDetail } from '../../src/console/detail.ts';
import { selectOverviewTable } from '../../src/console/rows/overviewRows.ts';
import { selectLogLineTable } from '../../src/console/rows/logRows.ts';
import { selectPodTable } from '../../src/console/rows/podRows.ts';
import type { DetailModel, DetailRef } from '../../src/console/types.ts';
import { GATEWAYS, ISTIOD_ZTUNNEL_PODS } from '../../src/store/resourceIds.ts';
import { scenarioState } from './scenarioState.ts';
import { bookmark } from './stateEdits.ts';

function text(model: DetailModel): string {
  return [model.title, ...model.sections.flatMap((s) => [`# ${s.title}`, ...s.lines.map((l) => `${l.label ?? ''}: ${l.text}`)])].join('\n');
}

describe('detail models', () => {
  it('shows a crashing pod’s containers, restarts, last exit and mesh environment', async () => {
    const { state, evaluation } = await scenarioState('ztunnel-crashloop');
    const row = selectPodTable(state, 'istio-system', Date.parse(state.updatedAt)).rows.find((r) => r.cells[4] === 'CrashLoopBackOff');
    assert.ok(row?.detail);
    const model = selectDetail(row.detail, state, evaluation);
    const shown = text(model);
    assert.match(model.title, /^Pod istio-system\/ztunnel-.* \(cluster-west\)$/);
    assert.match(shown, /status: CrashLoopBackOff/);
    assert.match(shown, /problem: the pod is in CrashLoopBackOff/);
    assert.match(shown, /not ready, waiting: CrashLoopBackOff/);
    assert.match(shown, /last exit: exit code 1/);
    assert.match(shown, /env NETWORK: west-net/);
    assert.match(shown, /# Conditions/);
    assert.equal(selectDetail(row.detail, bookmark(state, 'cluster-west', ISTIOD_ZTUNNEL_PODS), evaluation), model, 'a bookmark keeps it');
  });

  it('shows a finding with evidence, remediation, the action and what it explains', async () => {
    const { state, evaluation } = await scenarioState('ztunnel-crashloop');
    const [root, symptom] = selectOverviewTable(evaluation, { readOnly: false }).rows;
    assert.ok(root?.detail && symptom?.detail);
    const rootText = text(selectDetail(root.detail, state, evaluation));
    assert.match(rootText, /^MC-POD-001 fail: Mesh pods healthy/);
    assert.match(rootText, /# Evidence\n: \[cluster-west\] Pod istio-system\/ztunnel-.* = READY 0\/1/);
    assert.match(rootText, /\$: kubectl --context cluster-west -n istio-system describe pod ztunnel-/);
    assert.match(rootText, /explains: fail MC-XDS-001/);
    const symptomText = text(selectDetail(symptom.detail, state, evaluation));
    assert.match(symptomText, /explained by: fail MC-POD-001/);
    assert.match(symptomText, /action: x: re-run checks/);
    assert.doesNotMatch(text(selectDetail(symptom.detail, state, evaluation, true)), /action:/, 'read-only hides the action');
    assert.match(
      text(selectDetail({ type: 'finding', key: 'MC-NONE|x' }, state, evaluation)),
      /no longer report this finding: it is resolved/,
    );
  });

  it('shows a signature, a raw line with its parse, and a remote Gateway with its peer', async () => {
    const { state, evaluation } = await scenarioState('peer-disconnected');
    const signature = text(selectDetail({ type: 'signature', signature: 'hbone-timeout' }, state, evaluation));
    assert.match(signature, /# Meaning\n: HBONE connections time out/);
    assert.match(signature, /explained by: MC-PEER-001 failing/);
    assert.match(signature, /contexts: cluster-east/);
    const line = selectLogLineTable(state, { signature: 'hbone-timeout' }).rows[0];
    assert.ok(line?.detail);
    const lineText = text(selectDetail(line.detail, state, evaluation));
    assert.match(lineText, /# Line\n: \d{4}-/);
    assert.match(lineText, /format: (text|json)/);
    assert.match(lineText, /level: error/);
    const gateway: DetailRef = {
      type: 'object',
      context: 'cluster-east',
      kind: 'Gateway',
      namespace: 'istio-eastwest',
      name: 'istio-remote-peer-west-net',
    };
    const gw = text(selectDetail(gateway, state, evaluation));
    assert.match(gw, /peer: west \(cluster-west\)/);
    assert.match(gw, /link: disconnected/);
    assert.match(gw, /gloo\.solo\.io\/PeerConnected: False Pending "not connected to peer"/);
    const model = selectDetail(gateway, state, evaluation);
    assert.equal(selectDetail(gateway, bookmark(state, 'cluster-east', GATEWAYS), evaluation), model);
  });

  it('shows a proxy’s types, a context and a link', async () => {
    const { state, evaluation } = await scenarioState('peer-disconnected');
    const proxy = Object.values(state.facts).flatMap((f) =>
      Object.values(f.syncz).flatMap((fact) => (fact.state === 'known' ? fact.value.rows : [])),
    )[0];
    assert.ok(proxy);
    const context = Object.keys(state.facts).find((c) =>
      Object.values(state.facts[c as keyof typeof state.facts]?.syncz ?? {}).some(
        (f) => f.state === 'known' && f.value.rows.includes(proxy),
      ),
    );
    const proxyText = text(selectDetail({ type: 'proxy', context: context ?? '', name: proxy.name }, state, evaluation));
    assert.match(proxyText, new RegExp(`${proxy.types[0]?.short ?? '?'}: SYNCED`));
    const ctx = text(selectDetail({ type: 'context', context: 'cluster-east' }, state, evaluation));
    assert.match(ctx, /^cluster-east: ready/);
    assert.match(ctx, /cluster id: east/);
    assert.match(ctx, /gateways\.gateway\.networking\.k8s\.io: synced/);
    const link = text(selectDetail({ type: 'link', from: 'cluster-east', to: 'cluster-west' }, state, evaluation));
    assert.match(
      link,
      /# east \(cluster-east\) → west \(cluster-west\)\ngateway: istio-eastwest\/istio-remote-peer-west-net in cluster-east\nconnected: no/,
    );
  });
});
