/**
 * Snippets (issue #14 item 1): short texts a rep inserts into an email body, by picking one or by
 * typing `#shortcut` and Tab. A live snippet's shortcut is unique for the whole account, compared
 * in lower case.
 */
import { SHORTCUT, shortcutKey } from '../domain/template-library.js';
import { isUniqueViolation } from '../store/json.js';
import { SNIPPET } from '../store/library-items.js';
import { snippetByShortcut } from '../store/snippets.js';
import { errors, fieldError, validationError } from './errors.js';
import { libraryService } from './library-items.js';
import { checkTemplateFields } from './template-check.js';

export type { Snippet } from '../store/snippets.js';

export const snippets = libraryService({
  kind: SNIPPET,
  what: 'snippet',
  notFound: (id) => errors.snippetNotFound({ id }),
  /** The body is checked as a step body is: it ends up in one. */
  async prepare(deps, input) {
    const s = { ...input, shortcut: shortcutKey(input.shortcut) };
    if (!SHORTCUT.test(s.shortcut)) throw fieldError('shortcut', 'A shortcut is 1 to 40 letters, digits, _ or -.', 'INVALID_SHORTCUT');
    const problems = await checkTemplateFields(deps, [{ in: 'body', part: 'body', source: s.body }]);
    if (problems.length) throw validationError(problems[0].message, problems);
    return s;
  },
  /** A taken shortcut answers 409, also when a concurrent write takes it first. */
  async write(deps, s, selfId, write) {
    const holder = await snippetByShortcut(deps.db.kysely, s.shortcut);
    if (holder && holder.id !== selfId) throw errors.snippetShortcutExists({ shortcut: s.shortcut });
    try {
      return await write();
    } catch (err) {
      if (isUniqueViolation(err, 'snippets')) throw errors.snippetShortcutExists({ shortcut: s.shortcut });
      throw err;
    }
  },
});
