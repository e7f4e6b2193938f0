// Reads one kubeconfig file on its own (client-node's merge throws on names repeated across
// files, kubectl's takes the first) into named entries that remember the file they came from.
// Relative paths are made absolute against that file's directory, as kubectl does, including an
// exec command written as a relative path (client-node leaves that to the current directory).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load, YAMLException } from 'js-yaml';
import { KubeconfigError } from './kubeconfigError.ts';

export interface ExecConfig {
  command: string;
  args: string[];
  /** Extra environment for the plugin; values are secrets and never appear in messages. */
  env: { name: string; value: string }[];
  apiVersion: string | undefined;
  installHint: string | undefined;
  provideClusterInfo: boolean;
  interactiveMode: string | undefined;
}

export interface ClusterEntry {
  name: string;
  file: string;
  server: string | undefined;
  caFile: string | undefined;
  caData: string | undefined;
  skipTLSVerify: boolean;
  tlsServerName: string | undefined;
  proxyUrl: string | undefined;
}

export interface UserEntry {
  name: string;
  file: string;
  certFile: string | undefined;
  certData: string | undefined;
  keyFile: string | undefined;
  keyData: string | undefined;
  token: string | undefined;
  tokenFile: string | undefined;
  username: string | undefined;
  password: string | undefined;
  impersonateUser: string | undefined;
  exec: ExecConfig | undefined;
  authProvider: { name: string; config: Record<string, string> } | undefined;
}

export interface ContextEntry {
  name: string;
  file: string;
  cluster: string;
  user: string;
  namespace: string | undefined;
}

export interface KubeconfigFileContents {
  file: string;
  clusters: ClusterEntry[];
  users: UserEntry[];
  contexts: ContextEntry[];
  currentContext: string | undefined;
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(fields: Fields, key: string): string | undefined {
  const value = fields[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function absolute(dir: string, file: string | undefined): string | undefined {
  return file === undefined ? undefined : path.resolve(dir, file);
}

function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file (ENOENT)';
  if (code === 'EACCES') return 'permission denied (EACCES)';
  if (code === 'EISDIR') return 'is a directory (EISDIR)';
  return typeof code === 'string' ? code : 'read failed';
}

export function readKubeconfigFile(file: string): KubeconfigFileContents {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeconfigError('unreadableFile', `cannot read kubeconfig ${file}: ${describeReadError(error)}`, { file });
  }
  return parseKubeconfig(source, file);
}

export function parseKubeconfig(source: string, file: string): KubeconfigFileContents {
  let document: unknown;
  try {
    document = load(source);
  } catch (error) {
    // YAMLException.message quotes the offending lines of the file, which may hold a token:
    // only the reason and the position are safe to show.
    if (error instanceof YAMLException) {
      const where = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : '';
      throw new KubeconfigError('invalidYaml', `kubeconfig ${file} is not valid YAML: ${error.reason}${where}`, { file });
    }
    throw new KubeconfigError('invalidYaml', `kubeconfig ${file} is not valid YAML`, { file });
  }
  // An empty file is a valid, empty kubeconfig for kubectl.
  if (document === undefined || document === null) {
    return { file, clusters: [], users: [], contexts: [], currentContext: undefined };
  }
  if (!isFields(document)) {
    throw new KubeconfigError('invalidYaml', `kubeconfig ${file} is not a kubeconfig (expected a mapping at the top level)`, { file });
  }
  const dir = path.dirname(file);
  return {
    file,
    clusters: namedEntries(document, 'clusters', 'cluster', file).map(([name, fields]) => toCluster(name, fields, file, dir)),
    users: namedEntries(document, 'users', 'user', file).map(([name, fields]) => toUser(name, fields, file, dir)),
    contexts: namedEntries(document, 'contexts', 'context', file).map(([name, fields]) => ({
      name,
      file,
      cluster: text(fields, 'cluster') ?? '',
      user: text(fields, 'user') ?? '',
      namespace: text(fields, 'namespace'),
    })),
    currentContext: text(document, 'current-context'),
  };
}

/** `clusters: [{ name, cluster: {...} }]` → [name, fields] pairs, with shape errors naming the entry. */
function namedEntries(document: Fields, listKey: string, itemKey: string, file: string): [string, Fields][] {
  const list = document[listKey];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    throw new KubeconfigError('invalidEntry', `kubeconfig ${file}: "${listKey}" must be a list`, { file });
  }
  return list.map((item: unknown, index): [string, Fields] => {
    const name = isFields(item) ? item.name : undefined;
    if (!isFields(item) || typeof name !== 'string' || name === '') {
      throw new KubeconfigError('invalidEntry', `kubeconfig ${file}: ${listKey}[${index}] has no name`, { file });
    }
    const fields = item[itemKey] ?? {};
    if (!isFields(fields)) {
      throw new KubeconfigError('invalidEntry', `kubeconfig ${file}: ${itemKey} "${name}" must be a mapping`, {
        file,
        entry: { kind: itemKey as 'cluster' | 'user' | 'context', name },
      });
    }
    return [name, fields];
  });
}

