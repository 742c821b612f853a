/**
 * What the rich email editor knows (TipTap's starter kit, trimmed to what an email needs), and
 * how its HTML becomes a step's body: Liquid tokens are text to the editor, so the serialiser
 * escapes `&`, `<`, `>` (and `"` in attributes) inside them; undoing that keeps every token as
 * the renderer must read it.
 */
import { Extension, type AnyExtension, type Editor } from '@tiptap/core';
import { Plugin } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import StarterKit from '@tiptap/starter-kit';
import { snippetAtCaret } from '../../pages/sequence/snippet-shortcut';
import type { Snippet } from '../../types';

/** Liquid's `{{ … }}` and `{% … %}` in a source, shortest first so two tokens on a line stay two. */
const LIQUID = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
/**
 * The same in the editor's serialised HTML, where a `<` is always a tag (text has `&lt;`): a token
 * never spans a tag, so a stray `{{` in one paragraph cannot reach into the markup of the next.
 */
const SERIALISED_LIQUID = /\{\{[^<]*?\}\}|\{%[^<]*?%\}/g;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': ' ' };

/** The editor's HTML with the entities its serialiser put inside Liquid tokens taken out again. */
export function liquidSafeHtml(html: string): string {
  return html.replace(SERIALISED_LIQUID, (token) => token.replace(/&(?:amp|lt|gt|quot|#39|#x27|nbsp);/g, (e) => ENTITIES[e]).replace(/\u00a0/g, ' '));
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

const CHIPS = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\[\[\s*placeholder\s*:[\s\S]*?\]\]/gi;

/** Tokens and placeholders drawn as chips, so a rep sees what will be filled in; the saved HTML is unchanged. */
export const TokenHighlight = Extension.create({
  name: 'tokenHighlight',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          decorations(state) {
            const found: Decoration[] = [];
            state.doc.descendants((node, pos) => {
              if (!node.isText || !node.text) return;
              for (const m of node.text.matchAll(CHIPS)) {
                const placeholder = m[0].startsWith('[[');
                found.push(Decoration.inline(pos + m.index, pos + m.index + m[0].length, { class: placeholder ? 'chip chip-placeholder' : 'chip chip-token' }));
              }
            });
            return DecorationSet.create(state.doc, found);
          },
        },
      }),
    ];
  },
});

/**
 * What the editor's schema holds (StarterKit as configured below): other elements, and style or
 * class attributes, would be dropped by loading the body into it.
 */
const KEPT_TAGS = new Set(['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'strike', 'del', 'a', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'blockquote']);

const VOID_TAGS = new Set(['br', 'img', 'hr', 'meta', 'link', 'input', 'wbr', 'col', 'area', 'source']);
/** Where text would become a block of its own: Liquid tags there turn into extra paragraphs or list items. */
const BETWEEN_BLOCKS = new Set([undefined, 'ul', 'ol', 'blockquote', 'table', 'tbody', 'tr']);

/**
 * What loading `html` into the rich editor would lose or change: unknown elements by name,
 * attributes other than a link's href ("style attributes"), and Liquid tags between blocks
 * (`{% if %}<p>…</p>{% endif %}`, `<ul>{% for %}<li>…`), which the editor would wrap in
 * paragraphs or list items of their own.
 */
export function markupTheEditorDrops(html: string): string[] {
  const dropped = new Set<string>();
  const open: string[] = [];
  // Liquid is text to the editor, whatever it contains; a placeholder stands in for it.
  const markup = html.replace(LIQUID, (token) => (token.startsWith('{%') ? '\u0000' : 'x'));
  for (const m of markup.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*)>|([^<]+)/g)) {
    if (m[4] !== undefined) {
      if (m[4].includes('\u0000') && BETWEEN_BLOCKS.has(open[open.length - 1])) dropped.add('Liquid tags between blocks');
      continue;
    }
    const tag = m[2].toLowerCase();
    if (m[1]) {
      const at = open.lastIndexOf(tag);
      if (at >= 0) open.length = at;
      continue;
    }
    if (!KEPT_TAGS.has(tag)) dropped.add(tag);
    if (!VOID_TAGS.has(tag) && !m[3].trimEnd().endsWith('/')) open.push(tag);
    for (const attr of m[3].matchAll(/\s([a-zA-Z-]+)\s*=/g)) {
      const name = attr[1].toLowerCase();
      if (name !== 'href' && !(tag === 'ol' && name === 'start')) dropped.add(`${name} attributes`);
    }
  }
  return [...dropped];
}

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
    TokenHighlight,
  ];
}
