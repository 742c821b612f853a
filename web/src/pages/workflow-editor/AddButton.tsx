/** The + between two steps of the workflow. */
export function AddButton({ label, onClick, disabled }: { label: string; onClick(): void; disabled?: boolean }) {
  return (
    <li className="flow-add">
      <button type="button" className="plus" aria-label={label} title={label} onClick={onClick} disabled={disabled}>
        +
      </button>
    </li>
  );
}
