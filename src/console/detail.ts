// What Enter opens: the detail of the row's object, finding, signature, proxy, log line, context
// or link. Screens call this from a zustand selector, so it hands back the same DetailModel while
// what it shows is the same: each kind of detail lists the store slices it reads (memoInputs.ts),
// and a bookmark or a change elsewhere in the mesh does not rebuild it.
import type { DetailModel, DetailRef } from './types.ts';
import type { Evaluation } from '../../checks/evaluate.ts';
import type { ContextId, MeshState } from '../store/types.ts';
import { EASTWEST_SERVICES } from '../store/resourceIds.ts';
import { selectLogSignatures, selectLogStreams, selectLogTail, selectObject, selectObjects, selectProxyRows } from '../store/selectors.ts';
import { effectiveStatus } from '../store/selectors.ts';
import { clusterGroupsKey, clusterIdsKey } from './rows/clusterNames.ts';
import { selectLinkMatrix } from './rows/linkMatrix.ts';
import { memoByInputs } from './rows/memoInputs.ts';
import { selectContextIds } from '../store/selectors.ts';
import { objectDetail } from './details/objectDetail.ts';
import { findingDetail } from './details/findingDetail.ts';
import { logLineDetail, signatureDetail } from './details/logDetail.ts';
import { proxyDetail } from './details/proxyDetail.ts';
import { contextDetail, linkDetail } from './details/contextDetail.ts';
import { factEntries } from './details/factEntries.ts';

type Ref<T extends DetailRef['type']> = Extract<DetailRef, { type: T }>;

interface Args<R> {
  ref: R;
  state: MeshState;
  evaluation: Evaluation | undefined;
  readOnly: boolean;
}

const objectModel = memoByInputs(({ ref, state }: Args<Ref<'object'>>) =>
  objectDetail(
    state,
    ref,
    selectObject(state, ref.context as ContextId, ref.kind, ref.namespace, ref.name),
    selectObjects(state, ref.context as ContextId, EASTWEST_SERVICES),
  ),
);
const findingModel = memoByInputs(({ ref, evaluation, readOnly }: Args<Ref<'finding'>>) => findingDetail(ref.key, evaluation, readOnly));
const signatureModel = memoByInputs(({ ref, state, evaluation }: Args<Ref<'signature'>>) =>
  signatureDetail(ref.signature, ref.context, selectLogSignatures(state, ref.context as ContextId | undefined), evaluation),
);
const proxyModel = memoByInputs(({ ref, state }: Args<Ref<'proxy'>>) =>
  proxyDetail(ref.context, ref.name, selectProxyRows(state, ref.context as ContextId)),
);
const logLineModel = memoByInputs(({ ref, state, evaluation }: Args<Ref<'logLine'>>) =>
  logLineDetail(ref.key, selectLogTail(state, contextOfLine(ref.key)), evaluation),
);
const contextModel = memoByInputs(({ ref, state }: Args<Ref<'context'>>) => contextDetail(state, ref.context));
const linkModel = memoByInputs(({ ref, state }: Args<Ref<'link'>>) => linkDetail(selectLinkMatrix(state), ref.from, ref.to));

/** A log line's key is `<context>#<seq>` (store/logTail.ts). */
function contextOfLine(key: string): ContextId {
  const hash = key.lastIndexOf('#');
  return (hash > 0 ? key.slice(0, hash) : key) as ContextId;
}

/** What a context's detail shows, as values that compare across commits (not the context record, which moves with bookmarks). */
function contextInputs(state: MeshState, context: string): unknown[] {
  const ctx = state.contexts[context as ContextId];
  if (ctx === undefined) return [context];
  const resources = Object.values(ctx.resources)
    .map((r) => `${r.resource} ${r.sync} ${r.error?.message ?? ''} ${Object.keys(r.objects).length}`)
    .join('\n');
  const factText = factEntries(state.facts[context as ContextId])
    .map(({ kind, pod, fact }) => `${kind} ${pod} ${fact.state === 'known' ? fact.observedAt : fact.reason}`)
    .join('\n');
  return [
    context,
    effectiveStatus(ctx),
    ctx.clusterId,
    ctx.endpoint,
    ctx.lastError,
    resources,
    selectLogStreams(state, context as ContextId),
    factText,
    clusterGroupsKey(state),
  ];
}

/**
 * The detail for `ref`. `readOnly` hides the guided actions (`--read-only`), like the overview's
 * ACTION column.
 */
export function selectDetail(ref: DetailRef, state: MeshState, evaluation: Evaluation | undefined, readOnly = false): DetailModel {
  switch (ref.type) {
    case 'object':
      return objectModel(
        [
          ref.context,
          ref.kind,
          ref.namespace,
          ref.name,
          selectObject(state, ref.context as ContextId, ref.kind, ref.namespace, ref.name),
          selectObjects(state, ref.context as ContextId, EASTWEST_SERVICES),
          // A remote Gateway's peer is read from the other clusters: the matrix moves when they do.
          ref.kind === 'Gateway' ? selectLinkMatrix(state) : undefined,
          ref.kind === 'Gateway' ? clusterIdsKey(state, selectContextIds(state)) : undefined,
        ],
        { ref, state, evaluation, readOnly },
      );
    case 'finding':
      return findingModel([ref.key, evaluation?.findings, evaluation?.causeOf, readOnly], { ref, state, evaluation, readOnly });
    case 'signature':
      return signatureModel(
        [ref.signature, ref.context, selectLogSignatures(state, ref.context as ContextId | undefined), evaluation?.findings],
        {
          ref,
          state,
          evaluation,
          readOnly,
        },
      );
    case 'proxy':
      return proxyModel([ref.context, ref.name, selectProxyRows(state, ref.context as ContextId)], { ref, state, evaluation, readOnly });
    case 'logLine':
      return logLineModel([ref.key, selectLogTail(state, contextOfLine(ref.key)), evaluation?.findings], {
        ref,
        state,
        evaluation,
        readOnly,
      });
    case 'context':
      return contextModel(contextInputs(state, ref.context), { ref, state, evaluation, readOnly });
    case 'link':
      return linkModel([ref.from, ref.to, selectLinkMatrix(state)], { ref, state, evaluation, readOnly });
  }
}
