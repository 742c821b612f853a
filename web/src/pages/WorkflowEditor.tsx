import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, errorText, get, post, put, q } from '../api';
import { Link, useRouter } from '../router';
import { Badge, Dialog, ErrorDetails, ErrorMessage, Field, Loading } from '../components/ui';
import { ActionPanel, type PanelState } from '../components/ActionPanel';
import { useActionTypes, useAllSequences, useForms, useSenders, type SenderOption, type SequenceRow } from '../lib/data';
import { ACTION, buildCriteria, FALLBACK_ACTION_NAMES, flowBody, isLinear, newActionId, orderedActions, parseTrigger, PROPERTY_OPERATORS, TRIGGER_KINDS, withActions, type PropertyCondition, type TriggerDraft } from '../lib/flow';
import { durationText, userName } from '../lib/format';
import type { ActionType, Flow, FlowAction, Form, GuardrailIssue } from '../types';

type TurnOn = { step: 'ask'; enrollExisting: boolean } | { step: 'many'; enrollExisting: true; count: number; message: string } | null;

export function WorkflowEditor({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const { search } = useRouter();
  const flowQ = useQuery({ queryKey: ['flow', id], queryFn: () => get<Flow>(`/automation/v4/flows/${id}`) });
  const actionTypes = useActionTypes();
  const forms = useForms();
  const sequences = useAllSequences();
  const senders = useSenders();

  const [draft, setDraft] = useState<Flow | null>(null);
  const [trigger, setTrigger] = useState<TriggerDraft>({ kind: 'none' });
  const [reEnroll, setReEnroll] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [panel, setPanel] = useState<PanelState | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [panelError, setPanelError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<GuardrailIssue[]>([]);
  const [turnOn, setTurnOn] = useState<TurnOn>(null);
  const [deleting, setDeleting] = useState<FlowAction | null>(null);

  const reset = useCallback(
    (f: Flow) => {
      setDraft(f);
      const t = parseTrigger(f.enrollmentCriteria);
      setTrigger(t.kind === 'none' && search.get('trigger') === 'property' ? { kind: 'property', conditions: [{ property: '', operator: 'IS_EQUAL_TO', value: '' }] } : t);
      setReEnroll(f.enrollmentCriteria?.shouldReEnroll ?? false);
      setDirty(false);
    },
    [search],
  );
  useEffect(() => {
    if (flowQ.data && !draft) reset(flowQ.data);
  }, [flowQ.data, draft, reset]);

  const check = useQuery({
    queryKey: ['flow-check', id, draft?.revisionId],
    enabled: !!draft,
    queryFn: async () => (await post<{ issues: GuardrailIssue[] }>(`/seqflow/v1/workflows/${id}/check`)).issues,
  });

  const ordered = useMemo(() => (draft ? orderedActions(draft) : []), [draft]);
  const typeName = useCallback((typeId: string) => actionTypes.data?.find((t) => t.actionTypeId === typeId)?.actionName ?? FALLBACK_ACTION_NAMES[typeId] ?? `Action ${typeId}`, [actionTypes.data]);

  // Guardrail issues from the server, plus what the editor can see itself (a sequence no longer listed).
  const issues = useMemo(() => {
    const all = [...(check.data ?? [])];
    for (const w of warnings) if (!all.some((i) => i.code === w.code && i.actionId === w.actionId)) all.push(w);
    return all;
  }, [check.data, warnings]);
  const broken = useMemo(() => {
    const out = new Map<string, string[]>();
    const add = (actionId: string, msg: string) => out.set(actionId, [...(out.get(actionId) ?? []), msg]);
    for (const i of issues) if (i.level === 'error' && i.actionId) add(i.actionId, i.message);
    for (const a of ordered) {
      if (a.actionTypeId !== ACTION.ENROLL) continue;
      const seqId = String(a.fields.sequenceId ?? '');
      if (sequences.data && seqId && !sequences.data.some((s) => s.id === seqId) && !issues.some((i) => i.actionId === a.actionId && i.code === 'SEQUENCE_DELETED')) {
        add(a.actionId, `Sequence ${seqId} was deleted or does not exist: this action no longer enrolls contacts. Choose another sequence.`);
      }
      if (senders.options && a.fields.senderType !== 'CONTACT_OWNER' && !issues.some((i) => i.actionId === a.actionId && i.code === 'SENDER_INELIGIBLE')) {
        const s = senders.options.find((o) => o.user.id === String(a.fields.userId ?? ''));
        if (s && !s.eligible) add(a.actionId, `${userName(s.user)} can no longer send sequences from workflows: ${s.reason}.`);
      }
    }
    return out;
  }, [issues, ordered, sequences.data, senders.options]);

  if (flowQ.error) return <main className="page"><ErrorMessage error={flowQ.error} title="Could not load the workflow" /><Link to="/workflows">Back to workflows</Link></main>;
  if (!draft) return <main className="page"><Loading what="the workflow" /></main>;

  /** Saves the workflow as drafted, optionally with `next` actions, turning it on or off. */
  const persist = async (next: Flow, opts: { enable?: boolean; enrollExisting?: boolean; acknowledge?: string } = {}): Promise<Flow> => {
    const criteria = buildCriteria(trigger, reEnroll);
    const body: Record<string, unknown> = { ...flowBody(next), isEnabled: opts.enable ?? next.isEnabled };
    if (criteria) body.enrollmentCriteria = criteria;
    else delete body.enrollmentCriteria;
    const saved = await put<Flow>(`/automation/v4/flows/${id}${q({ enrollExisting: opts.enrollExisting ? 'true' : undefined, acknowledge: opts.acknowledge })}`, body);
    queryClient.setQueryData(['flow', id], saved);
    void queryClient.invalidateQueries({ queryKey: ['flows'] });
    setDraft(saved);
    setDirty(false);
    setWarnings(saved.warnings ?? []);
    return saved;
  };

  const saveAll = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      await persist(draft);
      setNotice('Workflow saved.');
    } catch (err) {
      setSaveError(err);
    } finally {
      setSaving(false);
    }
  };

  const saveAction = async (action: FlowAction, insertAt: number | null) => {
    setPanelError(null);
    setSaveError(null);
    const list = [...ordered];
    if (insertAt === null) list[list.findIndex((a) => a.actionId === action.actionId)] = action;
    else list.splice(insertAt, 0, action);
    const next = withActions(draft, list);
    setSaving(true);
    try {
      await persist(next);
      setPanel(null);
      setNotice(`${typeName(action.actionTypeId)} saved.`);
    } catch (err) {
      setPanelError(err);
    } finally {
      setSaving(false);
    }
  };

  const deleteAction = async (action: FlowAction) => {
    setSaveError(null);
    try {
      await persist(withActions(draft, ordered.filter((a) => a.actionId !== action.actionId)));
      setNotice(`${typeName(action.actionTypeId)} deleted.`);
    } catch (err) {
      setSaveError(err);
    }
    setDeleting(null);
  };

  const doTurnOn = async (enrollExisting: boolean, acknowledge?: string) => {
    setSaveError(null);
    setSaving(true);
    try {
      await persist(draft, { enable: true, enrollExisting, acknowledge });
      setTurnOn(null);
      setNotice('The workflow is on.');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.subCategory === 'ENROLLS_MANY') {
        const count = Number(err.body?.context?.count?.[0] ?? /(\d+)/.exec(err.message)?.[1] ?? 0);
        setTurnOn({ step: 'many', enrollExisting: true, count, message: err.message });
      } else {
        setTurnOn(null);
        setSaveError(err);
      }
    } finally {
      setSaving(false);
    }
  };
  const doTurnOff = async () => {
    setSaveError(null);
    try {
      await persist(draft, { enable: false });
      setNotice('The workflow is off. Contacts already in it stay where they are and continue when it is turned on again.');
    } catch (err) {
      setSaveError(err);
    }
  };

  const stale = saveError instanceof ApiError && saveError.subCategory === 'STALE_REVISION';
  const generalIssues = issues.filter((i) => !i.actionId);
  const linear = isLinear(draft);

  const change = (f: (d: Flow) => Flow) => {
    setDraft((d) => (d ? f(d) : d));
    setDirty(true);
  };

  return (
    <main className={`page editor${panel ? ' with-panel' : ''}`}>
      <div className="editor-main">
        <div className="page-head">
          <div className="crumbs">
            <Link to="/workflows">Workflows</Link> /
          </div>
          <label className="sr-only" htmlFor="wf-name">
            Workflow name
          </label>
          <input id="wf-name" className="title-input" value={draft.name} onChange={(e) => change((d) => ({ ...d, name: e.target.value }))} />
          <div className="head-actions">
            {draft.isEnabled ? <Badge kind="ok">On</Badge> : <Badge kind="off">Off</Badge>}
            {draft.needsReview && (
              <Badge kind="error" title={draft.reviewReason}>
                Needs review
              </Badge>
            )}
            <Link to={`/workflows/${id}/history`} className="button secondary">
              History
            </Link>
            <button type="button" onClick={saveAll} disabled={!dirty || saving}>
              Save changes
            </button>
            {draft.isEnabled ? (
              <button type="button" onClick={doTurnOff} disabled={saving}>
                Turn off
              </button>
            ) : (
              <button type="button" className="primary" onClick={() => setTurnOn({ step: 'ask', enrollExisting: false })} disabled={saving}>
                Turn on
              </button>
            )}
          </div>
        </div>
        {notice && !dirty && (
          <p className="message ok" role="status">
            {notice}
          </p>
        )}
        {dirty && (
          <p className="message info" role="status">
            You have unsaved changes.
          </p>
        )}
        {saveError !== null && (
          <div className="message error" role="alert">
            {errorText(saveError)}
            <ErrorDetails error={saveError} />
            {stale && (
              <button
                type="button"
                onClick={async () => {
                  setSaveError(null);
                  reset(await queryClient.fetchQuery({ queryKey: ['flow', id], queryFn: () => get<Flow>(`/automation/v4/flows/${id}`), staleTime: 0 }));
                }}
              >
                Reload the workflow
              </button>
            )}
          </div>
        )}
        {draft.needsReview && draft.reviewReason && (
          <p className="message error" role="note">
            Needs review: {draft.reviewReason}
          </p>
        )}
        {generalIssues.length > 0 && (
          <section className="issues" aria-label="Guardrail checks">
            {generalIssues.map((i) => (
              <p key={i.code} className={`message ${i.level === 'error' ? 'error' : 'warning'}`}>
                <strong>{i.level === 'error' ? 'Error' : 'Warning'}:</strong> {i.message}
              </p>
            ))}
          </section>
        )}

        <ol className="flow" aria-label="Workflow steps">
          <li className="flow-node trigger-node">
            <TriggerCard trigger={trigger} reEnroll={reEnroll} forms={forms.data} onChange={(t) => (setTrigger(t), setDirty(true))} onReEnroll={(v) => (setReEnroll(v), setDirty(true))} />
          </li>
          <AddButton label="Add action after trigger" onClick={() => (setPanelError(null), setPanel({ mode: 'choose', insertAt: 0 }))} disabled={!linear} />
          {ordered.map((a, i) => (
            <ActionNode
              key={a.actionId}
              action={a}
              index={i}
              name={typeName(a.actionTypeId)}
              problems={broken.get(a.actionId) ?? []}
              warnings={issues.filter((w) => w.actionId === a.actionId && w.level === 'warning')}
              sequences={sequences.data}
              senders={senders.options}
              editable={a.type === 'SINGLE_CONNECTION'}
              selected={panel?.mode === 'edit' && panel.action.actionId === a.actionId}
              onEdit={() => (setPanelError(null), setPanel({ mode: 'edit', action: a, insertAt: null }))}
              onDelete={() => setDeleting(a)}
              addAfter={() => (setPanelError(null), setPanel({ mode: 'choose', insertAt: i + 1 }))}
              canAdd={linear}
            />
          ))}
          <li className="flow-end" aria-hidden="true">
            End
          </li>
        </ol>
        {!linear && <p className="hint">This workflow has branches; add and move actions through the API.</p>}
      </div>

      {panel && (
        <ActionPanel
          state={panel}
          actionTypes={actionTypes.data as ActionType[] | undefined}
          typeName={typeName}
          sequences={sequences.data}
          senders={senders.options}
          users={senders.users}
          error={panelError}
          saving={saving}
          problems={panel.mode === 'edit' ? (broken.get(panel.action.actionId) ?? []) : []}
          onChoose={(actionTypeId) => {
            setPanelError(null);
            if (panel.mode !== 'choose') return;
            const defaults: Record<string, Record<string, unknown>> = {
              [ACTION.DELAY]: { delta: '1', time_unit: 'DAYS' },
              [ACTION.ENROLL]: { senderType: 'SPECIFIC_USER', shouldUseContactTimeZone: false },
            };
            setPanel({
              mode: 'edit',
              insertAt: panel.insertAt,
              action: { type: 'SINGLE_CONNECTION', actionId: newActionId(draft), actionTypeId, actionTypeVersion: 0, fields: defaults[actionTypeId] ?? {} },
            });
          }}
          onBack={() => panel.mode === 'edit' && panel.insertAt !== null && setPanel({ mode: 'choose', insertAt: panel.insertAt })}
          onSave={(action) => saveAction(action, panel.mode === 'edit' ? panel.insertAt : null)}
          onClose={() => setPanel(null)}
        />
      )}

      {turnOn && (
        <Dialog
          title={turnOn.step === 'ask' ? 'Turn on this workflow?' : `Enroll ${turnOn.count} contacts?`}
          onClose={() => setTurnOn(null)}
          actions={
            turnOn.step === 'ask' ? (
              <>
                <button type="button" onClick={() => setTurnOn(null)}>
                  Cancel
                </button>
                <button type="button" className="primary" disabled={saving} onClick={() => doTurnOn(turnOn.enrollExisting)}>
                  Turn on
                </button>
              </>
            ) : (
              <>
                <button type="button" onClick={() => setTurnOn(null)}>
                  Cancel
                </button>
                <button type="button" className="danger" disabled={saving} onClick={() => doTurnOn(true, 'ENROLLS_MANY')}>
                  Enroll {turnOn.count} contacts and turn on
                </button>
              </>
            )
          }
        >
          {turnOn.step === 'ask' ? (
            <fieldset>
              <legend>Which contacts should the workflow enroll?</legend>
              <label className="check">
                <input type="radio" name="existing" checked={!turnOn.enrollExisting} onChange={() => setTurnOn({ step: 'ask', enrollExisting: false })} /> Only contacts who meet the trigger from now on
              </label>
              <label className="check">
                <input type="radio" name="existing" checked={turnOn.enrollExisting} onChange={() => setTurnOn({ step: 'ask', enrollExisting: true })} /> Also contacts who meet the trigger criteria now
              </label>
            </fieldset>
          ) : (
            <div className="message warning" role="alert">
              <p>
                <strong>Turning this workflow on would enroll {turnOn.count} existing contacts in a sequence.</strong>
              </p>
              <p>{turnOn.message}</p>
              <p>Sequences are for personal, one-to-one follow-up. Do not automate enrollment of more than 100 contacts, recently imported cold leads, or contacts chosen by non-personal criteria.</p>
            </div>
          )}
        </Dialog>
      )}
      {deleting && (
        <Dialog
          title="Delete this action?"
          onClose={() => setDeleting(null)}
          actions={
            <>
              <button type="button" onClick={() => setDeleting(null)}>
                Cancel
              </button>
              <button type="button" className="danger" onClick={() => deleteAction(deleting)}>
                Delete action
              </button>
            </>
          }
        >
          <p>
            {typeName(deleting.actionTypeId)} will be removed and the workflow saved. Contacts already past it are not affected.
          </p>
        </Dialog>
      )}
    </main>
  );
}

