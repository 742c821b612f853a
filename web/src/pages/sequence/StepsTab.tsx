import { lazy, Suspense, useRef } from 'react';
import { Field } from '../../components/ui';
import { durationText } from '../../lib/format';
import { useLibrary } from '../Templates';
import { emptyStep, UNIT_MS, type Draft, type StepDraft, type Unit } from './sequence-draft';

// The editor (ProseMirror, html-to-text) is loaded with the first sequence opened, not with the app.
const RichEmailEditor = lazy(() => import('../../components/email-editor/RichEmailEditor').then((m) => ({ default: m.RichEmailEditor })));

/** The steps of the sequence, each with its delay, subject and body (or task), in order. */
export function StepsTab({ draft, setStep, moveStep, change }: { draft: Draft; setStep(i: number, p: Partial<StepDraft>): void; moveStep(i: number, by: number): void; change(f: (d: Draft) => Draft): void }) {
  const subjects = useRef(new Map<string, HTMLInputElement>());
  const lastFocus = useRef(new Map<string, 'subject' | 'body'>());
  const templates = useLibrary('templates');
  const snippets = useLibrary('snippets');
  /** A token goes into the subject when the subject was focused last, at its caret; else the editor takes it. */
  const tokenIntoSubject = (i: number, s: StepDraft, token: string): boolean => {
    const el = subjects.current.get(s.key);
    if (lastFocus.current.get(s.key) !== 'subject' || !el) return false;
    const start = el.selectionStart ?? s.subject.length;
    const end = el.selectionEnd ?? s.subject.length;
    setStep(i, { subject: s.subject.slice(0, start) + token + s.subject.slice(end) });
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(start + token.length, start + token.length);
    });
    return true;
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
              {(id) => (
                <input
                  id={id}
                  ref={(el) => {
                    if (el) subjects.current.set(s.key, el);
                    else subjects.current.delete(s.key);
                  }}
                  value={s.subject}
                  onFocus={() => lastFocus.current.set(s.key, 'subject')}
                  onChange={(e) => setStep(i, { subject: e.target.value })}
                />
              )}
            </Field>
            {s.type === 'EMAIL' ? (
              <div>
                <Suspense fallback={<p className="muted">Loading the editor…</p>}>
                  <RichEmailEditor
                    name={`step ${i + 1}`}
                    value={s.body}
                    onChange={(body) => setStep(i, { body })}
                    templates={templates.data}
                    snippets={snippets.data}
                    onTemplate={(t) => setStep(i, { subject: t.subject, body: t.body, templateId: t.id })}
                    onToken={(token) => tokenIntoSubject(i, s, token)}
                    onBodyFocus={() => lastFocus.current.set(s.key, 'body')}
                  />
                </Suspense>
                {s.templateId && <p className="hint">Copied from a template: editing the template later does not change this step.</p>}
              </div>
            ) : (
              <Field label={`Notes of step ${i + 1}`}>{(id) => <textarea id={id} rows={2} value={s.body} onChange={(e) => setStep(i, { body: e.target.value })} />}</Field>
            )}
            <div className="row">
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
