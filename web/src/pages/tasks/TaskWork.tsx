import { lazy, Suspense, useEffect, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { get, post } from '../../api';
import { Badge, ErrorMessage, Field, Loading } from '../../components/ui';
import { dateTime, reasonText } from '../../lib/format';
import type { QueueTask, TaskDraft } from '../../types';
import { CALL_OUTCOME_LABELS, notesText, TYPE_LABELS } from './labels';

const RichEmailEditor = lazy(() => import('../../components/email-editor/RichEmailEditor').then((m) => ({ default: m.RichEmailEditor })));

type Run = (action: () => Promise<unknown>) => Promise<void>;

/**
 * One task, worked: a manual email opens the composer, a call records its outcome, anything else
 * completes with a note; every task can be skipped or snoozed. `onDone` moves the queue on.
 */
export function TaskWork({ task, onDone }: { task: QueueTask; onDone(): void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setError(null), [task.id]);
  const run: Run = async (action) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const notes = notesText(task.notes);
  const placeholders = task.reason === 'UNFILLED_PLACEHOLDER';
  return (
    <section className="card" aria-label="Task">
      <div className="row">
        <Badge kind="info">{TYPE_LABELS[task.type]}</Badge>
        <span className="muted">Due {dateTime(task.dueAt)}</span>
      </div>
      <h2>{task.subject || '(no title)'}</h2>
      {task.reason && <p className="muted">{reasonText(task.reason)}</p>}
      {notes && !(task.type === 'EMAIL' && !task.reason) && <p style={{ whiteSpace: 'pre-wrap' }}>{notes}</p>}
      <ErrorMessage error={error} />
      {placeholders ? (
        <PlaceholderForm task={task} run={run} busy={busy} />
      ) : task.type === 'EMAIL' && !task.reason ? (
        <Composer task={task} run={run} busy={busy} />
      ) : task.type === 'CALL' ? (
        <CallForm task={task} run={run} busy={busy} />
      ) : (
        <NoteForm task={task} run={run} busy={busy} />
      )}
      <SkipSnooze task={task} run={run} busy={busy} />
    </section>
  );
}

interface FormProps {
  task: QueueTask;
  run: Run;
  busy: boolean;
}

const useDraft = (id: string) => useQuery({ queryKey: ['task-draft', id], queryFn: () => get<TaskDraft>(`/seqflow/v1/tasks/${id}/draft`) });

function PlaceholderInputs({ names, values, onChange }: { names: string[]; values: Record<string, string>; onChange(v: Record<string, string>): void }) {
  return (
    <>
      {names.map((p) => (
        <Field key={p} label={`Placeholder: ${p}`}>
          {(id) => <input id={id} value={values[p] ?? ''} onChange={(e) => onChange({ ...values, [p]: e.target.value })} />}
        </Field>
      ))}
    </>
  );
}

/** The step's email, rendered for the contact, for the rep to finish and send through their inbox. */
function Composer({ task, run, busy }: FormProps) {
  const draft = useDraft(task.id);
  const [subject, setSubject] = useState('');
  const [html, setHtml] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!draft.data) return;
    setSubject(draft.data.subject);
    setHtml(draft.data.html);
    setValues({});
  }, [draft.data]);
  if (draft.error) return <ErrorMessage error={draft.error} title="Could not render the email" />;
  if (!draft.data) return <Loading what="the email" />;
  const send = (e: FormEvent) => {
    e.preventDefault();
    void run(() => post(`/seqflow/v1/tasks/${task.id}/send`, { subject, html, placeholderValues: values }));
  };
  return (
    <form className="composer" aria-label="Email composer" onSubmit={send}>
      <p className="muted">
        From {draft.data.from} to {draft.data.to}
      </p>
      <Field label="Subject">{(id) => <input id={id} value={subject} onChange={(e) => setSubject(e.target.value)} required />}</Field>
      <Suspense fallback={<p className="muted">Loading the editor…</p>}>
        <RichEmailEditor name="the email" value={html} onChange={setHtml} pickers={false} />
      </Suspense>
      <PlaceholderInputs names={draft.data.placeholders} values={values} onChange={setValues} />
      {draft.data.missingTokens.length > 0 && <p className="error-text">No value for {draft.data.missingTokens.join(', ')}: replace the marker before sending.</p>}
      <button type="submit" className="primary" disabled={busy}>
        Send
      </button>
    </form>
  );
}