function toCluster(name: string, fields: Fields, file: string, dir: string): ClusterEntry {
  return {
    name,
    file,
    server: text(fields, 'server'),
    caFile: absolute(dir, text(fields, 'certificate-authority')),
    caData: text(fields, 'certificate-authority-data'),
    // Only a real YAML boolean counts, as with kubectl and client-node.
    skipTLSVerify: fields['insecure-skip-tls-verify'] === true,
    tlsServerName: text(fields, 'tls-server-name'),
    proxyUrl: text(fields, 'proxy-url'),
  };
}

function toUser(name: string, fields: Fields, file: string, dir: string): UserEntry {
  const authProvider = fields['auth-provider'];
  return {
    name,
    file,
    certFile: absolute(dir, text(fields, 'client-certificate')),
    certData: text(fields, 'client-certificate-data'),
    keyFile: absolute(dir, text(fields, 'client-key')),
    keyData: text(fields, 'client-key-data'),
    token: text(fields, 'token'),
    tokenFile: absolute(dir, text(fields, 'tokenFile')),
    username: text(fields, 'username'),
    password: text(fields, 'password'),
    impersonateUser: text(fields, 'as'),
    exec: toExec(fields.exec, name, file, dir),
    authProvider:
      isFields(authProvider) && typeof authProvider.name === 'string'
        ? { name: authProvider.name, config: stringValues(authProvider.config) }
        : undefined,
  };
}

// YAML may type an env value as a number or boolean (`value: 1`); the plugin gets its text.
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function stringValues(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isFields(value)) return out;
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
  return out;
}

function toExec(value: unknown, user: string, file: string, dir: string): ExecConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const command = isFields(value) ? text(value, 'command') : undefined;
  if (!isFields(value) || command === undefined) {
    throw new KubeconfigError('invalidEntry', `kubeconfig ${file}: user "${user}" has an exec section without a command`, {
      file,
      entry: { kind: 'user', name: user },
    });
  }
  const args = Array.isArray(value.args) ? value.args.filter((arg): arg is string => typeof arg === 'string') : [];
  const env = Array.isArray(value.env)
    ? value.env.flatMap((item: unknown) =>
        isFields(item) && typeof item.name === 'string' ? [{ name: item.name, value: scalarText(item.value) }] : [],
      )
    : [];
  return {
    // client-go resolves a command that contains a path separator against the kubeconfig's
    // directory; a bare name is looked up on PATH.
    command: command.includes(path.sep) ? path.resolve(dir, command) : command,
    args,
    env,
    apiVersion: text(value, 'apiVersion'),
    installHint: text(value, 'installHint'),
    provideClusterInfo: value.provideClusterInfo === true,
    interactiveMode: text(value, 'interactiveMode'),
  };
}
