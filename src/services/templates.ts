/**
 * The template library (issue #14 item 1): email subjects and bodies reps start steps from.
 * A sequence step copies a template when it is made from one, so editing the template later
 * changes no saved step.
 */
import { TEMPLATE } from '../store/library-items.js';
import { errors, validationError } from './errors.js';
import { libraryService } from './library-items.js';
import { checkTemplateFields } from './template-check.js';

export type { Template } from '../store/templates.js';

export const templates = libraryService({
  kind: TEMPLATE,
  what: 'template',
  notFound: (id) => errors.templateNotFound({ id }),
  async prepare(deps, t) {
    const problems = await checkTemplateFields(deps, [
      { in: 'subject', part: 'subject', source: t.subject },
      { in: 'body', part: 'body', source: t.body },
    ]);
    if (problems.length) throw validationError(problems[0].message, problems);
    return t;
  },
});