function PlaceholderForm({ task, run, busy }: FormProps) {
  const draft = useDraft(task.id);
  const [values, setValues] = useState<Record<string, string>>({});
  if (draft.error) return <ErrorMessage error={draft.error} />;
  if (!draft.data) return <Loading what="the email" />;
  const fill = (e: FormEvent) => {
    e.preventDefault();
    void run(() => post(`/seqflow/v1/tasks/${task.id}/placeholders`, { placeholderValues: values }));
  };
  return (
    <form aria-label="Placeholders" onSubmit={fill}>
      <PlaceholderInputs names={draft.data.placeholders} values={values} onChange={setValues} />
      <button type="submit" className="primary" disabled={busy}>
        Fill in and resume
      </button>
    </form>
  );
}

function CallForm({ task, run, busy }: FormProps) {
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const log = (e: FormEvent) => {
    e.preventDefault();
    void run(() => post(`/seqflow/v1/tasks/${task.id}/complete`, { callOutcome: outcome, ...(note.trim() && { note }) }));
  };
  return (
    <form aria-label="Log call" onSubmit={log}>
      <Field label="Outcome">
        {(id) => (
          <select id={id} value={outcome} onChange={(e) => setOutcome(e.target.value)} required>
            <option value="">Choose…</option>
            {Object.entries(CALL_OUTCOME_LABELS).map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Call notes">{(id) => <textarea id={id} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
      <button type="submit" className="primary" disabled={busy}>
        Log call
      </button>
    </form>
  );
}

function NoteForm({ task, run, busy }: FormProps) {
  const [note, setNote] = useState('');
  const complete = (e: FormEvent) => {
    e.preventDefault();
    void run(() => post(`/seqflow/v1/tasks/${task.id}/complete`, note.trim() ? { note } : {}));
  };
  return (
    <form aria-label="Complete task" onSubmit={complete}>
      <Field label="Note">{(id) => <textarea id={id} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
      <button type="submit" className="primary" disabled={busy}>
        Complete
      </button>
    </form>
  );
}

const HOUR = 3_600_000;
/** Tomorrow at 9:00 in the browser's zone, the start of a working day. */
const tomorrowMorning = (now: Date) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0, 0, 0);

/** The server's time (a fake clock in tests and demos): "in an hour" is an hour of it. */
const serverNow = async () => new Date((await get<{ now: string }>('/seqflow/v1/health')).now);

function SkipSnooze({ task, run, busy }: FormProps) {
  const [date, setDate] = useState('');
  const snooze = (until: (now: Date) => Date) => run(async () => post(`/seqflow/v1/tasks/${task.id}/snooze`, { until: until(await serverNow()).toISOString() }));
  return (
    <div className="row" role="group" aria-label="Skip or snooze" style={{ marginTop: '1rem', flexWrap: 'wrap', gap: '0.5rem' }}>
      <button type="button" disabled={busy} onClick={() => void run(() => post(`/seqflow/v1/tasks/${task.id}/skip`, {}))}>
        Skip
      </button>
      <span className="muted">Snooze:</span>
      <button type="button" disabled={busy} onClick={() => void snooze((now) => new Date(now.getTime() + HOUR))}>
        1 hour
      </button>
      <button type="button" disabled={busy} onClick={() => void snooze(tomorrowMorning)}>
        Tomorrow
      </button>
      <label className="sr-only" htmlFor={`snooze-${task.id}`}>
        Snooze until date
      </label>
      <input id={`snooze-${task.id}`} type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      <button type="button" disabled={busy || !date} onClick={() => void snooze(() => new Date(`${date}T09:00`))}>
        Snooze to date
      </button>
    </div>
  );
}
