import { SAMPLE_CONTACT } from '../domain/sample-contact.js';
import { analyzeTemplate, templateErrorCode, TemplateRenderError, type TemplateContext } from '../domain/templates.js';
import { getContact } from '../store/contacts.js';
import { getSequence, getSteps } from '../store/sequences.js';
import { getUser } from '../store/users.js';
import type { Deps } from './deps.js';
import { fieldError, errors, validationError } from './errors.js';

/**
 * An email of a sequence as a chosen contact would get it, or (no contact, or `sample`) the
 * built-in sample contact: resolved tokens, missing tokens and placeholders shown.
 */
export async function previewStep(deps: Deps, sequenceId: number, input: { contactId?: number; sample?: boolean; stepOrder: number; placeholderValues?: Record<string, string> }) {
  if (input.sample && input.contactId !== undefined) throw fieldError('sample', 'Give a contactId or sample: true, not both.');
  const db = deps.db.kysely;
  const sequence = await getSequence(db, sequenceId);
  if (!sequence) throw errors.sequenceNotFound({ id: sequenceId });
  const steps = await getSteps(db, sequence.id, sequence.version);
  const step = steps[input.stepOrder];
  if (!step || step.type !== 'EMAIL') throw fieldError('stepOrder', `Step ${input.stepOrder} is not an email step of this sequence.`);
  const contact = input.contactId === undefined ? null : await getContact(db, input.contactId);
  if (input.contactId !== undefined && !contact) throw errors.previewContactNotFound({ id: input.contactId });
  const properties = contact?.properties ?? SAMPLE_CONTACT;
  const sender = await getUser(db, sequence.userId);
  const first = steps.find((s) => s.type === 'EMAIL');
  const threaded = step.stepOrder > 0 && sequence.settings.useThreadedFollowUps && first && first.stepOrder !== step.stepOrder;
  const subject = threaded ? `Re: ${first.subject}` : step.subject;
  const ctx: TemplateContext = {
    contact: properties,
    sender: { firstname: sender?.firstName, lastname: sender?.lastName, email: sender?.email, signature: sender?.signature },
    unsubscribeLink: `${deps.config.publicUrl}/seqflow/v1/unsubscribe/preview`,
  };
  const r = await deps.renderer
    .render({ subject, body: step.body }, ctx, input.placeholderValues)
    .catch((e: unknown) => {
      // The template (or this contact's data) is at fault, not the server: say which field and why.
      if (!(e instanceof TemplateRenderError)) throw e;
      const field = e.part === 'subject' && threaded ? `steps[${first.stepOrder}].subject` : `steps[${step.stepOrder}].${e.part}`;
      throw validationError(e.message, [{ message: e.message, in: field, code: templateErrorCode(e) }], 'TEMPLATE_RENDER_FAILED');
    });
  const name = [properties.firstname, properties.lastname].filter((p) => p?.trim()).join(' ');
  return {
    subject: r.subject,
    html: r.html,
    text: r.text,
    missingTokens: r.missingTokens,
    placeholders: r.placeholders,
    contact: { id: contact ? String(contact.id) : null, sample: !contact, name: name || (properties.email ?? ''), email: properties.email ?? '' },
    // Rendering succeeded, so both parts parse.
    tokens: [...new Set([...analyzeTemplate(subject).tokens, ...analyzeTemplate(step.body).tokens])].map((token) => ({ token, value: tokenValue(ctx, token) })),
  };
}

/** The value a plain token path (`contact.firstname`, `contact['first name']`, `unsubscribe_link`) takes; null when it has none or is no plain path. */
function tokenValue(ctx: TemplateContext, token: string): string | null {
  if (token === 'unsubscribe_link') return ctx.unsubscribeLink ?? null;
  // Liquid names a path segment that is no identifier in quotes: contact['first name'].
  const m = /^(contact|sender)(?:\.([A-Za-z_][\w-]*)|\[(['"])(.*)\3\])$/.exec(token);
  if (!m) return null;
  const record = ctx[m[1] as 'contact' | 'sender'];
  const key = m[2] ?? m[4];
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
