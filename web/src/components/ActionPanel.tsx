import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ErrorDetails, ErrorMessage, Field } from './ui';
import { fetchSequence, sequenceHasPlaceholders, type SenderOption, type SequenceRow } from '../lib/data';
import { ACTION, GROUP_LABELS } from '../lib/flow';
import { actionFormOf } from './action-forms';
import { userName } from '../lib/format';
import type { ActionType, FlowAction, User } from '../types';

export type PanelState = { mode: 'choose'; insertAt: number } | { mode: 'edit'; action: FlowAction; insertAt: number | null };

interface Props {
  state: PanelState;
  actionTypes: ActionType[] | undefined;
  typeName(id: string): string;
  sequences: SequenceRow[] | undefined;
  senders: SenderOption[] | undefined;
  users: User[] | undefined;
  error: unknown;
  saving: boolean;
  problems: string[];
  onChoose(actionTypeId: string): void;
  onBack(): void;
  onSave(action: FlowAction): void;
  onClose(): void;
}

/** The right-hand actions panel: choose an action, then configure it and Save. */
export function ActionPanel(p: Props) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [p.state.mode, p.state.mode === 'edit' ? p.state.action.actionId : null]);
  const close = useRef(p.onClose);
  close.current = p.onClose;
  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && !document.querySelector('[aria-modal="true"]') && close.current();
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, []);
  const title = p.state.mode === 'choose' ? 'Choose an action' : p.typeName(p.state.action.actionTypeId);
  return (
    <aside className="panel" role="dialog" aria-label="Actions panel" ref={ref}>
      <header className="panel-head">
        {p.state.mode === 'edit' && p.state.insertAt !== null && (
          <button type="button" className="link" onClick={p.onBack}>
            ← All actions
          </button>
        )}
        <h2>{title}</h2>
        <button type="button" className="icon" aria-label="Close the actions panel" onClick={p.onClose}>
          ×
        </button>
      </header>
      {p.state.mode === 'choose' ? (
        <ChooseAction actionTypes={p.actionTypes} onChoose={p.onChoose} />
      ) : (
        <ConfigureAction key={p.state.action.actionId + p.state.action.actionTypeId} {...p} action={p.state.action} />
      )}
    </aside>
  );
}

