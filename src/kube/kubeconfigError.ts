// The one error type the kubeconfig loader throws or reports. It names the file and the entry
// (context, cluster or user) so an on-call engineer can open the right file at the right place.
// Messages are built only from paths, entry names and parser positions: never from file contents,
// because a kubeconfig holds tokens, keys and exec environments.

export type KubeconfigErrorKind =
  | 'noConfig' // nothing to load at all (we never fall back to localhost:8080)
  | 'unreadableFile' // a file that must be read cannot be (missing --kubeconfig, permissions, token file)
  | 'invalidYaml' // not YAML, or YAML that is not a kubeconfig mapping
  | 'invalidEntry' // a cluster/user/context entry without a name or with the wrong shape
  | 'missingCluster' // a context refers to a cluster that no file defines
  | 'missingUser' // a context refers to a user that no file defines
  | 'noServer' // a cluster without `server`
  | 'badServer' // a `server` that is not an https:// URL (client-node would fail every request)
  | 'unknownContext' // --context/--contexts named a context that no file defines
  | 'noContexts'; // files were read but define no context at all

export interface KubeconfigEntryRef {
  kind: 'context' | 'cluster' | 'user';
  name: string;
}

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
  readonly kind: KubeconfigErrorKind;
  /** The file the problem is in (or the file that was expected), when there is one. */
  readonly file: string | undefined;
  readonly entry: KubeconfigEntryRef | undefined;
  /** The context this problem makes unusable, when it concerns one context. */
  readonly context: string | undefined;

  constructor(kind: KubeconfigErrorKind, message: string, details: { file?: string; entry?: KubeconfigEntryRef; context?: string } = {}) {
    super(message);
    this.kind = kind;
    this.file = details.file;
    this.entry = details.entry;
    this.context = details.context;
  }
}
