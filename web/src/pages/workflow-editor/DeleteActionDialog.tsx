import { Dialog } from '../../components/ui';

/** Confirms deleting an action; the workflow is saved without it straight away. */
export function DeleteActionDialog({ name, onCancel, onDelete }: { name: string; onCancel(): void; onDelete(): void }) {
  return (
    <Dialog
      title="Delete this action?"
      onClose={onCancel}
      actions={
        <>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={onDelete}>
            Delete action
          </button>
        </>
      }
    >
      <p>{name} will be removed and the workflow saved. Contacts already past it are not affected.</p>
    </Dialog>
  );
}
