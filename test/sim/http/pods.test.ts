// pods/log and pods/portforward: authorized and resolved here, then handed to the pod simulator.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import WebSocket from 'ws';
import { Log } from '@kubernetes/client-node';
import { startHarness, rawRequest, ADMIN_TOKEN, VIEWER_TOKEN, type Harness } from './harness.ts';

function openPortForward(h: Harness, path: string, token: string): Promise<{ message?: string; error?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${h.url.replace('https', 'wss')}${path}`, ['v4.channel.k8s.io'], {
      ca: h.caPem,
      headers: { Authorization: `Bearer ${token}` },
    });
    ws.on('message', (data: Buffer) => {
      resolve({ message: data.toString('utf8') });
      ws.close();
    });
    ws.on('error', (err) => resolve({ error: err.message }));
  });
}

describe('simulated apiserver pod subresources', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('hands a log request for an existing pod to the pod simulator', async () => {
    const res = await rawRequest(h, '/api/v1/namespaces/istio-system/pods/istiod-7d4b9c6f5-abcde/log?container=discovery');
    assert.equal(res.status, 200);
    assert.equal(res.text, 'log of istio-system/istiod-7d4b9c6f5-abcde container=discovery\n');
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => out.on('end', resolve));
    await new Log(h.kubeConfig()).log('istio-system', 'ztunnel-x1y2z', 'istio-proxy', out, {});
    await ended;
    assert.equal(Buffer.concat(chunks).toString('utf8'), 'log of istio-system/ztunnel-x1y2z container=istio-proxy\n');
  });

  it('answers 404 for the log of a missing pod and 403 for a user without pods/log', async () => {
    const missing = await rawRequest(h, '/api/v1/namespaces/istio-system/pods/nope/log');
    assert.equal(missing.status, 404);
    assert.equal(missing.json().message, 'pods "nope" not found');
    const forbidden = await rawRequest(h, '/api/v1/namespaces/kube-system/pods/coredns-5d78c9869d-q2w3e/log', { token: VIEWER_TOKEN });
    assert.equal(forbidden.status, 403);
    assert.equal(
      forbidden.json().message,
      'pods "coredns-5d78c9869d-q2w3e" is forbidden: User "viewer" cannot get resource "pods/log" in API group "" in the namespace "kube-system"',
    );
  });

  it('reset streams cuts a followed log', async () => {
    const { request } = await import('node:https');
    const outcome = await new Promise<string>((resolve) => {
      const req = request(
        `${h.url}/api/v1/namespaces/istio-system/pods/ztunnel-x1y2z/log?follow=true`,
        { ca: h.caPem, agent: false, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
        (res) => {
          res.once('data', () => h.faults.resetStreams());
          res.on('end', () => resolve('ended cleanly'));
          res.on('error', (err) => resolve(err.message));
        },
      );
      req.on('error', (err) => resolve(err.message));
      req.end();
    });
    assert.equal(outcome, 'aborted');
  });

  it('hands a port-forward WebSocket upgrade to the pod simulator', async () => {
    const ok = await openPortForward(h, '/api/v1/namespaces/istio-system/pods/istiod-7d4b9c6f5-abcde/portforward?ports=15014', ADMIN_TOKEN);
    assert.equal(ok.message, 'forwarding istio-system/istiod-7d4b9c6f5-abcde ports=15014');
  });

  it('authorizes port-forward as create on pods/portforward, and 404s a missing pod', async () => {
    const forbidden = await openPortForward(
      h,
      '/api/v1/namespaces/istio-system/pods/istiod-7d4b9c6f5-abcde/portforward?ports=15014',
      VIEWER_TOKEN,
    );
    assert.equal(forbidden.error, 'Unexpected server response: 403');
    const missing = await openPortForward(h, '/api/v1/namespaces/istio-system/pods/nope/portforward?ports=15014', ADMIN_TOKEN);
    assert.equal(missing.error, 'Unexpected server response: 404');
    const plain = await rawRequest(h, '/api/v1/namespaces/istio-system/pods/istiod-7d4b9c6f5-abcde/portforward?ports=15014');
    assert.equal(plain.status, 400);
    assert.equal(plain.json().message, 'Upgrade request required');
  });
});
