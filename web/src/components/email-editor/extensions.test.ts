// @vitest-environment happy-dom
import { Editor } from '@tiptap/core';
import { afterEach, describe, expect, it } from 'vitest';
import { renderEmail, type TemplateContext } from '../../../../src/domain/templates';
import { bodyOf, emailExtensions, liquidSafeHtml, markupTheEditorDrops } from './extensions';

const ctx: TemplateContext = {
  contact: { firstname: 'Jane', lastname: 'Doe', company: 'Example & Co' },
  sender: { firstname: 'Rita', signature: 'Rita Rep\nAcme' },
  unsubscribeLink: 'https://seqflow.test/unsubscribe/x',
};
const editors: Editor[] = [];
afterEach(() => editors.splice(0).forEach((e) => e.destroy()));

/** A body as the rich editor gives it back after loading it, untouched. */
function throughEditor(body: string, snippets = [] as { shortcut: string; body: string }[]): Editor {
  const editor = new Editor({ extensions: emailExtensions(() => snippets), content: body });
  editors.push(editor);
  return editor;
}
const render = (body: string) => renderEmail({ subject: 'Hi', body }, ctx, { 'the pain point': 'slow invoicing' });
/** Inter-tag whitespace is the only thing the editor may change: it keeps no source formatting. */
const tight = (html: string) => html.replace(/>\s+</g, '><');

describe('the rich editor HTML round trip', () => {
  it('should render the same email when a body with tokens, filters, tags and placeholders goes through the editor', () => {
    const body = [
      '<p>Hi {{ contact.firstname | default: "there" }},</p>',
      '<p>{% if contact.company != "" and 1 < 2 %}How is <strong>{{ contact.company }}</strong>?{% endif %} I hear [[placeholder: the pain point]] is a worry.</p>',
      '<ul><li><p>{{ contact.lastname | upcase }} &amp; friends</p></li></ul>',
      '<p><a href="{{ unsubscribe_link }}">Unsubscribe</a></p>',
      '<p>{{ sender.signature }}</p>',
    ].join('\n');
    const saved = bodyOf(throughEditor(body));
    expect(saved).toContain('{% if contact.company != "" and 1 < 2 %}');
    expect(saved).toContain('{{ contact.firstname | default: "there" }}');
    expect(saved).toContain('[[placeholder: the pain point]]');
    expect(saved).toContain('href="{{ unsubscribe_link }}"');
    const before = render(body);
    const after = render(saved);
    expect(tight(after.html)).toBe(tight(before.html));
    expect(after.text).toBe(before.text);
    expect(after).toMatchObject({ missingTokens: [], placeholders: [] });
    expect(after.html).toContain('How is <strong>Example &amp; Co</strong>?');
    expect(after.html).toContain('slow invoicing');
  });

  it('should give back exactly what it was given when a body is already in the editor own form', () => {
    const body = '<p>Hi {{ contact.firstname | default: "there" }}, <em>[[placeholder: one line]]</em></p><ol><li><p>{{ sender.firstname }}</p></li></ol>';
    expect(bodyOf(throughEditor(body))).toBe(body);
  });

  it('should keep the entities of text outside tokens when only a token has them taken out', () => {
    expect(liquidSafeHtml('<p>1 &lt; 2 {{ a | default: &quot;x&amp;y&quot; }} &amp; {% if b &gt; 1 %}</p>')).toBe('<p>1 &lt; 2 {{ a | default: "x&y" }} &amp; {% if b > 1 %}</p>');
  });

  it('should leave text as text when a stray {{ in one paragraph and }} in another enclose typed markup', () => {
    const typed = '<p>Use {{ like this</p><p>&lt;b&gt;not bold&lt;/b&gt; and }} there</p>';
    expect(liquidSafeHtml(typed)).toBe(typed);
  });
});

describe('#shortcut then Tab in the rich editor', () => {
  it('should replace the shortcut with the snippet when Tab follows a #shortcut naming one', () => {
    const editor = throughEditor('<p>Following up. #cal</p>', [{ shortcut: 'cal', body: 'Book a time: <strong>{{ sender.firstname }}</strong>' }]);
    editor.commands.focus('end');
    const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true });
    editor.view.dom.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(true);
    expect(bodyOf(editor)).toBe('<p>Following up. Book a time: <strong>{{ sender.firstname }}</strong></p>');
  });

  it('should leave the body alone when the word before the caret names no snippet', () => {
    const editor = throughEditor('<p>Following up. #nope</p>', [{ shortcut: 'cal', body: 'x' }]);
    editor.commands.focus('end');
    editor.view.dom.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }));
    expect(bodyOf(editor)).toBe('<p>Following up. #nope</p>');
  });
});

describe('markup the rich editor keeps', () => {
  it('should keep every element it claims to keep when a body uses them all', () => {
    const body =
      '<h1>A</h1><h2>B</h2><h3>C</h3><p><strong>b</strong> <b>b2</b> <em>i</em> <i>i2</i> <u>u</u> <s>s</s> <a href="https://x.example">l</a><br>next</p><ul><li><p>u1</p></li></ul><ol start="3"><li><p>o1</p></li></ol><blockquote><p>q</p></blockquote>';
    expect(markupTheEditorDrops(body)).toEqual([]);
    const saved = bodyOf(throughEditor(body));
    for (const kept of ['<h1>A</h1>', '<h2>B</h2>', '<h3>C</h3>', '<strong>b</strong>', '<strong>b2</strong>', '<em>i</em>', '<em>i2</em>', '<u>u</u>', '<s>s</s>', '<a href="https://x.example">l</a>', '<br>next', '<ul><li><p>u1</p></li></ul>', '<ol start="3"><li><p>o1</p></li></ol>', '<blockquote><p>q</p></blockquote>']) {
      expect(saved).toContain(kept);
    }
  });

  it('should name what loading would lose when a body has a table, an image and inline styles, but not for Liquid', () => {
    expect(markupTheEditorDrops('<table><tr><td style="color:red">x</td></tr></table><p class="x">{% if a < b %}<img src="y">{% endif %}</p>')).toEqual(['table', 'tr', 'td', 'style attributes', 'class attributes', 'img', 'src attributes']);
    expect(markupTheEditorDrops('<p>{% if a <b %}x{% endif %}</p>')).toEqual([]);
  });

  it('should name Liquid tags between blocks, which the editor would wrap in paragraphs or list items, but not Liquid inside text', () => {
    expect(markupTheEditorDrops('<ul>{% for t in contact.tags %}<li>{{ t }}</li>{% endfor %}</ul>')).toEqual(['Liquid tags between blocks']);
    expect(markupTheEditorDrops('{% if contact.vip %}<p>VIP</p>{% endif %}<p>x</p>')).toEqual(['Liquid tags between blocks']);
    expect(markupTheEditorDrops('<p>Hi</p>\n<p>{% if contact.vip %}VIP{% endif %} {{ contact.firstname }}</p>\n<ul><li>{% if a %}b{% endif %}</li></ul><p>a<br>{% if b %}c{% endif %}</p>')).toEqual([]);
    expect(markupTheEditorDrops('Plain {{ contact.firstname }} text')).toEqual([]);
  });
});
