import { useRef } from 'react';
import { Field } from '../../components/ui';
import { durationText } from '../../lib/format';
import { useLibrary } from '../Templates';
import { snippetAtCaret } from './snippet-shortcut';
import { emptyStep, UNIT_MS, type Draft, type StepDraft, type Unit } from './sequence-draft';

/** What "Insert token" offers: the template variables a sender may use, and the placeholder a sender fills in by hand. */
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

/** The steps of the sequence, each with its delay, subject and body (or task), in order. */
export function StepsTab({ draft, setStep, moveStep, change }: { draft: Draft; setStep(i: number, p: Partial<StepDraft>): void; moveStep(i: number, by: number): void; change(f: (d: Draft) => Draft): void }) {
  const fields = useRef(new Map<string, HTMLInputElement | HTMLTextAreaElement>());
  const lastFocus = useRef(new Map<string, 'subject' | 'body'>());
  const templates = useLibrary('templates');
  const snippets = useLibrary('snippets');
  /** Puts `token` at the caret of the field last focused (or `into`), replacing the selection or, from `from`, what precedes the caret. */
  const insert = (i: number, s: StepDraft, token: string, into?: 'body', from?: number) => {
    const which = into ?? lastFocus.current.get(s.key) ?? 'body';
    const el = fields.current.get(`${s.key}:${which}`);
    const value = which === 'subject' ? s.subject : s.body;
    const end = el?.selectionEnd ?? value.length;
    const start = from ?? el?.selectionStart ?? value.length;
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
            <Field label={s.type === 'EMAIL' ? `Body of step ${i + 1}` : `Notes of step ${i + 1}`} hint={s.type === 'EMAIL' ? `HTML. Tokens such as {{ contact.firstname }} are filled in when the email is sent.${snippets.data?.length ? ' Type #shortcut then Tab to insert a snippet.' : ''}` : undefined}>
              {(id) => (
                <textarea
                  id={id}
                  ref={ref(`${s.key}:body`)}
                  rows={s.type === 'EMAIL' ? 6 : 2}
                  value={s.body}
                  onFocus={() => lastFocus.current.set(s.key, 'body')}
                  onChange={(e) => setStep(i, { body: e.target.value })}
                  onKeyDown={(e) => {
                    if (e.key !== 'Tab' || e.shiftKey || s.type !== 'EMAIL') return;
                    const el = e.currentTarget;
                    const hit = el.selectionStart === el.selectionEnd ? snippetAtCaret(el.value, el.selectionStart, snippets.data ?? []) : null;
                    if (!hit) return;
                    e.preventDefault();
                    insert(i, s, hit.body, 'body', hit.start);
                  }}
                />
              )}
            </Field>
            <div className="row">
              {s.type === 'EMAIL' && (
                <Field label={`Insert template in step ${i + 1}`} hint={s.templateId ? 'Copied from a template: editing the template later does not change this step.' : undefined}>
                  {(id) => (
                    <select
                      id={id}
                      value=""
                      onChange={(e) => {
                        const t = templates.data?.find((x) => x.id === e.target.value);
                        if (t) setStep(i, { subject: t.subject, body: t.body, templateId: t.id });
                      }}
                    >
                      <option value="">Choose a template…</option>
                      {templates.data?.map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.folder ? `${t.folder} / ` : ''}
                          {t.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
              {s.type === 'EMAIL' && (
                <Field label={`Insert snippet in step ${i + 1}`}>
                  {(id) => (
                    <select
                      id={id}
                      value=""
                      onChange={(e) => {
                        const sn = snippets.data?.find((x) => x.id === e.target.value);
                        if (sn) insert(i, s, sn.body, 'body');
                      }}
                    >
                      <option value="">Choose a snippet…</option>
                      {snippets.data?.map((sn) => (
                        <option key={sn.id} value={sn.id}>
                          {sn.name} (#{sn.shortcut})
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
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
