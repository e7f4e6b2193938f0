// What a check is and what it finds. A check is a pure function of a MeshSnapshot: no I/O, no
// clock but the snapshot's, no randomness, so the TUI and `--once` give the same answer for
// the same facts, and a captured incident replays to the same findings.
import type { MeshSnapshot } from '../src/store/types.ts';
import type { CheckId } from './checkIds.ts';
import type { SymptomKind } from './explanations.ts';

export type Severity = 'pass' | 'info' | 'warn' | 'fail' | 'unknown';

export type { CheckId } from './checkIds.ts';

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

/** The console's guided actions (src/actions/); a finding names the one that fixes it. */
export type ActionId = 'relabel-network' | 'delete-stale-workloadentries' | 'rerun-checks';

/** What an action is to do to one target object: data an action plans from, never parsed text. */
export type IntendedChange =
  /** `value` absent: the user chooses it (e.g. a new network name). */
  | { op: 'setLabel'; key: string; value?: string }
  | { op: 'delete' }
  /** Not patched from the console (Helm-owned): the action shows the command instead. */
  | { op: 'helmValue'; release: string; key: string; value: string };

/** One object a remediation changes, as the finding saw it. */
export interface RemediationTarget {
  context: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** The uid and resourceVersion seen when the finding was made: an action's preconditions. */
  uid?: string;
  resourceVersion?: string;
  change: IntendedChange;
}

export interface Remediation {
  /** What to do, in one or two sentences. */
  summary: string;
  /** Exact commands with the right --context, names and values filled in. Never secrets. */
  commands: string[];
  /** The guided action that does this from the console, when one exists. */
  actionId?: ActionId;
  /** The objects the guided action changes, and how; present when the finding knows them. */
  targets?: RemediationTarget[];
}

/**
 * A finding that may be a symptom says of what kind (checks/explanations.ts maps each kind to
 * the checks that explain it) and in which contexts the cause would show.
 */
export interface SymptomOf {
  kind: SymptomKind;
  /** Defaults to the finding's contexts. */
  contexts?: string[];
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
  /** Set by the check: what this finding could be a symptom of. */
  symptomOf?: SymptomOf;
  /** Set by the explanation pass only: the check whose finding explains this one. */
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
