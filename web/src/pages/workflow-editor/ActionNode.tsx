import type { ReactNode } from 'react';
import { Badge } from '../../components/ui';
import type { SenderOption, SequenceRow } from '../../lib/data';
import type { FlowAction, GuardrailIssue } from '../../types';
import { actionSummary } from './action-summary';
import { AddButton } from './AddButton';

/** One action's card (summary, problems, warnings, Edit and Delete) and the + after it. */
export function ActionNode(p: {
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
  /** What the card shows below its summary: a branch's paths. */
  children?: ReactNode;
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
            {(p.action.type === 'SINGLE_CONNECTION' ? actionSummary(p.action, p.sequences, p.senders) : []).map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          {p.children}
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
