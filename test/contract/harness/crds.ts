// Installs the hand-written CRDs from test/contract/crds and waits until a client can use them:
// the Established condition is True and discovery lists the resource (a create right after
// Established can still 404 while the discovery/handler caches catch up).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { kubeCall, kubeRequest, type ApiEndpoint } from './kubeRequest.ts';

export const crdDir = new URL('../crds/', import.meta.url).pathname;

interface Crd {
  metadata: { name: string };
  spec: { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

export async function readCrds(dir = crdDir): Promise<Crd[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  return Promise.all(files.map(async (f) => load(await readFile(join(dir, f), 'utf8')) as Crd));
}

async function established(endpoint: ApiEndpoint, token: string, crd: Crd): Promise<boolean> {
  const current = (await kubeCall(endpoint, token, 'GET', `${CRD_PATH}/${crd.metadata.name}`)) as Crd;
  const conditions = current.status?.conditions ?? [];
  if (!conditions.some((c) => c.type === 'Established' && c.status === 'True')) return false;
  for (const version of crd.spec.versions.filter((v) => v.served)) {
    const discovery = await kubeRequest(endpoint, token, 'GET', `/apis/${crd.spec.group}/${version.name}`);
    if (discovery.status !== 200) return false;
    const list = JSON.parse(discovery.body) as { resources?: { name: string }[] };
    if (!list.resources?.some((r) => r.name === crd.spec.names.plural)) return false;
  }
  return true;
}

export async function installCrds(endpoint: ApiEndpoint, token: string, timeoutMs = 60_000): Promise<string[]> {
  const crds = await readCrds();
  for (const crd of crds) await kubeCall(endpoint, token, 'POST', CRD_PATH, crd, [201]);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    while (!(await established(endpoint, token, crd))) {
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not established after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return crds.map((c) => c.metadata.name);
}