function AddButton({ label, onClick, disabled }: { label: string; onClick(): void; disabled?: boolean }) {
  return (
    <li className="flow-add">
      <button type="button" className="plus" aria-label={label} title={label} onClick={onClick} disabled={disabled}>
        +
      </button>
    </li>
  );
}

function TriggerCard({ trigger, reEnroll, forms, onChange, onReEnroll }: { trigger: TriggerDraft; reEnroll: boolean; forms: Form[] | undefined; onChange(t: TriggerDraft): void; onReEnroll(v: boolean): void }) {
  const setKind = (kind: TriggerDraft['kind']) => {
    if (kind === 'form') onChange({ kind, formId: '' });
    else if (kind === 'property') onChange({ kind, conditions: [{ property: '', operator: 'IS_EQUAL_TO', value: '' }] });
    else if (kind !== 'other') onChange({ kind } as TriggerDraft);
  };
  const setCondition = (i: number, c: Partial<PropertyCondition>) =>
    trigger.kind === 'property' && onChange({ kind: 'property', conditions: trigger.conditions.map((x, j) => (j === i ? { ...x, ...c } : x)) });
  return (
    <section className="card trigger" aria-labelledby="trigger-h">
      <h2 id="trigger-h">Trigger</h2>
      <p className="hint">Contacts are enrolled when…</p>
      <Field label="Trigger">
        {(id) => (
          <select id={id} value={trigger.kind} onChange={(e) => setKind(e.target.value as TriggerDraft['kind'])}>
            {TRIGGER_KINDS.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
            {trigger.kind === 'other' && <option value="other">Custom trigger (set through the API)</option>}
          </select>
        )}
      </Field>
      {trigger.kind === 'form' && (
        <Field label="Form">
          {(id) => (
            <select id={id} value={trigger.formId} onChange={(e) => onChange({ kind: 'form', formId: e.target.value })}>
              <option value="">Any form</option>
              {forms?.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
              {trigger.formId && forms && !forms.some((f) => f.id === trigger.formId) && <option value={trigger.formId}>Unknown form {trigger.formId}</option>}
            </select>
          )}
        </Field>
      )}
      {trigger.kind === 'property' && (
        <fieldset className="conditions">
          <legend>Contacts whose properties match all of</legend>
          {trigger.conditions.map((c, i) => {
            const op = PROPERTY_OPERATORS.find((o) => o.id === c.operator);
            return (
              <div key={i} className="condition">
                <input aria-label={`Property ${i + 1}`} placeholder="property, e.g. lifecyclestage" value={c.property} onChange={(e) => setCondition(i, { property: e.target.value })} />
                <select aria-label={`Operator ${i + 1}`} value={c.operator} onChange={(e) => setCondition(i, { operator: e.target.value })}>
                  {PROPERTY_OPERATORS.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.label}
                    </option>
                  ))}
                </select>
                {op?.needsValue !== false && <input aria-label={`Value ${i + 1}`} placeholder="value" value={c.value} onChange={(e) => setCondition(i, { value: e.target.value })} />}
                <button type="button" className="icon" aria-label={`Remove condition ${i + 1}`} onClick={() => onChange({ kind: 'property', conditions: trigger.conditions.filter((_, j) => j !== i) })}>
                  ×
                </button>
              </div>
            );
          })}
          <button type="button" onClick={() => onChange({ kind: 'property', conditions: [...trigger.conditions, { property: '', operator: 'IS_EQUAL_TO', value: '' }] })}>
            Add condition
          </button>
        </fieldset>
      )}
      {trigger.kind === 'other' && <p className="hint">This trigger was set through the API; it is kept as it is.</p>}
      <label className="check">
        <input type="checkbox" checked={reEnroll} onChange={(e) => onReEnroll(e.target.checked)} disabled={trigger.kind === 'none'} /> Re-enroll contacts when the trigger happens again
      </label>
    </section>
  );
}

