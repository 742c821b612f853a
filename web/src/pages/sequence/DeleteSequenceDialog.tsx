import { Dialog } from '../../components/ui';
import type { Deleting } from './useSequenceDraft';

/** Confirms deleting the sequence; asked again with the server's warning when contacts are still active in it. */
export function DeleteSequenceDialog({ deleting, onCancel, onDelete }: { deleting: NonNullable<Deleting>; onCancel(): void; onDelete(override: boolean): void }) {
  return (
    <Dialog
      title="Delete this sequence?"
      onClose={onCancel}
      actions={
        <>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={() => onDelete(deleting.active)}>
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
  );
}
