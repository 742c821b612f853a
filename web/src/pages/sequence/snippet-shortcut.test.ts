import { describe, expect, it } from 'vitest';
import { snippetAtCaret } from './snippet-shortcut';

const snippets = [{ shortcut: 'cal', body: 'Book a time: https://cal.example' }];

describe('snippetAtCaret', () => {
  it('should find the snippet and where its #shortcut starts when the shortcut ends at the caret, in any case', () => {
    expect(snippetAtCaret('<p>Hi #CAL', 10, snippets)).toEqual({ start: 6, body: 'Book a time: https://cal.example' });
    expect(snippetAtCaret('#cal and more', 4, snippets)).toEqual({ start: 0, body: 'Book a time: https://cal.example' });
  });

  it('should find nothing when the word before the caret names no snippet or is not a #shortcut', () => {
    expect(snippetAtCaret('Hi #calendar', 12, snippets)).toBeNull();
    expect(snippetAtCaret('Hi cal', 6, snippets)).toBeNull();
    // An HTML entity (&#cal is none, but &#38 is) or an anchor in a URL is not a shortcut.
    expect(snippetAtCaret('page.html#cal', 13, snippets)).toBeNull();
    expect(snippetAtCaret('&#cal', 5, snippets)).toBeNull();
  });
});