function actionSummary(a: FlowAction, sequences: SequenceRow[] | undefined, senders: SenderOption[] | undefined): string[] {
  const f = a.fields;
  switch (a.actionTypeId) {
    case ACTION.ENROLL: {
      const seq = sequences?.find((s) => s.id === String(f.sequenceId ?? ''));
      const sender = senders?.find((s) => s.user.id === String(f.userId ?? ''));
      return [
        `Sequence: ${seq ? seq.name : f.sequenceId ? (sequences ? `deleted or missing sequence #${String(f.sequenceId)}` : `#${String(f.sequenceId)}`) : 'not chosen'}`,
        f.senderType === 'CONTACT_OWNER' ? 'Sender: the contact owner' : `Sender: ${sender ? userName(sender.user) : f.userId ? `user ${String(f.userId)}` : 'not chosen'}${f.senderEmail ? ` <${String(f.senderEmail)}>` : ''}`,
        ...(f.shouldUseContactTimeZone ? ["Sends in the contact's time zone"] : []),
      ];
    }
    case ACTION.UNENROLL:
      return ['Unenrolls the contact from the sequence they are active in.'];
    case ACTION.DELAY: {
      const n = Number(f.delta);
      const unit = String(f.time_unit ?? f.timeUnit ?? 'DAYS').toLowerCase().replace(/s$/, '');
      const ms = n * ({ minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 }[unit] ?? 0);
      return [`Wait ${ms ? durationText(ms) : `${String(f.delta)} ${unit}s`}`];
    }
    case ACTION.SET_PROPERTY: {
      const v = f.value as { staticValue?: string } | string | undefined;
      return [`Set ${String(f.property_name ?? '?')} to "${typeof v === 'object' ? (v?.staticValue ?? '') : String(v ?? '')}"`];
    }
    case ACTION.CREATE_TASK:
      return [`Task: ${String(f.subject ?? '')}`];
    default:
      return [JSON.stringify(f)];
  }
}

