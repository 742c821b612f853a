import type { FlowAction } from '../../types';

interface Connection {
  nextActionId?: string;
}
/** A branch as the flow holds it (the web app's FlowAction type describes single-connection actions only). */
interface Branch {
  type: string;
  inputValue?: { type?: string; actionId?: string; dataKey?: string; propertyName?: string };
  staticBranches?: { branchValue: string; connection?: Connection }[];
  listBranches?: { branchName?: string; connection?: Connection }[];
  defaultBranch?: Connection;
  defaultBranchName?: string;
}

const OUTCOME_LABELS: Record<string, string> = { EXECUTED: 'Executed', SKIPPED: 'Skipped', FAILED: 'Failed' };

export const isOutcomeBranch = (a: FlowAction) => (a as unknown as Branch).inputValue?.type === 'FIELD_DATA';

/** The name a branch's card shows. */
export function branchName(a: FlowAction): string {
  const b = a as unknown as Branch;
  if (isOutcomeBranch(a)) return b.inputValue?.actionId ? `Branch on the outcome of action ${b.inputValue.actionId}` : 'Branch on the outcome of the previous action';
  return b.type === 'STATIC_BRANCH' ? `Branch on ${b.inputValue?.propertyName ?? 'a property'}` : 'If/then branch';
}

/** A branch's paths as a nested list: each path's name, then the actions a contact goes through on it. */
export function BranchPaths({ action, actions, typeName }: { action: FlowAction; actions: FlowAction[]; typeName(id: string): string }) {
  const b = action as unknown as Branch;
  const byId = new Map(actions.map((a) => [a.actionId, a]));
  const outcome = isOutcomeBranch(action);
  const paths: { name: string; next?: string }[] = [
    ...(b.staticBranches ?? []).map((s) => ({ name: outcome ? (OUTCOME_LABELS[s.branchValue] ?? s.branchValue) : s.branchValue, next: s.connection?.nextActionId })),
    ...(b.listBranches ?? []).map((l, i) => ({ name: l.branchName ?? `Branch ${i + 1}`, next: l.connection?.nextActionId })),
    { name: b.defaultBranchName ?? (outcome ? 'Any other outcome' : 'None met'), next: b.defaultBranch?.nextActionId },
  ];
  const chain = (id: string | undefined) => {
    const out: FlowAction[] = [];
    const seen = new Set<string>();
    while (id && byId.has(id) && !seen.has(id)) {
      const a = byId.get(id)!;
      out.push(a);
      seen.add(id);
      id = a.type === 'SINGLE_CONNECTION' ? a.connection?.nextActionId : undefined;
    }
    return out;
  };
  return (
    <ul className="branch-paths" aria-label="Paths">
      {paths.map((p) => {
        const steps = chain(p.next);
        return (
          <li key={p.name}>
            <strong>{p.name}</strong>
            {steps.length === 0 ? (
              <span className="muted"> → End</span>
            ) : (
              <ol>
                {steps.map((s) => (
                  <li key={s.actionId}>
                    {s.type === 'SINGLE_CONNECTION' ? typeName(s.actionTypeId) : branchName(s)} <span className="muted">(action {s.actionId})</span>
                  </li>
                ))}
              </ol>
            )}
          </li>
        );
      })}
    </ul>
  );
}
