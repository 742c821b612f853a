import { Dialog } from '../../components/ui';
import type { TurnOn } from './editor-state';
import { ForecastPreview } from './ForecastPreview';

/**
 * Turning a workflow on: whether to enroll contacts who already meet the trigger (with the
 * forecast of what that would do, before the user confirms), then, when that would be many, the
 * brief's warning about automating sequence enrollment at scale.
 */
export function TurnOnDialog({ workflowId, turnOn, saving, onChange, onTurnOn }: { workflowId: string; turnOn: NonNullable<TurnOn>; saving: boolean; onChange(t: TurnOn): void; onTurnOn(enrollExisting: boolean, acknowledge?: string): void }) {
  return (
    <Dialog
      title={turnOn.step === 'ask' ? 'Turn on this workflow?' : `Enroll ${turnOn.count} contacts?`}
      onClose={() => onChange(null)}
      actions={
        turnOn.step === 'ask' ? (
          <>
            <button type="button" onClick={() => onChange(null)}>
              Cancel
            </button>
            <button type="button" className="primary" disabled={saving} onClick={() => onTurnOn(turnOn.enrollExisting)}>
              Turn on
            </button>
          </>
        ) : (
          <>
            <button type="button" onClick={() => onChange(null)}>
              Cancel
            </button>
            <button type="button" className="danger" disabled={saving} onClick={() => onTurnOn(true, 'ENROLLS_MANY')}>
              Enroll {turnOn.count} contacts and turn on
            </button>
          </>
        )
      }
    >
      {turnOn.step === 'ask' ? (
        <fieldset>
          <legend>Which contacts should the workflow enroll?</legend>
          <label className="check">
            <input type="radio" name="existing" checked={!turnOn.enrollExisting} onChange={() => onChange({ step: 'ask', enrollExisting: false })} /> Only contacts who meet the trigger from now on
          </label>
          <label className="check">
            <input type="radio" name="existing" checked={turnOn.enrollExisting} onChange={() => onChange({ step: 'ask', enrollExisting: true })} /> Also contacts who meet the trigger criteria now
          </label>
          {turnOn.enrollExisting && <ForecastPreview workflowId={workflowId} />}
        </fieldset>
      ) : (
        <div className="message warning" role="alert">
          <p>
            <strong>Turning this workflow on would enroll {turnOn.count} existing contacts in a sequence.</strong>
          </p>
          <p>{turnOn.message}</p>
          <p>Sequences are for personal, one-to-one follow-up. Do not automate enrollment of more than 100 contacts, recently imported cold leads, or contacts chosen by non-personal criteria.</p>
        </div>
      )}
    </Dialog>
  );
}