function ChooseAction({ actionTypes, onChoose }: { actionTypes: ActionType[] | undefined; onChoose(id: string): void }) {
  const [search, setSearch] = useState('');
  const groups = useMemo(() => {
    // The server's catalog is the only list of actions: nothing is shown until it arrives.
    const list = (actionTypes ?? []).filter((a) => a.actionName.toLowerCase().includes(search.trim().toLowerCase()));
    const by = new Map<string, ActionType[]>();
    for (const a of list) by.set(a.groupId, [...(by.get(a.groupId) ?? []), a]);
    return [...by];
  }, [actionTypes, search]);
  return (
    <div className="panel-body">
      <label htmlFor="action-search">Search actions</label>
      <input id="action-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. sequence" />
      {!actionTypes && <p className="muted">Loading actions…</p>}
      {actionTypes && groups.length === 0 && <p className="muted">No action matches “{search}”.</p>}
      {groups.map(([group, actions]) => (
        <section key={group} className="action-group" aria-labelledby={`group-${group}`}>
          <h3 id={`group-${group}`}>{GROUP_LABELS[group] ?? group}</h3>
          <ul>
            {actions.map((a) => (
              <li key={a.actionTypeId}>
                <button type="button" className="action-choice" onClick={() => onChoose(a.actionTypeId)}>
                  {a.actionName}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function ConfigureAction(p: Props & { action: FlowAction }) {
  const [fields, setFields] = useState<Record<string, unknown>>(p.action.fields);
  const [invalid, setInvalid] = useState<string | null>(null);
  const set = (k: string, v: unknown) => setFields((f) => ({ ...f, [k]: v }));
  // A problem shown after Save goes away as soon as the fields no longer have it.
  const type = p.action.actionTypeId;
  const form = actionFormOf(type);
  const check = (f: Record<string, unknown>) => (form ? form.validate(f) : validate(type, f, p.sequences, p.senders));
  useEffect(() => setInvalid((shown) => (shown === null ? null : check(fields))), [fields, type, p.sequences, p.senders]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = check(fields);
    setInvalid(problem);
    if (!problem) p.onSave({ ...p.action, fields: form ? (form.clean?.(fields) ?? fields) : clean(type, fields) });
  };
  return (
    <form className="panel-body" onSubmit={submit} aria-label={`Configure ${p.typeName(type)}`} noValidate>
      {p.problems.map((m) => (
        <p key={m} className="problem">
          {m}
        </p>
      ))}
      {type === ACTION.ENROLL && <EnrollFields fields={fields} set={set} sequences={p.sequences} senders={p.senders} />}
      {type === ACTION.UNENROLL && <p>Unenrolls the contact from the sequence they are currently active in. A contact who is not in a sequence is skipped.</p>}
      {type === ACTION.DELAY && <DelayFields fields={fields} set={set} />}
      {type === ACTION.SET_PROPERTY && <SetPropertyFields fields={fields} set={set} />}
      {type === ACTION.CREATE_TASK && <TaskFields fields={fields} set={set} users={p.users} />}
      {form && <form.Fields fields={fields} set={set} users={p.users} />}
      {!form && ![ACTION.ENROLL, ACTION.UNENROLL, ACTION.DELAY, ACTION.SET_PROPERTY, ACTION.CREATE_TASK].includes(type as never) && (
        <p className="hint">This action type is configured through the API. Its fields: {JSON.stringify(fields)}</p>
      )}
      {invalid && (
        <p className="message error" role="alert">
          {invalid}
        </p>
      )}
      {p.error !== null && p.error !== undefined && (
        <div>
          <ErrorMessage error={p.error} title="Could not save" />
          <ErrorDetails error={p.error} />
        </div>
      )}
      <div className="panel-actions">
        <button type="button" onClick={p.onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={p.saving}>
          Save
        </button>
      </div>
    </form>
  );
}

function validate(type: string, f: Record<string, unknown>, sequences: SequenceRow[] | undefined, senders: SenderOption[] | undefined): string | null {
  if (type === ACTION.ENROLL) {
    if (!f.sequenceId) return 'Choose a sequence.';
    if (sequences && !sequences.some((s) => s.id === String(f.sequenceId))) return 'The chosen sequence was deleted. Choose another sequence.';
    if (f.senderType !== 'CONTACT_OWNER') {
      if (!f.userId) return 'Choose a sender.';
      const s = senders?.find((o) => o.user.id === String(f.userId));
      if (s && !s.eligible) return `${userName(s.user)} cannot be the sender: ${s.reason}.`;
      if (!f.senderEmail) return 'Choose the address to send from.';
      if (s && !s.addresses.includes(String(f.senderEmail))) return `${String(f.senderEmail)} is not one of ${userName(s.user)}'s addresses.`;
    }
  }
  if (type === ACTION.DELAY) {
    const n = Number(f.delta);
    if (!Number.isFinite(n) || n <= 0) return 'Enter a delay greater than zero.';
  }
  if (type === ACTION.SET_PROPERTY && !String(f.property_name ?? '').trim()) return 'Enter the property to set.';
  if (type === ACTION.CREATE_TASK && !String(f.subject ?? '').trim()) return 'Enter the task title.';
  return null;
}

function clean(type: string, f: Record<string, unknown>): Record<string, unknown> {
  if (type === ACTION.ENROLL) {
    const owner = f.senderType === 'CONTACT_OWNER';
    const { userId: _u, senderEmail: _e, ...rest } = f;
    return owner ? { ...rest, senderType: 'CONTACT_OWNER', contactOwnerProperty: 'hubspot_owner_id' } : { ...f, senderType: 'SPECIFIC_USER' };
  }
  if (type === ACTION.DELAY) return { ...f, delta: String(f.delta) };
  return f;
}

type FieldsProps = { fields: Record<string, unknown>; set(k: string, v: unknown): void };

function EnrollFields({ fields, set, sequences, senders }: FieldsProps & { sequences: SequenceRow[] | undefined; senders: SenderOption[] | undefined }) {
  const sequenceId = String(fields.sequenceId ?? '');
  const owner = fields.senderType === 'CONTACT_OWNER';
  const userId = owner ? 'CONTACT_OWNER' : String(fields.userId ?? '');
  const sender = senders?.find((s) => s.user.id === userId);
  const chosen = sequences?.find((s) => s.id === sequenceId);
  const deleted = !!sequenceId && !!sequences && !chosen;
  const details = useQuery({ queryKey: ['sequence', sequenceId], enabled: !!chosen, queryFn: () => fetchSequence(chosen!.id, chosen!.userId) });
  const placeholders = details.data ? sequenceHasPlaceholders(details.data) : false;
  const eligibleCount = senders?.filter((s) => s.eligible).length ?? 0;

  const chooseSender = (v: string) => {
    if (v === 'CONTACT_OWNER') {
      set('senderType', 'CONTACT_OWNER');
      set('userId', undefined);
      set('senderEmail', undefined);
      return;
    }
    const s = senders?.find((o) => o.user.id === v);
    set('senderType', 'SPECIFIC_USER');
    set('userId', v || undefined);
    set('senderEmail', s?.addresses[0]);
  };

  return (
    <>
      <Field
        label="Sequence"
        error={deleted ? 'This sequence was deleted. Choose another sequence.' : null}
        hint={placeholders ? undefined : 'Contacts can be in only one sequence at a time; a contact already in one is skipped.'}
      >
        {(id) => (
          <select id={id} value={sequenceId} onChange={(e) => set('sequenceId', e.target.value || undefined)} aria-invalid={deleted || undefined}>
            <option value="">Choose a sequence</option>
            {deleted && (
              <option value={sequenceId} disabled>
                Deleted sequence (#{sequenceId})
              </option>
            )}
            {sequences?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.ownerName})
              </option>
            ))}
          </select>
        )}
      </Field>
      {placeholders && (
        <p className="message warning" role="note">
          <strong>Placeholder tokens:</strong> this sequence contains placeholder tokens. They cannot be filled in when a workflow enrolls a contact, so these emails will pause until
          the sender fills them in. Use property tokens such as {'{{ contact.firstname }}'} instead.
        </p>
      )}
      <Field
        label="Sender"
        hint={
          senders && eligibleCount === 0
            ? 'No user can send sequences from a workflow yet: give a user a Sales Hub Professional or Enterprise (or Service Hub Enterprise) seat and connect their inbox in Settings.'
            : 'Only users with a paid Sales Hub seat or a Service Hub Enterprise seat, and a connected inbox, can be senders.'
        }
        error={sender && !sender.eligible ? `${userName(sender.user)} cannot be the sender: ${sender.reason}.` : null}
      >
        {(id) => (
          <select id={id} value={userId} onChange={(e) => chooseSender(e.target.value)}>
            <option value="">Choose a sender</option>
            <option value="CONTACT_OWNER">Contact owner</option>
            {senders?.map((s) => (
              <option key={s.user.id} value={s.user.id} disabled={!s.eligible}>
                {userName(s.user)} ({s.user.email}){s.eligible ? '' : ` — unavailable: ${s.reason}`}
              </option>
            ))}
          </select>
        )}
      </Field>
      {owner ? (
        <p className="hint">Emails go from the contact owner's connected inbox address. Contacts without an eligible owner are skipped.</p>
      ) : (
        <Field label="Send from email address" hint={sender ? "The sender's connected inbox address and its aliases." : 'Choose a sender first.'}>
          {(id) => (
            <select id={id} value={String(fields.senderEmail ?? '')} onChange={(e) => set('senderEmail', e.target.value || undefined)} disabled={!sender || !sender.eligible}>
              <option value="">Choose an address</option>
              {sender?.addresses.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
              {!!fields.senderEmail && sender && !sender.addresses.includes(String(fields.senderEmail)) && (
                <option value={String(fields.senderEmail)} disabled>
                  {String(fields.senderEmail)} (not allowed)
                </option>
              )}
            </select>
          )}
        </Field>
      )}
      <label className="check">
        <input type="checkbox" checked={!!fields.shouldUseContactTimeZone} onChange={(e) => set('shouldUseContactTimeZone', e.target.checked)} /> Send in the contact's time zone
      </label>
    </>
  );
}

function DelayFields({ fields, set }: FieldsProps) {
  return (
    <div className="row">
      <Field label="Delay amount">{(id) => <input id={id} type="number" min={1} value={String(fields.delta ?? '')} onChange={(e) => set('delta', e.target.value)} />}</Field>
      <Field label="Unit">
        {(id) => (
          <select id={id} value={String(fields.time_unit ?? 'DAYS')} onChange={(e) => set('time_unit', e.target.value)}>
            <option value="MINUTES">Minutes</option>
            <option value="HOURS">Hours</option>
            <option value="DAYS">Days</option>
            <option value="WEEKS">Weeks</option>
          </select>
        )}
      </Field>
    </div>
  );
}

function SetPropertyFields({ fields, set }: FieldsProps) {
  const value = fields.value as { staticValue?: string } | undefined;
  return (
    <>
      <Field label="Property">{(id) => <input id={id} value={String(fields.property_name ?? '')} onChange={(e) => set('property_name', e.target.value)} placeholder="lifecyclestage" />}</Field>
      <Field label="Value">{(id) => <input id={id} value={value?.staticValue ?? ''} onChange={(e) => set('value', { type: 'STATIC_VALUE', staticValue: e.target.value })} />}</Field>
    </>
  );
}

function TaskFields({ fields, set, users }: FieldsProps & { users: User[] | undefined }) {
  return (
    <>
      <Field label="Task title">{(id) => <input id={id} value={String(fields.subject ?? '')} onChange={(e) => set('subject', e.target.value)} />}</Field>
      <Field label="Notes">{(id) => <textarea id={id} rows={3} value={String(fields.body ?? '')} onChange={(e) => set('body', e.target.value)} />}</Field>
      <Field label="Task type">
        {(id) => (
          <select id={id} value={String(fields.task_type ?? 'TODO')} onChange={(e) => set('task_type', e.target.value)}>
            <option value="TODO">To-do</option>
            <option value="CALL">Call</option>
            <option value="EMAIL">Email</option>
          </select>
        )}
      </Field>
      <Field label="Assign to">
        {(id) => (
          <select id={id} value={String(fields.userId ?? '')} onChange={(e) => set('userId', e.target.value || undefined)}>
            <option value="">Contact owner</option>
            {users?.map((u) => (
              <option key={u.id} value={u.id}>
                {userName(u)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
