/**
 * The check an email's subject and body pass before they are saved, wherever they are written: a
 * sequence step, a library template or a snippet. Syntax and size first, then a trial rendering
 * on the same bounded renderer as sends (deps.renderer) against a contact with a value for every
 * property the email names, so a template that cannot render is refused at save instead of
 * pausing every enrollment that reaches it.
 */
import { analyzeTemplate, sampleContext, TEMPLATE_LIMITS, templateErrorCode, TemplateRenderError, type TemplatePart } from '../domain/templates.js';
import type { Deps } from './deps.js';
import type { ErrorDetail } from './errors.js';

export interface TemplateField {
  /** The request field it came from, named in the error (`subject`, `steps[2].body`). */
  in: string;
  part: TemplatePart;
  source: string;
}

export function checkTemplateSyntax(fields: TemplateField[]): ErrorDetail[] {
  return fields.flatMap((f): ErrorDetail[] => {
    const max = f.part === 'subject' ? TEMPLATE_LIMITS.subjectChars : TEMPLATE_LIMITS.bodyChars;
    if (f.source.length > max) return [{ in: f.in, message: `The ${f.part} is ${f.source.length} characters long; the limit is ${max}.`, code: templateErrorCode({ limit: 'size' }) }];
    const error = analyzeTemplate(f.source).syntaxError;
    return error ? [{ in: f.in, message: `Template error: ${error}` }] : [];
  });
}

/** Trial renderings of the fields of one email (they share a sample contact), skipping fields `known` already faults. */
export async function checkTemplateRendering(deps: Deps, fields: TemplateField[], known: ErrorDetail[] = []): Promise<ErrorDetail[]> {
  const ctx = sampleContext(fields.map((f) => f.source));
  const trials = fields
    .filter((f) => !known.some((p) => p.in === f.in))
    .map(async (f): Promise<ErrorDetail | null> => {
      try {
        await deps.renderer.render(f.part === 'subject' ? { subject: f.source, body: '' } : { subject: '', body: f.source }, ctx);
        return null;
      } catch (e) {
        if (!(e instanceof TemplateRenderError)) throw e;
        const message = e.limit ? `The ${f.part} cannot be rendered within the ${e.limit} limit. ${e.message}` : `Template error: ${e.message}`;
        return { in: f.in, message, code: templateErrorCode(e) };
      }
    });
  return (await Promise.all(trials)).filter((p): p is ErrorDetail => p !== null);
}

/** Both checks of one email's fields. */
export async function checkTemplateFields(deps: Deps, fields: TemplateField[]): Promise<ErrorDetail[]> {
  const problems = checkTemplateSyntax(fields);
  return [...problems, ...(await checkTemplateRendering(deps, fields, problems))];
}
