// Loads kubeconfig like kubectl and resolves each selected context into the exact cluster and
// user it will use, remembering which file defined each piece. kubectl's merge rules, which
// client-node's loadFromDefault does not follow (see reference/client-node.md §2.1):
// the first definition of a cluster/user/context name wins, current-context comes from the first
// file that sets it, and missing KUBECONFIG files are skipped (we record them). Like kubectl,
// HTTPS_PROXY/NO_PROXY apply to clusters without proxy-url (envProxy.ts).
// A broken context does not stop the others: when every context is selected, its error is kept
// in `invalidContexts`; when it was asked for by name, the error is thrown.
import { accessSync, constants, readFileSync } from 'node:fs';
import type { Cluster, User } from '@kubernetes/client-node';
import { KubeconfigError } from './kubeconfigError.ts';
import { readKubeconfigFile, type ClusterEntry, type ContextEntry, type ExecConfig, type UserEntry } from './kubeconfigFile.ts';
import { findKubeconfigSources, type KubeconfigSourceOptions } from './kubeconfigSources.ts';
import { proxyFromEnvironment } from './envProxy.ts';

export interface LoadKubeconfigOptions extends KubeconfigSourceOptions {
  /** `--context NAME`: only this context. */
  context?: string;
  /** `--contexts a,b,c`: these contexts, in this order. Default: every context. */
  contexts?: string[];
}

/** Everything needed to talk to one context, and nothing from any other context. */
export interface ResolvedContext {
  name: string;
  namespace: string | undefined;
  /** The file whose definition of this context won. */
  file: string;
  /** client-node shapes, ready for KubeConfig.loadFromOptions. */
  cluster: Cluster;
  clusterFile: string;
  /** Without `exec`: exec plugins go through our own wrapper (execCredential.ts). */
  user: User;
  userFile: string;
  exec: ExecConfig | undefined;
}

export interface ShadowedEntry {
  kind: 'cluster' | 'user' | 'context';
  name: string;
  /** The file whose definition was ignored… */
  file: string;
  /** …because this earlier file defined the same name. */
  keptFrom: string;
}

export interface LoadedKubeconfig {
  files: string[];
  /** KUBECONFIG entries that did not exist: kubectl skips them silently, we say so. */
  skippedFiles: string[];
  currentContext: string | undefined;
  /** Selected contexts that can be used, in selection order. */
  contexts: ResolvedContext[];
  /** Selected contexts that cannot be used, each with why (only when selecting every context). */
  invalidContexts: KubeconfigError[];
  shadowed: ShadowedEntry[];
}

interface MergedEntries {
  clusters: Map<string, ClusterEntry>;
  users: Map<string, UserEntry>;
  contexts: Map<string, ContextEntry>;
  currentContext: string | undefined;
  shadowed: ShadowedEntry[];
}

export function loadKubeconfig(options: LoadKubeconfigOptions = {}): LoadedKubeconfig {
  const sources = findKubeconfigSources(options);
  const merged = mergeFiles(sources.files);
  const known = [...merged.contexts.keys()];
  if (known.length === 0) {
    throw new KubeconfigError('noContexts', `kubeconfig defines no contexts (files: ${sources.files.join(', ')})`, {
      file: sources.files[0],
    });
  }

  const explicit = selectionFrom(options);
  const names = explicit ?? known;
  const contexts: ResolvedContext[] = [];
  const invalidContexts: KubeconfigError[] = [];
  for (const name of names) {
    const entry = merged.contexts.get(name);
    if (!entry) {
      throw new KubeconfigError(
        'unknownContext',
        `context "${name}" not found in kubeconfig (known contexts: ${known.join(', ')}; files: ${sources.files.join(', ')})`,
        { entry: { kind: 'context', name }, context: name },
      );
    }
    try {
      contexts.push(resolveContext(entry, merged, options.env ?? process.env));
    } catch (error) {
      if (explicit || !(error instanceof KubeconfigError)) throw error;
      invalidContexts.push(error);
    }
  }
  if (contexts.length === 0 && invalidContexts[0]) throw invalidContexts[0];

  return {
    files: sources.files,
    skippedFiles: sources.skippedFiles,
    currentContext: merged.currentContext,
    contexts,
    invalidContexts,
    shadowed: merged.shadowed,
  };
}

function selectionFrom(options: LoadKubeconfigOptions): string[] | undefined {
  if (options.context !== undefined && options.context !== '') return [options.context];
  if (options.contexts === undefined) return undefined;
  const names = options.contexts.map((name) => name.trim()).filter((name) => name !== '');
  return names.length > 0 ? [...new Set(names)] : undefined;
}

function mergeFiles(files: string[]): MergedEntries {
  const merged: MergedEntries = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    currentContext: undefined,
    shadowed: [],
  };
  for (const file of files) {
    const contents = readKubeconfigFile(file);
    merged.currentContext ??= contents.currentContext;
    addFirstWins(merged.clusters, contents.clusters, 'cluster', merged.shadowed);
    addFirstWins(merged.users, contents.users, 'user', merged.shadowed);
    addFirstWins(merged.contexts, contents.contexts, 'context', merged.shadowed);
  }
  return merged;
}

function addFirstWins<T extends { name: string; file: string }>(
  into: Map<string, T>,
  entries: T[],
  kind: ShadowedEntry['kind'],
  shadowed: ShadowedEntry[],
): void {
  for (const entry of entries) {
    const kept = into.get(entry.name);
    if (kept) shadowed.push({ kind, name: entry.name, file: entry.file, keptFrom: kept.file });
    else into.set(entry.name, entry);
  }
}

