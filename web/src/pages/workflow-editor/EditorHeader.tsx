import { Link } from '../../router';
import { Badge } from '../../components/ui';
import type { Flow } from '../../types';

/** The name, On/Off and review badges, History, Save changes and Turn on / Turn off. */
export function EditorHeader(p: { id: string; draft: Flow; dirty: boolean; saving: boolean; onRename(name: string): void; onSave(): void; onTurnOn(): void; onTurnOff(): void }) {
  const { draft } = p;
  return (
    <div className="page-head">
      <div className="crumbs">
        <Link to="/workflows">Workflows</Link> /
      </div>
      <label className="sr-only" htmlFor="wf-name">
        Workflow name
      </label>
      <input id="wf-name" className="title-input" value={draft.name} onChange={(e) => p.onRename(e.target.value)} />
      <div className="head-actions">
        {draft.isEnabled ? <Badge kind="ok">On</Badge> : <Badge kind="off">Off</Badge>}
        {draft.needsReview && (
          <Badge kind="error" title={draft.reviewReason}>
            Needs review
          </Badge>
        )}
        <Link to={`/workflows/${p.id}/history`} className="button secondary">
          History
        </Link>
        <button type="button" onClick={p.onSave} disabled={!p.dirty || p.saving}>
          Save changes
        </button>
        {draft.isEnabled ? (
          <button type="button" onClick={p.onTurnOff} disabled={p.saving}>
            Turn off
          </button>
        ) : (
          <button type="button" className="primary" onClick={p.onTurnOn} disabled={p.saving}>
            Turn on
          </button>
        )}
      </div>
    </div>
  );
}
