import { Link } from '../../router';

/** The name, and Enroll contact, Delete and Save (Create for a new sequence). */
export function SequenceHeader(p: { name: string; isNew: boolean; canSave: boolean; onRename(name: string): void; onEnroll(): void; onDelete(): void; onSave(): void }) {
  return (
    <div className="page-head">
      <div className="crumbs">
        <Link to="/sequences">Sequences</Link> /
      </div>
      <label className="sr-only" htmlFor="seq-name">
        Sequence name
      </label>
      <input id="seq-name" className="title-input" value={p.name} placeholder="Sequence name" onChange={(e) => p.onRename(e.target.value)} />
      <div className="head-actions">
        {!p.isNew && (
          <>
            <button type="button" onClick={p.onEnroll}>
              Enroll contact
            </button>
            <button type="button" className="secondary" onClick={p.onDelete}>
              Delete
            </button>
          </>
        )}
        <button type="button" className="primary" onClick={p.onSave} disabled={!p.canSave}>
          {p.isNew ? 'Create sequence' : 'Save sequence'}
        </button>
      </div>
    </div>
  );
}
