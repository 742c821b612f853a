import type { Snippet } from '../../types';

/** `#shortcut` right before the caret, when it names a snippet: what Tab in a step's body turns into that snippet's body. */
export function snippetAtCaret(text: string, caret: number, snippets: Pick<Snippet, 'shortcut' | 'body'>[]): { start: number; body: string } | null {
  const m = /(?:^|[^\w&])#([A-Za-z0-9_-]{1,40})$/.exec(text.slice(0, caret));
  if (!m) return null;
  const snippet = snippets.find((x) => x.shortcut === m[1].toLowerCase());
  return snippet ? { start: caret - m[1].length - 1, body: snippet.body } : null;
}
