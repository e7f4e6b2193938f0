// What a check is and what it finds. A check is a pure function of a MeshSnapshot: no I/O, no
// clock but the snapshot's, no randomness, so the TUI and `--once` give the same answer for
// the same facts, and a captured incident replays to the same findings.
import type { MeshSnapshot } from '../src/store/types.ts';

export type Severity = 'pass' | 'info' | 'warn' | 'fail' | 'unknown';

/** Stable ids; documentation, remediation and scenarios' root causes refer to them. */
export type CheckId =
  | 'MC-ACCESS-001'
  | 'MC-ENV-001'
  | 'MC-LIC-001'
  | 'MC-NET-001'
  | 'MC-CERT-001'
  | 'MC-CERT-002'
  | 'MC-EW-001'
  | 'MC-PEER-002'
  | 'MC-PEER-001'
  | 'MC-POD-001'
  | 'MC-DNS-001'
  | 'MC-WE-001'
  | 'MC-SVC-001'
  | 'MC-XDS-001'
  | 'MC-LOG-001';

/** The object a finding is about; `context` is the kubeconfig context that holds it. */
export interface Subject {
  context: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** One field that proves the finding, as a user could read it with kubectl. */
export interface Evidence {
  context: string;
  /** e.g. `Namespace istio-system .metadata.labels["topology.istio.io/network"]` or `log istio-system/ztunnel-abc`. */
  where: string;
  value: string;
}

export interface Remediation {
  /** What to do, in one or two sentences. */
  summary: string;
  /** Exact commands with the right --context, names and values filled in. Never secrets. */
  commands: string[];
  /** The guided action that does this from the console, when one exists. */
  actionId?: string;
}

export interface Finding {
  check: CheckId;
  /** The check's title, repeated so a finding reads on its own. */
  title: string;
  severity: Severity;
  /** Contexts this finding concerns (a cross-cluster finding names several). */
  contexts: string[];
  subject: Subject;
  message: string;
  evidence: Evidence[];
  remediation?: Remediation;
  /** Root causes come first; a symptom names the check whose failure explains it. */
  explainedBy?: CheckId;
}

export interface CheckOptions {
  /** Like `istioctl multicluster check --precheck`: before linking, missing or disconnected peers do not fail. */
  precheck: boolean;
  /** The istio namespace the console was pointed at. */
  istioNamespace: string;
}

export interface CheckDefinition {
  id: CheckId;
  title: string;
  /** What it reads from the snapshot (resources and facts), for the docs and for `unknown` reasons. */
  reads: string[];
  /** How it decides, in prose: the documentation of the check. */
  decides: string;
  /** General remediation text; findings carry the concrete commands. */
  remediation: string;
  run(snapshot: MeshSnapshot, options: CheckOptions): Finding[];
}
