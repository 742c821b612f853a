import { templateErrorCode, TemplateRenderError } from '../domain/templates.js';
import { getContact } from '../store/contacts.js';
import { getSequence, getSteps } from '../store/sequences.js';
import { getUser } from '../store/users.js';
import type { Deps } from './deps.js';
import { fieldError, errors, validationError } from './errors.js';

/** An email of a sequence as a chosen contact would get it: resolved tokens, missing tokens and placeholders shown. */
export async function previewStep(deps: Deps, sequenceId: number, input: { contactId: number; stepOrder: number; placeholderValues?: Record<string, string> }) {
  const db = deps.db.kysely;
  const sequence = await getSequence(db, sequenceId);
  if (!sequence) throw errors.sequenceNotFound({ id: sequenceId });
  const steps = await getSteps(db, sequence.id, sequence.version);
  const step = steps[input.stepOrder];
  if (!step || step.type !== 'EMAIL') throw fieldError('stepOrder', `Step ${input.stepOrder} is not an email step of this sequence.`);
  const contact = await getContact(db, input.contactId);
  if (!contact) throw errors.previewContactNotFound({ id: input.contactId });
  const sender = await getUser(db, sequence.userId);
  const first = steps.find((s) => s.type === 'EMAIL');
  const threaded = step.stepOrder > 0 && sequence.settings.useThreadedFollowUps && first && first.stepOrder !== step.stepOrder;
  const subject = threaded ? `Re: ${first.subject}` : step.subject;
  const r = await deps.renderer
    .render(
      { subject, body: step.body },
      {
        contact: contact.properties,
        sender: { firstname: sender?.firstName, lastname: sender?.lastName, email: sender?.email, signature: sender?.signature },
        unsubscribeLink: `${deps.config.publicUrl}/seqflow/v1/unsubscribe/preview`,
      },
      input.placeholderValues,
    )
    .catch((e: unknown) => {
      // The template (or this contact's data) is at fault, not the server: say which field and why.
      if (!(e instanceof TemplateRenderError)) throw e;
      const field = e.part === 'subject' && threaded ? `steps[${first.stepOrder}].subject` : `steps[${step.stepOrder}].${e.part}`;
      throw validationError(e.message, [{ message: e.message, in: field, code: templateErrorCode(e) }], 'TEMPLATE_RENDER_FAILED');
    });
  return { subject: r.subject, html: r.html, text: r.text, missingTokens: r.missingTokens, placeholders: r.placeholders };
}
