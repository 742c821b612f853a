/**
 * What the rich email editor knows (TipTap's starter kit, trimmed to what an email needs), and
 * how its HTML becomes a step's body: Liquid tokens are text to the editor, so the serialiser
 * escapes `&`, `<`, `>` (and `"` in attributes) inside them; undoing that keeps every token as
 * the renderer must read it.
 */
import { Extension, type AnyExtension, type Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { snippetAtCaret } from '../../pages/sequence/snippet-shortcut';
import type { Snippet } from '../../types';

/** Liquid's `{{ … }}` and `{% … %}`, shortest first so two tokens on a line stay two. */
const LIQUID = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': ' ' };

/** The editor's HTML with the entities its serialiser put inside Liquid tokens taken out again. */
export function liquidSafeHtml(html: string): string {
  return html.replace(LIQUID, (token) => token.replace(/&(?:amp|lt|gt|quot|#39|#x27|nbsp);/g, (e) => ENTITIES[e]).replace(/\u00a0/g, ' '));
}

/** The body a step saves: the editor's HTML, Liquid intact. */
export const bodyOf = (editor: Editor): string => liquidSafeHtml(editor.getHTML());

/**
 * `#shortcut` then Tab expands the snippet it names, as the plain body field did. Ahead of the
 * list keymap, so Tab after a shortcut in a list item expands rather than indents.
 */
export const SnippetShortcut = Extension.create<{ snippets: () => Pick<Snippet, 'shortcut' | 'body'>[] }>({
  name: 'snippetShortcut',
  priority: 1000,
  addOptions: () => ({ snippets: () => [] }),
  addKeyboardShortcuts() {
    return {
      Tab: ({ editor }) => {
        const { $from, empty } = editor.state.selection;
        if (!empty || !$from.parent.isTextblock) return false;
        // Inline nodes other than text (a hard break) count as one character that is no word.
        const before = $from.parent.textBetween(0, $from.parentOffset, undefined, '\n');
        const hit = snippetAtCaret(before, before.length, this.options.snippets());
        if (!hit) return false;
        return editor
          .chain()
          .deleteRange({ from: $from.pos - (before.length - hit.start), to: $from.pos })
          .insertContent(hit.body)
          .run();
      },
    };
  },
});

/** `{{ unsubscribe_link }}` and other tokens are links too: the renderer fills them in before any mail client sees them. */
const allowedHref = (url: string, ctx: { defaultValidate(url: string): boolean }) => /^\s*\{\{[\s\S]*\}\}/.test(url) || ctx.defaultValidate(url);

export function emailExtensions(snippets: () => Pick<Snippet, 'shortcut' | 'body'>[] = () => []): AnyExtension[] {
  return [
    StarterKit.configure({
      code: false,
      codeBlock: false,
      horizontalRule: false,
      heading: { levels: [1, 2, 3] },
      // Links keep only what the author gave them: no target or rel added to every email.
      link: { openOnClick: false, autolink: false, linkOnPaste: true, isAllowedUri: allowedHref, HTMLAttributes: { target: null, rel: null, class: null } },
    }),
    SnippetShortcut.configure({ snippets }),
  ];
}
