import type { Flow, GuardrailIssue } from '../../types';

/**
 * Why the workflow needs review, and the guardrail checks about the workflow as a whole; checks
 * about one action show on that action's card instead.
 */
export function GuardrailWarnings({ draft, issues }: { draft: Flow; issues: GuardrailIssue[] }) {
  const general = issues.filter((i) => !i.actionId);
  return (
    <>
      {draft.needsReview && draft.reviewReason && (
        <p className="message error" role="note">
          Needs review: {draft.reviewReason}
        </p>
      )}
      {general.length > 0 && (
        <section className="issues" aria-label="Guardrail checks">
          {general.map((i) => (
            <p key={i.code} className={`message ${i.level === 'error' ? 'error' : 'warning'}`}>
              <strong>{i.level === 'error' ? 'Error' : 'Warning'}:</strong> {i.message}
            </p>
          ))}
        </section>
      )}
    </>
  );
}