function ActionNode(p: {
  action: FlowAction;
  index: number;
  name: string;
  problems: string[];
  warnings: GuardrailIssue[];
  sequences: SequenceRow[] | undefined;
  senders: SenderOption[] | undefined;
  editable: boolean;
  selected: boolean;
  canAdd: boolean;
  onEdit(): void;
  onDelete(): void;
  addAfter(): void;
}) {
  const n = p.index + 1;
  const isBroken = p.problems.length > 0;
  return (
    <>
      <li className={`flow-node action${isBroken ? ' broken' : ''}${p.selected ? ' selected' : ''}`} aria-label={`Action ${n}: ${p.name}${isBroken ? ' (broken)' : ''}`} data-testid={`action-${p.action.actionId}`}>
        <div className="card">
          <div className="action-head">
            <span className="step-no" aria-hidden="true">
              {n}
            </span>
            <h3>{p.name}</h3>
            {isBroken && <Badge kind="error">Broken</Badge>}
            <div className="spacer" />
            {p.editable && (
              <button type="button" className="small" onClick={p.onEdit}>
                Edit<span className="sr-only"> action {n}</span>
              </button>
            )}
            <button type="button" className="small secondary" onClick={p.onDelete}>
              Delete<span className="sr-only"> action {n}</span>
            </button>
          </div>
          <ul className="summary">
            {actionSummary(p.action, p.sequences, p.senders).map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          {p.problems.map((m) => (
            <p key={m} className="problem">
              {m}
            </p>
          ))}
          {p.warnings.map((w) => (
            <p key={w.code} className="message warning">
              {w.message}
            </p>
          ))}
        </div>
      </li>
      <AddButton label={`Add action after action ${n}`} onClick={p.addAfter} disabled={!p.canAdd} />
    </>
  );
}
