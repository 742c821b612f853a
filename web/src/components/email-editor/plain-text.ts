/**
 * The plain-text part as a send makes it (src/domain/templates.ts turns the rendered HTML into
 * text with html-to-text and these options), shown beside the editor so the author sees both
 * parts of the email move together. plain-text.test.ts holds the two to the same output.
 */
import { compile } from 'html-to-text';

export const plainTextOf = compile({
  wordwrap: false,
  selectors: [{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } }],
});
