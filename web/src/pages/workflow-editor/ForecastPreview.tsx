import { useEffect, useState } from 'react';
import type { WorkflowForecast } from '../../../../src/schemas/flows';
import { post } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui';

const ENROLL = '0-46510720';
/** Rows shown in the dialog; the summary counts everyone. */
const SHOWN = 25;

/**
 * What turning the workflow on would do to the contacts who meet the trigger now: who would be
 * enrolled, and when each of their emails would go out in their own zone (the server's forecast,
 * which writes nothing).
 */
export function ForecastPreview({ workflowId }: { workflowId: string }) {
  const [forecast, setForecast] = useState<WorkflowForecast | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    post<WorkflowForecast>(`/seqflow/v1/workflows/${workflowId}/forecast`, { days: 14 })
      .then((f) => live && setForecast(f))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [workflowId]);

  if (error) return <ErrorMessage error={error} title="Could not forecast this workflow" />;
  if (!forecast) return <Loading what="the forecast" />;
  const { summary } = forecast;
  const skipped = Object.entries(summary.skipped);
  const rows = forecast.contacts.map((c) => ({ c, enroll: c.actions.find((a) => a.type === ENROLL) }));
  const emails = Math.max(0, ...rows.map((r) => r.enroll?.steps?.filter((s) => s.type === 'EMAIL').length ?? 0));
  return (
    <section className="forecast" aria-label="Forecast">
      <h3>Forecast for the next 14 days</h3>
      <p role="status">
        {summary.contacts === 0
          ? 'No contact meets the trigger now.'
          : `${summary.wouldEnroll} of ${summary.contacts} contacts would be enrolled now${skipped.length ? `; skipped: ${skipped.map(([r, n]) => `${n} ${r}`).join(', ')}` : ''}.`}
      </p>
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Contact</th>
              {emails === 0 ? <th scope="col">Outcome</th> : Array.from({ length: emails }, (_, i) => <th key={i} scope="col">Email {i + 1}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOWN).map(({ c, enroll }) => {
              const steps = enroll?.steps?.filter((s) => s.type === 'EMAIL') ?? [];
              return (
                <tr key={c.contactId}>
                  <th scope="row">{c.email ?? `Contact ${c.contactId}`}</th>
                  {enroll?.outcome === 'WOULD_EXECUTE' ? (
                    Array.from({ length: Math.max(emails, 1) }, (_, i) => (
                      <td key={i} title={steps[i]?.heldByLimit ? "Later than due: the sender's daily limit is full" : undefined}>
                        {steps[i]?.localTime ?? 'after the forecast'}
                      </td>
                    ))
                  ) : (
                    <td colSpan={Math.max(emails, 1)}>{enroll ? `Skipped: ${enroll.reasonCode ?? enroll.reasonText}` : 'Not enrolled in a sequence'}</td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {rows.length > SHOWN && <p className="hint">and {rows.length - SHOWN} more contacts.</p>}
    </section>
  );
}
