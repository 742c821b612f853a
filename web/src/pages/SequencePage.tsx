import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, del, get, post, put, q } from '../api';
import { Link, useRouter } from '../router';
import { Badge, Dialog, Empty, ErrorDetails, ErrorMessage, Field, Loading, Pager, usePageOf } from '../components/ui';
import { BarChart, fillDays } from '../components/BarChart';
import { useAllSequences, useEnrollments, useSenders, useSequence, useUsers, type SequenceStats } from '../lib/data';
import { dateTime, durationText, minuteToTime, reasonText, STATE_LABELS, timeToMinute, userName } from '../lib/format';
import type { Contact, Enrollment, Paged, Sequence, SequenceSettings } from '../types';

const TABS = ['steps', 'settings', 'preview', 'enrollments', 'performance'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, string> = { steps: 'Steps', settings: 'Settings', preview: 'Preview', enrollments: 'Enrollments', performance: 'Performance' };

type Unit = 'MINUTES' | 'HOURS' | 'DAYS';
const UNIT_MS: Record<Unit, number> = { MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

interface StepDraft {
  key: string;
  type: 'EMAIL' | 'TASK';
  delay: number;
  unit: Unit;
  subject: string;
  body: string;
  threadToStepOrder?: number | null;
  taskType: string;
  taskPriority: string;
  taskGatesNextStep: boolean;
}
interface Draft {
  name: string;
  userId: string;
  settings: SequenceSettings;
  steps: StepDraft[];
}

const DEFAULT_SETTINGS: SequenceSettings = {
  eligibleFollowUpDays: 'WEEKDAYS_ONLY',
  sendWindowStartMinute: 480,
  sendWindowEndMinute: 1080,
  useThreadedFollowUps: true,
  unenrollOnReply: true,
  unenrollOnMeeting: true,
  sellingStrategy: 'LEAD_BASED',
};

let keySeq = 0;
const newKey = () => `s${++keySeq}`;

function splitDelay(ms: number): { delay: number; unit: Unit } {
  if (ms % UNIT_MS.DAYS === 0) return { delay: ms / UNIT_MS.DAYS, unit: 'DAYS' };
  if (ms % UNIT_MS.HOURS === 0) return { delay: ms / UNIT_MS.HOURS, unit: 'HOURS' };
  return { delay: Math.round(ms / UNIT_MS.MINUTES), unit: 'MINUTES' };
}

const emptyStep = (type: 'EMAIL' | 'TASK', first: boolean): StepDraft => ({
  key: newKey(),
  type,
  delay: first ? 0 : 3,
  unit: 'DAYS',
  subject: type === 'EMAIL' && first ? 'Quick question, {{ contact.firstname | default: "there" }}' : '',
  body: type === 'EMAIL' ? (first ? '<p>Hi {{ contact.firstname | default: "there" }},</p>\n<p></p>\n<p>{{ sender.firstname }}</p>' : '<p></p>') : '',
  taskType: 'CALL',
  taskPriority: 'NONE',
  taskGatesNextStep: true,
});

function toDraft(s: Sequence): Draft {
  const settings = Object.fromEntries(Object.keys(DEFAULT_SETTINGS).map((k) => [k, (s.settings as unknown as Record<string, unknown>)[k]])) as unknown as SequenceSettings;
  return {
    name: s.name,
    userId: s.userId,
    settings: { ...DEFAULT_SETTINGS, ...settings },
    steps: [...s.steps]
      .sort((a, b) => a.stepOrder - b.stepOrder)
      .map((st) => ({
        key: newKey(),
        type: st.actionType,
        ...splitDelay(st.delayMillis),
        subject: st.emailPattern?.subject ?? st.taskPattern?.subject ?? '',
        body: st.emailPattern?.body ?? st.taskPattern?.notes ?? '',
        threadToStepOrder: st.emailPattern?.threadEmailToStepOrder ?? null,
        taskType: st.taskPattern?.taskType ?? 'CALL',
        taskPriority: st.taskPattern?.taskPriority ?? 'NONE',
        taskGatesNextStep: s.dependencies.some((d) => d.reliesOnStepOrder === st.stepOrder),
      })),
  };
}

function toBody(d: Draft, withOwner: boolean) {
  return {
    name: d.name.trim(),
    ...(withOwner && { userId: d.userId }),
    settings: d.settings,
    steps: d.steps.map((s) =>
      s.type === 'EMAIL'
        ? { type: 'EMAIL', delayMillis: Math.round(s.delay * UNIT_MS[s.unit]), subject: s.subject, body: s.body, ...(s.threadToStepOrder != null && { threadToStepOrder: s.threadToStepOrder }) }
        : { type: 'TASK', delayMillis: Math.round(s.delay * UNIT_MS[s.unit]), subject: s.subject, body: s.body, taskType: s.taskType, taskPriority: s.taskPriority, taskGatesNextStep: s.taskGatesNextStep },
    ),
  };
}

export function SequencePage({ id }: { id: string | null }) {
  const { search, navigate } = useRouter();
  const tab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as Tab) : 'steps';
  const sequences = useAllSequences();
  const row = id ? sequences.data?.find((s) => s.id === id) : undefined;
  const sequence = useSequence(id ?? undefined, row?.userId);
  const gone = !!id && !!sequences.data && !row;

  if (!id) return <SequenceEditor sequence={null} tab="steps" />;
  if (sequences.error || sequence.error) return <main className="page"><ErrorMessage error={sequences.error ?? sequence.error} /></main>;
  if (gone)
    return (
      <main className="page">
        <h1>Sequence not found</h1>
        <p>Sequence {id} does not exist or was deleted. Workflows that enrolled contacts in it show the action as broken.</p>
        <Link to="/sequences">All sequences</Link>
      </main>
    );
  if (!sequence.data) return <main className="page"><Loading what="the sequence" /></main>;
  return <SequenceEditor key={sequence.data.id} sequence={sequence.data} stats={row?.stats} tab={tab} onTab={(t) => navigate(`/sequences/${id}?tab=${t}`, { replace: true })} />;
}

function SequenceEditor({ sequence, stats, tab, onTab }: { sequence: Sequence | null; stats?: SequenceStats; tab: Tab; onTab?(t: Tab): void }) {
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const users = useUsers();
  const [draft, setDraft] = useState<Draft>(() =>
    sequence ? toDraft(sequence) : { name: '', userId: '', settings: DEFAULT_SETTINGS, steps: [emptyStep('EMAIL', true), emptyStep('EMAIL', false)] },
  );
  const [dirty, setDirty] = useState(!sequence);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<{ active: boolean; message?: string } | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  useEffect(() => {
    if (!sequence && !draft.userId && users.data?.length) setDraft((d) => ({ ...d, userId: users.data![0].id }));
  }, [users.data, sequence, draft.userId]);

  const change = (f: (d: Draft) => Draft) => {
    setDraft(f);
    setDirty(true);
    setSaved(null);
  };
  const setStep = (i: number, patch: Partial<StepDraft>) => change((d) => ({ ...d, steps: d.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const moveStep = (i: number, by: number) =>
    change((d) => {
      const steps = [...d.steps];
      const [s] = steps.splice(i, 1);
      steps.splice(i + by, 0, s);
      return { ...d, steps };
    });

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (!draft.name.trim()) throw new Error('Give the sequence a name.');
      if (!sequence) {
        const created = await post<Sequence>('/seqflow/v1/sequences', toBody(draft, true));
        await queryClient.invalidateQueries({ queryKey: ['sequences'] });
        navigate(`/sequences/${created.id}`, { replace: true });
        return;
      }
      const updated = await put<Sequence>(`/seqflow/v1/sequences/${sequence.id}`, toBody(draft, false));
      queryClient.setQueryData(['sequence', sequence.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['sequences'] });
      setDirty(false);
      setSaved('Sequence saved. Contacts already enrolled keep the steps they started with.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (override: boolean) => {
    if (!sequence) return;
    try {
      await del(`/seqflow/v1/sequences/${sequence.id}${override ? '?overrideActiveEnrollment=true' : ''}`);
      await queryClient.invalidateQueries({ queryKey: ['sequences'] });
      navigate('/sequences');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && !override) setDeleting({ active: true, message: err.message });
      else {
        setDeleting(null);
        setError(err);
      }
    }
  };

  return (
    <main className="page">
      <div className="page-head">
        <div className="crumbs">
          <Link to="/sequences">Sequences</Link> /
        </div>
        <label className="sr-only" htmlFor="seq-name">
          Sequence name
        </label>
        <input id="seq-name" className="title-input" value={draft.name} placeholder="Sequence name" onChange={(e) => change((d) => ({ ...d, name: e.target.value }))} />
        <div className="head-actions">
          {sequence && (
            <>
              <button type="button" onClick={() => setEnrolling(true)}>
                Enroll contact
              </button>
              <button type="button" className="secondary" onClick={() => setDeleting({ active: false })}>
                Delete
              </button>
            </>
          )}
          <button type="button" className="primary" onClick={() => save()} disabled={busy || !dirty}>
            {sequence ? 'Save sequence' : 'Create sequence'}
          </button>
        </div>
      </div>
      {error !== null && (
        <div className="message error" role="alert">
          {error instanceof Error ? error.message : String(error)}
          <ErrorDetails error={error} />
        </div>
      )}
      {saved && (
        <p className="message ok" role="status">
          {saved}
        </p>
      )}
      {sequence && (
        <div className="tabs" role="tablist" aria-label="Sequence">
          {TABS.map((t) => (
            <button key={t} type="button" role="tab" id={`tab-${t}`} aria-selected={tab === t} aria-controls={`panel-${t}`} onClick={() => onTab?.(t)}>
              {TAB_LABELS[t]}
            </button>
          ))}
        </div>
      )}
      <div role={sequence ? 'tabpanel' : undefined} id={`panel-${tab}`} aria-labelledby={sequence ? `tab-${tab}` : undefined}>
        {(tab === 'steps' || !sequence) && (
          <StepsEditor draft={draft} setStep={setStep} moveStep={moveStep} change={change} />
        )}
        {(tab === 'settings' || !sequence) && <SettingsEditor draft={draft} change={change} isNew={!sequence} />}
        {sequence && tab === 'preview' && <Preview sequence={sequence} dirty={dirty} />}
        {sequence && tab === 'enrollments' && <Enrollments sequence={sequence} />}
        {sequence && tab === 'performance' && <Performance sequence={sequence} stats={stats} />}
      </div>
      {deleting && (
        <Dialog
          title="Delete this sequence?"
          onClose={() => setDeleting(null)}
          actions={
            <>
              <button type="button" onClick={() => setDeleting(null)}>
                Cancel
              </button>
              <button type="button" className="danger" onClick={() => remove(deleting.active)}>
                {deleting.active ? 'Unenroll active contacts and delete' : 'Delete sequence'}
              </button>
            </>
          }
        >
          {deleting.active ? (
            <p className="message warning">{deleting.message}</p>
          ) : (
            <p>Sent emails and statistics are kept. Workflows that enroll contacts in this sequence will stop doing so and will be flagged Needs review.</p>
          )}
        </Dialog>
      )}
      {enrolling && sequence && <EnrollDialog sequence={sequence} onClose={() => setEnrolling(false)} />}
    </main>
  );
}

const TOKENS = [
  { label: 'Contact: first name', text: '{{ contact.firstname | default: "there" }}' },
  { label: 'Contact: last name', text: '{{ contact.lastname }}' },
  { label: 'Contact: company', text: '{{ contact.company }}' },
  { label: 'Contact: job title', text: '{{ contact.jobtitle }}' },
  { label: 'Sender: first name', text: '{{ sender.firstname }}' },
  { label: 'Sender: signature', text: '{{ sender.signature }}' },
  { label: 'Unsubscribe link', text: '{{ unsubscribe_link }}' },
  { label: 'Placeholder (typed by the sender)', text: '[[placeholder: what to write]]' },
];

function StepsEditor({ draft, setStep, moveStep, change }: { draft: Draft; setStep(i: number, p: Partial<StepDraft>): void; moveStep(i: number, by: number): void; change(f: (d: Draft) => Draft): void }) {
  const fields = useRef(new Map<string, HTMLInputElement | HTMLTextAreaElement>());
  const lastFocus = useRef(new Map<string, 'subject' | 'body'>());
  const insert = (i: number, s: StepDraft, token: string) => {
    const which = lastFocus.current.get(s.key) ?? 'body';
    const el = fields.current.get(`${s.key}:${which}`);
    const value = which === 'subject' ? s.subject : s.body;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    setStep(i, { [which]: value.slice(0, start) + token + value.slice(end) });
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };
  const ref = (key: string) => (el: HTMLInputElement | HTMLTextAreaElement | null) => {
    if (el) fields.current.set(key, el);
    else fields.current.delete(key);
  };
  return (
    <section aria-label="Steps">
      <ol className="steps" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {draft.steps.map((s, i) => (
          <li key={s.key} className="card step" aria-label={`Step ${i + 1}`}>
            <div className="step-head">
              <span className="step-no">{i + 1}</span>
              <h3>{s.type === 'EMAIL' ? 'Automated email' : 'Task'}</h3>
              <span className="muted">{i === 0 ? `sent ${durationText(s.delay * UNIT_MS[s.unit])} after enrollment` : `${durationText(s.delay * UNIT_MS[s.unit])} after step ${i}`}</span>
              <div className="spacer" />
              <button type="button" className="small" disabled={i === 0} onClick={() => moveStep(i, -1)}>
                Move up<span className="sr-only"> step {i + 1}</span>
              </button>
              <button type="button" className="small" disabled={i === draft.steps.length - 1} onClick={() => moveStep(i, 1)}>
                Move down<span className="sr-only"> step {i + 1}</span>
              </button>
              <button type="button" className="small secondary" disabled={draft.steps.length === 1} onClick={() => change((d) => ({ ...d, steps: d.steps.filter((_, j) => j !== i) }))}>
                Remove<span className="sr-only"> step {i + 1}</span>
              </button>
            </div>
            <div className="row">
              <Field label={`Delay of step ${i + 1}`}>
                {(id) => <input id={id} type="number" min={0} value={s.delay} onChange={(e) => setStep(i, { delay: Math.max(0, Number(e.target.value)) })} />}
              </Field>
              <Field label={`Delay unit of step ${i + 1}`}>
                {(id) => (
                  <select id={id} value={s.unit} onChange={(e) => setStep(i, { unit: e.target.value as Unit })}>
                    <option value="MINUTES">Minutes</option>
                    <option value="HOURS">Hours</option>
                    <option value="DAYS">Days</option>
                  </select>
                )}
              </Field>
              {s.type === 'TASK' && (
                <>
                  <Field label={`Task type of step ${i + 1}`}>
                    {(id) => (
                      <select id={id} value={s.taskType} onChange={(e) => setStep(i, { taskType: e.target.value })}>
                        <option value="CALL">Call</option>
                        <option value="EMAIL">Manual email</option>
                        <option value="TODO">To-do</option>
                        <option value="LINKED_IN_CONNECT">LinkedIn connect</option>
                        <option value="LINKED_IN_MESSAGE">LinkedIn message</option>
                      </select>
                    )}
                  </Field>
                  <Field label={`Priority of step ${i + 1}`}>
                    {(id) => (
                      <select id={id} value={s.taskPriority} onChange={(e) => setStep(i, { taskPriority: e.target.value })}>
                        <option value="NONE">None</option>
                        <option value="LOW">Low</option>
                        <option value="MEDIUM">Medium</option>
                        <option value="HIGH">High</option>
                      </select>
                    )}
                  </Field>
                </>
              )}
            </div>
            <Field label={s.type === 'EMAIL' ? `Subject of step ${i + 1}` : `Task title of step ${i + 1}`} hint={s.type === 'EMAIL' && i > 0 && draft.settings.useThreadedFollowUps ? 'Empty: replies in the thread of the first email ("Re: …").' : undefined}>
              {(id) => <input id={id} ref={ref(`${s.key}:subject`)} value={s.subject} onFocus={() => lastFocus.current.set(s.key, 'subject')} onChange={(e) => setStep(i, { subject: e.target.value })} />}
            </Field>
            <Field label={s.type === 'EMAIL' ? `Body of step ${i + 1}` : `Notes of step ${i + 1}`} hint={s.type === 'EMAIL' ? 'HTML. Tokens such as {{ contact.firstname }} are filled in when the email is sent.' : undefined}>
              {(id) => <textarea id={id} ref={ref(`${s.key}:body`)} rows={s.type === 'EMAIL' ? 6 : 2} value={s.body} onFocus={() => lastFocus.current.set(s.key, 'body')} onChange={(e) => setStep(i, { body: e.target.value })} />}
            </Field>
            <div className="row">
              {s.type === 'EMAIL' && (
                <Field label={`Insert token in step ${i + 1}`}>
                  {(id) => (
                    <select
                      id={id}
                      value=""
                      onChange={(e) => {
                        if (e.target.value) insert(i, s, e.target.value);
                      }}
                    >
                      <option value="">Choose a token…</option>
                      {TOKENS.map((t) => (
                        <option key={t.text} value={t.text}>
                          {t.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
              {s.type === 'TASK' && (
                <label className="check">
                  <input type="checkbox" checked={s.taskGatesNextStep} onChange={(e) => setStep(i, { taskGatesNextStep: e.target.checked })} /> The next step waits until this task is completed
                </label>
              )}
            </div>
            {s.type === 'EMAIL' && /\[\[\s*placeholder/i.test(s.subject + s.body) && (
              <p className="message warning">This email has a placeholder token. A workflow cannot fill it in: emails to contacts enrolled by a workflow pause until the sender fills it in.</p>
            )}
          </li>
        ))}
      </ol>
      <div className="row" style={{ marginTop: '1rem' }}>
        <button type="button" onClick={() => change((d) => ({ ...d, steps: [...d.steps, emptyStep('EMAIL', d.steps.length === 0)] }))}>
          Add email step
        </button>
        <button type="button" onClick={() => change((d) => ({ ...d, steps: [...d.steps, emptyStep('TASK', d.steps.length === 0)] }))}>
          Add task step
        </button>
      </div>
    </section>
  );
}

function SettingsEditor({ draft, change, isNew }: { draft: Draft; change(f: (d: Draft) => Draft): void; isNew: boolean }) {
  const users = useUsers();
  const set = <K extends keyof SequenceSettings>(k: K, v: SequenceSettings[K]) => change((d) => ({ ...d, settings: { ...d.settings, [k]: v } }));
  const s = draft.settings;
  return (
    <section className="card" aria-label="Settings" style={{ marginTop: '1rem' }}>
      <h2>Settings</h2>
      <div className="row">
        <Field label="Owner" hint={isNew ? undefined : 'The owner is set when the sequence is created.'}>
          {(id) => (
            <select id={id} value={draft.userId} disabled={!isNew} onChange={(e) => change((d) => ({ ...d, userId: e.target.value }))}>
              {users.data?.map((u) => (
                <option key={u.id} value={u.id}>
                  {userName(u)} ({u.email})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Send follow-ups on">
          {(id) => (
            <select id={id} value={s.eligibleFollowUpDays} onChange={(e) => set('eligibleFollowUpDays', e.target.value as SequenceSettings['eligibleFollowUpDays'])}>
              <option value="EVERYDAY">Every day</option>
              <option value="WEEKDAYS_ONLY">Weekdays only</option>
              <option value="BUSINESS_DAYS">Business days (skip holidays)</option>
            </select>
          )}
        </Field>
        <Field label="Send window starts">{(id) => <input id={id} type="time" value={minuteToTime(s.sendWindowStartMinute)} onChange={(e) => set('sendWindowStartMinute', timeToMinute(e.target.value))} />}</Field>
        <Field label="Send window ends">
          {(id) => <input id={id} type="time" value={s.sendWindowEndMinute >= 1440 ? '23:59' : minuteToTime(s.sendWindowEndMinute)} onChange={(e) => set('sendWindowEndMinute', e.target.value === '23:59' ? 1440 : timeToMinute(e.target.value))} />}
        </Field>
        <Field label="Selling strategy">
          {(id) => (
            <select id={id} value={s.sellingStrategy} onChange={(e) => set('sellingStrategy', e.target.value as SequenceSettings['sellingStrategy'])}>
              <option value="LEAD_BASED">Lead-based</option>
              <option value="ACCOUNT_BASED">Account-based (a reply from the company unenrolls all its contacts)</option>
            </select>
          )}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={s.useThreadedFollowUps} onChange={(e) => set('useThreadedFollowUps', e.target.checked)} /> Send follow-up emails as replies in the same thread
      </label>
      <label className="check">
        <input type="checkbox" checked={s.unenrollOnReply} onChange={(e) => set('unenrollOnReply', e.target.checked)} /> Unenroll the contact when they reply
      </label>
      <label className="check">
        <input type="checkbox" checked={s.unenrollOnMeeting} onChange={(e) => set('unenrollOnMeeting', e.target.checked)} /> Unenroll the contact when they book a meeting
      </label>
    </section>
  );
}

export function ContactPicker({ value, onChange, label = 'Contact' }: { value: Contact | null; onChange(c: Contact | null): void; label?: string }) {
  const [query, setQuery] = useState('');
  const results = useQuery({
    queryKey: ['contact-picker', query],
    queryFn: async () =>
      (await post<Paged<Contact>>('/crm/v3/objects/contacts/search', { query: query.trim() || undefined, limit: 20, properties: ['email', 'firstname', 'lastname', 'company'], sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }] })).results,
  });
  return (
    <div className="row">
      <Field label={`Find ${label.toLowerCase()}`}>{(id) => <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="name, email or company" />}</Field>
      <Field label={label}>
        {(id) => (
          <select id={id} value={value?.id ?? ''} onChange={(e) => onChange(results.data?.find((c) => c.id === e.target.value) ?? null)}>
            <option value="">Choose a contact</option>
            {value && !results.data?.some((c) => c.id === value.id) && <option value={value.id}>{value.properties.email}</option>}
            {results.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {[c.properties.firstname, c.properties.lastname].filter(Boolean).join(' ') || '(no name)'} — {c.properties.email}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

function Preview({ sequence, dirty }: { sequence: Sequence; dirty: boolean }) {
  const [contact, setContact] = useState<Contact | null>(null);
  const emails = sequence.steps.filter((s) => s.actionType === 'EMAIL').sort((a, b) => a.stepOrder - b.stepOrder);
  const [stepOrder, setStepOrder] = useState(emails[0]?.stepOrder ?? 0);
  const preview = useQuery({
    queryKey: ['preview', sequence.id, sequence.updatedAt, contact?.id, stepOrder],
    enabled: !!contact,
    queryFn: () => post<{ subject: string; html: string; text?: string; missingTokens: string[]; placeholders: string[] }>(`/seqflow/v1/sequences/${sequence.id}/preview`, { contactId: contact!.id, stepOrder }),
  });
  return (
    <section className="card" aria-label="Preview">
      <h2>Preview</h2>
      {dirty && <p className="message info">The preview shows the saved sequence; save to preview your changes.</p>}
      <ContactPicker value={contact} onChange={setContact} />
      <Field label="Email step">
        {(id) => (
          <select id={id} value={stepOrder} onChange={(e) => setStepOrder(Number(e.target.value))}>
            {emails.map((s) => (
              <option key={s.id} value={s.stepOrder}>
                Step {s.stepOrder + 1}: {s.emailPattern?.subject || '(reply in thread)'}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorMessage error={preview.error} />
      {!contact && <Empty>Choose a contact to see the email as they would get it.</Empty>}
      {preview.data && (
        <div aria-label="Email preview" role="region">
          <p>
            <strong>Subject:</strong> <span data-testid="preview-subject">{preview.data.subject}</span>
          </p>
          {preview.data.missingTokens.length > 0 && (
            <p className="message warning">
              Missing values: {preview.data.missingTokens.join(', ')}. An email with a missing token is not sent: the enrollment pauses and the sender gets a task.
            </p>
          )}
          {preview.data.placeholders.length > 0 && <p className="message warning">Placeholders to fill in: {preview.data.placeholders.join('; ')}</p>}
          <iframe className="preview-frame" title="Email body preview" sandbox="" srcDoc={preview.data.html} />
        </div>
      )}
    </section>
  );
}

function Enrollments({ sequence }: { sequence: Sequence }) {
  const enrollments = useEnrollments({ sequenceId: sequence.id });
  const users = useUsers();
  const queryClient = useQueryClient();
  const [state, setState] = useState('');
  const [page, setPage] = useState(1);
  const [error, setError] = useState<unknown>(null);
  const rows = useMemo(() => (enrollments.data ?? []).filter((e) => !state || e.state === state).sort((a, b) => b.enrolledAt.localeCompare(a.enrolledAt)), [enrollments.data, state]);
  const paged = usePageOf(rows, page, 25);
  const act = async (e: Enrollment, what: 'pause' | 'resume') => {
    setError(null);
    try {
      await post(`/seqflow/v1/enrollments/${e.id}/${what}`);
      await queryClient.invalidateQueries({ queryKey: ['enrollments'] });
    } catch (err) {
      setError(err);
    }
  };
  const sender = (id: string) => users.data?.find((u) => u.id === id);
  return (
    <section aria-label="Enrollments">
      <div className="filters">
        <Field label="State">
          {(id) => (
            <select id={id} value={state} onChange={(e) => (setState(e.target.value), setPage(1))}>
              <option value="">All</option>
              {Object.entries(STATE_LABELS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={enrollments.error ?? error} />
      {enrollments.isLoading && <Loading what="enrollments" />}
      {enrollments.data && rows.length === 0 && <Empty>{state ? 'No enrollment in this state.' : 'Nobody is enrolled yet.'}</Empty>}
      {paged.rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">State</th>
                <th scope="col">Reason</th>
                <th scope="col">Step</th>
                <th scope="col">Sender</th>
                <th scope="col">Enrolled</th>
                <th scope="col">Next email</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {paged.rows.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <Link to={`/contacts/${e.contactId}`}>{e.toEmail}</Link>
                  </th>
                  <td>
                    <Badge kind={e.state === 'ACTIVE' ? 'ok' : e.state === 'PAUSED' ? 'warn' : e.state === 'FAILED' ? 'error' : 'off'}>{STATE_LABELS[e.state] ?? e.state}</Badge>
                  </td>
                  <td>{reasonText(e.reason)}</td>
                  <td>
                    {Math.min(e.currentStep + 1, sequence.steps.length)} of {sequence.steps.length}
                  </td>
                  <td>{sender(e.senderUserId) ? `${userName(sender(e.senderUserId)!)} <${e.senderEmail}>` : e.senderEmail}</td>
                  <td>{dateTime(e.enrolledAt)}</td>
                  <td>{e.nextDueAt ? dateTime(e.nextDueAt) : '—'}</td>
                  <td className="row-actions">
                    {e.state === 'ACTIVE' && (
                      <button type="button" className="small" onClick={() => act(e, 'pause')}>
                        Pause<span className="sr-only"> {e.toEmail}</span>
                      </button>
                    )}
                    {e.state === 'PAUSED' && (
                      <button type="button" className="small" onClick={() => act(e, 'resume')}>
                        Resume<span className="sr-only"> {e.toEmail}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {enrollments.data && <Pager label="Enrollment pages" page={paged.page} hasNext={paged.hasNext} onPrev={() => setPage((p) => p - 1)} onNext={() => setPage((p) => p + 1)} total={rows.length} />}
    </section>
  );
}

function Performance({ sequence, stats }: { sequence: Sequence; stats?: SequenceStats }) {
  const perf = useQuery({
    queryKey: ['performance', sequence.id],
    queryFn: () => get<{ summary: SequenceStats; timeline: { date: string; sent: number; replied: number }[] }>(`/seqflow/v1/sequences/${sequence.id}/performance`),
  });
  const health = useQuery({ queryKey: ['health'], queryFn: () => get<{ now: string }>('/seqflow/v1/health') });
  const s = perf.data?.summary ?? stats;
  const sent = perf.data?.timeline.reduce((n, d) => n + d.sent, 0) ?? 0;
  const pct = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)}%` : '—');
  return (
    <section aria-label="Performance">
      <ErrorMessage error={perf.error} />
      {s && (
        <ul className="kpis" aria-label="Totals">
          <li>
            <span className="n">{s.enrolled}</span>
            <span className="l">Enrolled</span>
          </li>
          <li>
            <span className="n">{s.active}</span>
            <span className="l">Active</span>
          </li>
          <li>
            <span className="n">{sent}</span>
            <span className="l">Emails sent</span>
          </li>
          <li>
            <span className="n">{s.replied}</span>
            <span className="l">Replied ({pct(s.replied, s.enrolled)})</span>
          </li>
          <li>
            <span className="n">{s.meetingsBooked}</span>
            <span className="l">Meetings booked</span>
          </li>
          <li>
            <span className="n">{s.bounced}</span>
            <span className="l">Bounced</span>
          </li>
          <li>
            <span className="n">{s.unsubscribed}</span>
            <span className="l">Unsubscribed</span>
          </li>
        </ul>
      )}
      {perf.isLoading && <Loading what="performance" />}
      {perf.data && (
        <div className="card">
          <h2>Emails sent and replies per day</h2>
          <BarChart
            title={`Emails sent and replies per day for ${sequence.name}`}
            days={fillDays(perf.data.timeline, (health.data?.now ?? new Date().toISOString()).slice(0, 10))}
            series={[
              { key: 'sent', label: 'Emails sent', color: '#00a4bd' },
              { key: 'replied', label: 'Replies', color: '#ff7a59' },
            ]}
          />
        </div>
      )}
    </section>
  );
}

function EnrollDialog({ sequence, onClose }: { sequence: Sequence; onClose(): void }) {
  const senders = useSenders();
  const queryClient = useQueryClient();
  const [contact, setContact] = useState<Contact | null>(null);
  const [userId, setUserId] = useState(sequence.userId);
  const [address, setAddress] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const SEQUENCE_SEATS = ['sales_professional', 'sales_enterprise', 'service_professional', 'service_enterprise'];
  const options = (senders.users ?? []).map((u) => {
    const connected = (senders.inboxes?.[u.id] ?? []).filter((i) => i.status === 'connected');
    const reason = !SEQUENCE_SEATS.includes(u.seat) ? 'no seat with sequences' : connected.length === 0 ? 'no connected inbox' : null;
    return { u, reason, addresses: [...new Set(connected.flatMap((i) => [i.address, ...i.aliases]))] };
  });
  const chosen = options.find((o) => o.u.id === userId);
  useEffect(() => {
    if (chosen && !chosen.addresses.includes(address)) setAddress(chosen.addresses[0] ?? '');
  }, [chosen, address]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      if (!contact) throw new Error('Choose a contact.');
      await post(`/automation/v4/sequences/enrollments${q({ userId })}`, { contactId: contact.id, sequenceId: sequence.id, senderEmail: address });
      await queryClient.invalidateQueries({ queryKey: ['enrollments'] });
      await queryClient.invalidateQueries({ queryKey: ['sequences'] });
      setDone(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog
      title={`Enroll a contact in ${sequence.name}`}
      onClose={onClose}
      actions={
        done ? (
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        ) : (
          <>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" form="enroll-form" className="primary">
              Enroll
            </button>
          </>
        )
      }
    >
      {done ? (
        <p className="message ok" role="status">
          {contact?.properties.email} is enrolled.
        </p>
      ) : (
        <form id="enroll-form" onSubmit={submit}>
          <ErrorMessage error={error} />
          <ContactPicker value={contact} onChange={setContact} />
          <Field label="Send as">
            {(id) => (
              <select id={id} value={userId} onChange={(e) => setUserId(e.target.value)}>
                {options.map((o) => (
                  <option key={o.u.id} value={o.u.id} disabled={!!o.reason}>
                    {userName(o.u)} ({o.u.email}){o.reason ? ` — unavailable: ${o.reason}` : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Send from">
            {(id) => (
              <select id={id} value={address} onChange={(e) => setAddress(e.target.value)}>
                {chosen?.addresses.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </form>
      )}
    </Dialog>
  );
}