function resolveContext(entry: ContextEntry, merged: MergedEntries, env: Record<string, string | undefined>): ResolvedContext {
  const context = entry.name;
  const clusterEntry = merged.clusters.get(entry.cluster);
  if (entry.cluster === '' || !clusterEntry) {
    const what = entry.cluster === '' ? 'names no cluster' : `refers to cluster "${entry.cluster}", which no kubeconfig file defines`;
    throw new KubeconfigError('missingCluster', `context "${context}" in ${entry.file} ${what}`, {
      file: entry.file,
      entry: { kind: 'context', name: context },
      context,
    });
  }
  if (clusterEntry.server === undefined) {
    throw new KubeconfigError(
      'noServer',
      `cluster "${clusterEntry.name}" in ${clusterEntry.file} has no server (used by context "${context}")`,
      { file: clusterEntry.file, entry: { kind: 'cluster', name: clusterEntry.name }, context },
    );
  }
  checkServer(clusterEntry.server, clusterEntry, context);
  // kubectl treats a context without a user as anonymous; a user that is named but undefined is an error.
  const userEntry: UserEntry | undefined = entry.user === '' ? undefined : merged.users.get(entry.user);
  if (entry.user !== '' && !userEntry) {
    throw new KubeconfigError(
      'missingUser',
      `context "${context}" in ${entry.file} refers to user "${entry.user}", which no kubeconfig file defines`,
      { file: entry.file, entry: { kind: 'context', name: context }, context },
    );
  }

  const proxyUrl = clusterEntry.proxyUrl ?? proxyFromEnvironment(clusterEntry.server, env);
  const cluster: Cluster = {
    name: clusterEntry.name,
    server: clusterEntry.server,
    skipTLSVerify: clusterEntry.skipTLSVerify,
    ...(clusterEntry.caData !== undefined && { caData: clusterEntry.caData }),
    ...(clusterEntry.caFile !== undefined && {
      caFile: mustBeReadable(
        clusterEntry.caFile,
        'certificate-authority',
        { kind: 'cluster', name: clusterEntry.name },
        clusterEntry.file,
        context,
      ),
    }),
    ...(clusterEntry.tlsServerName !== undefined && { tlsServerName: clusterEntry.tlsServerName }),
    ...(proxyUrl !== undefined && { proxyUrl }),
  };
  return {
    name: context,
    namespace: entry.namespace,
    file: entry.file,
    cluster,
    clusterFile: clusterEntry.file,
    user: userEntry ? toClientUser(userEntry, context) : { name: '' },
    userFile: userEntry?.file ?? entry.file,
    exec: userEntry?.exec,
  };
}

function toClientUser(entry: UserEntry, context: string): User {
  const ref = { kind: 'user', name: entry.name } as const;
  const token = entry.token ?? (entry.tokenFile !== undefined ? readTokenFile(entry.tokenFile, ref, entry.file, context) : undefined);
  return {
    name: entry.name,
    ...(entry.certData !== undefined && { certData: entry.certData }),
    ...(entry.certFile !== undefined && {
      certFile: mustBeReadable(entry.certFile, 'client-certificate', ref, entry.file, context),
    }),
    ...(entry.keyData !== undefined && { keyData: entry.keyData }),
    ...(entry.keyFile !== undefined && { keyFile: mustBeReadable(entry.keyFile, 'client-key', ref, entry.file, context) }),
    ...(token !== undefined && { token }),
    ...(entry.username !== undefined && { username: entry.username, password: entry.password ?? '' }),
    ...(entry.impersonateUser !== undefined && { impersonateUser: entry.impersonateUser }),
    ...(entry.authProvider !== undefined && { authProvider: entry.authProvider }),
  };
}

type EntryRef = { kind: 'cluster' | 'user'; name: string };

// Checked here, once, rather than left to client-node: it refuses ftp:// or a bare host:port on
// every request, with a message about its HTTP library, and a context would show `degraded` with
// a copy of it per watch. kubectl-proxy style http:// with insecure-skip-tls-verify is allowed, as
// client-node allows it.
function checkServer(server: string, cluster: ClusterEntry, context: string): void {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  const https = url?.protocol === 'https:' && url.hostname !== '';
  const proxied = url?.protocol === 'http:' && url.hostname !== '' && cluster.skipTLSVerify;
  if (https || proxied) return;
  const hint = url?.protocol === 'http:' ? 'plain http:// only with insecure-skip-tls-verify: true; ' : '';
  throw new KubeconfigError(
    'badServer',
    `server "${withoutCredentials(server)}" of cluster "${cluster.name}" must be an https:// URL ` +
      `(${hint}in ${cluster.file}, used by context "${context}")`,
    { file: cluster.file, entry: { kind: 'cluster', name: cluster.name }, context },
  );
}

/** `ftp://user:password@host` → `ftp://…@host`: a server URL may carry credentials. */
function withoutCredentials(server: string): string {
  return server.replace(/\/\/[^/@]*@/, '//…@');
}

// client-node re-reads these files on every request and would fail each request with a bare
// ENOENT; checking once here turns that into a configuration error naming the entry.
function mustBeReadable(file: string, field: string, entry: EntryRef, definedIn: string, context: string): string {
  try {
    accessSync(file, constants.R_OK);
    return file;
  } catch {
    throw new KubeconfigError(
      'unreadableFile',
      `${field} ${file} of ${entry.kind} "${entry.name}" (in ${definedIn}, used by context "${context}") cannot be read`,
      { file: definedIn, entry, context },
    );
  }
}

function readTokenFile(file: string, entry: EntryRef, definedIn: string, context: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new KubeconfigError(
      'unreadableFile',
      `tokenFile ${file} of user "${entry.name}" (in ${definedIn}, used by context "${context}") cannot be read`,
      { file: definedIn, entry, context },
    );
  }
}
