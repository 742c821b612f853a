/**
 * The workflow editor's data and operations: the queries it reads, the reducer that holds what is
 * being edited, and the saves that talk to the server. The section components only render what
 * this returns and call its operations.
 */
import { useCallback, useEffect, useMemo, useReducer } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, post, put, q } from '../../api';
import { useActionTypes, useAllSequences, useForms, useSenders } from '../../lib/data';
import { buildCriteria, flowBody, isLinear, orderedActions, withActions } from '../../lib/flow';
import { useRouter } from '../../router';
import type { Flow, FlowAction, GuardrailIssue } from '../../types';
import { brokenActions, mergeIssues } from './action-problems';
import { editorReducer, initialEditorState, type SaveKind } from './editor-state';

export function useWorkflowEditor(id: string) {
  const queryClient = useQueryClient();
  const { search } = useRouter();
  const flowQ = useQuery({ queryKey: ['flow', id], queryFn: () => get<Flow>(`/automation/v4/flows/${id}`) });
  const actionTypes = useActionTypes();
  const forms = useForms();
  const sequences = useAllSequences();
  const senders = useSenders();
  const [state, dispatch] = useReducer(editorReducer, initialEditorState);
  const { draft, trigger, reEnroll } = state;

  const load = useCallback((flow: Flow) => dispatch({ type: 'loaded', flow, preferPropertyTrigger: search.get('trigger') === 'property' }), [search]);
  useEffect(() => {
    if (flowQ.data && !draft) load(flowQ.data);
  }, [flowQ.data, draft, load]);

  const check = useQuery({
    queryKey: ['flow-check', id, draft?.revisionId],
    enabled: !!draft,
    queryFn: async () => (await post<{ issues: GuardrailIssue[] }>(`/seqflow/v1/workflows/${id}/check`)).issues,
  });

  const ordered = useMemo(() => (draft ? orderedActions(draft) : []), [draft]);
  const typeName = useCallback((typeId: string) => actionTypes.data?.find((t) => t.actionTypeId === typeId)?.actionName ?? `Action ${typeId}`, [actionTypes.data]);
  const issues = useMemo(() => mergeIssues(check.data, state.warnings), [check.data, state.warnings]);
  const broken = useMemo(() => brokenActions(issues, ordered, sequences.data, senders.options), [issues, ordered, sequences.data, senders.options]);

  /** Saves `next` with the trigger as drafted, optionally turning the workflow on or off. */
  const persist = async (next: Flow, opts: { enable?: boolean; enrollExisting?: boolean; acknowledge?: string } = {}): Promise<Flow> => {
    const criteria = buildCriteria(trigger, reEnroll);
    const body: Record<string, unknown> = { ...flowBody(next), isEnabled: opts.enable ?? next.isEnabled };
    if (criteria) body.enrollmentCriteria = criteria;
    else delete body.enrollmentCriteria;
    const saved = await put<Flow>(`/automation/v4/flows/${id}${q({ enrollExisting: opts.enrollExisting ? 'true' : undefined, acknowledge: opts.acknowledge })}`, body);
    queryClient.setQueryData(['flow', id], saved);
    void queryClient.invalidateQueries({ queryKey: ['flows'] });
    return saved;
  };

  /** One save, reported through the reducer; `notice` is what the editor says when it worked. */
  const run = async (kind: SaveKind, next: Flow, notice: string, opts?: Parameters<typeof persist>[1], onError?: (err: unknown) => boolean) => {
    dispatch({ type: 'saveStarted', kind });
    try {
      dispatch({ type: 'saved', kind, flow: await persist(next, opts), notice });
    } catch (err) {
      if (!onError?.(err)) dispatch({ type: 'saveFailed', kind, error: err });
    }
  };

  const operations = {
    saveAll: () => draft && run('workflow', draft, 'Workflow saved.'),
    saveAction: (action: FlowAction, insertAt: number | null) => {
      if (!draft) return;
      const list = [...ordered];
      if (insertAt === null) list[list.findIndex((a) => a.actionId === action.actionId)] = action;
      else list.splice(insertAt, 0, action);
      return run('action', withActions(draft, list), `${typeName(action.actionTypeId)} saved.`);
    },
    deleteAction: (action: FlowAction) =>
      draft && run('delete', withActions(draft, ordered.filter((a) => a.actionId !== action.actionId)), `${typeName(action.actionTypeId)} deleted.`),
    turnOn: (enrollExisting: boolean, acknowledge?: string) =>
      draft &&
      run('turnOn', draft, 'The workflow is on.', { enable: true, enrollExisting, acknowledge }, (err) => {
        // Too many existing contacts: the server wants the count acknowledged, so ask again with it.
        if (!(err instanceof ApiError && err.status === 409 && err.subCategory === 'ENROLLS_MANY')) return false;
        const count = Number(err.body?.context?.count?.[0] ?? /(\d+)/.exec(err.message)?.[1] ?? 0);
        dispatch({ type: 'enrollsMany', count, message: err.message });
        return true;
      }),
    turnOff: () => draft && run('turnOff', draft, 'The workflow is off. Contacts already in it stay where they are and continue when it is turned on again.', { enable: false }),
    /** After a STALE_REVISION error: drop the edits and load what the server has now. */
    reload: async () => {
      dispatch({ type: 'reloadStarted' });
      load(await queryClient.fetchQuery({ queryKey: ['flow', id], queryFn: () => get<Flow>(`/automation/v4/flows/${id}`), staleTime: 0 }));
    },
  };

  return {
    loadError: flowQ.error,
    state,
    dispatch,
    ordered,
    typeName,
    issues,
    broken,
    linear: draft ? isLinear(draft) : true,
    actionTypes: actionTypes.data,
    forms: forms.data,
    sequences: sequences.data,
    senders,
    ...operations,
  };
}

export type WorkflowEditorModel = ReturnType<typeof useWorkflowEditor>;
