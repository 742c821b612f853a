import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { snippetAtCaret } from '../../pages/sequence/snippet-shortcut';
import type { Snippet, Template } from '../../types';
import { bodyOf, emailExtensions, markupTheEditorDrops } from './extensions';
import { plainTextOf } from './plain-text';
import { useTokens } from './tokens';
import './email-editor.css';

export interface RichEmailEditorProps {
  /** Names the fields, e.g. "step 1": "Body of step 1", "Insert token in step 1". */
  name: string;
  value: string;
  onChange(html: string): void;
  templates?: Template[];
  snippets?: Snippet[];
  /** A template was chosen: the caller copies its subject and body. */
  onTemplate?(t: Template): void;
  /** Offered a token first: true when it put the token elsewhere (the subject, last focused). */
  onToken?(text: string): boolean;
  /** The body (rich or HTML) took the focus: tokens go here until another field takes it. */
  onBodyFocus?(): void;
  /**
   * false: no token, snippet or template pickers. A manual email is sent as the rep wrote it
   * (never rendered as Liquid), so a token put into it would go out as written.
   */
  pickers?: boolean;
}

/**
 * An email body edited as formatted text (TipTap), with the token, snippet and template pickers,
 * `#shortcut` + Tab, the HTML source for markup the editor does not know, and the plain-text
 * part the send derives from it.
 */
export function RichEmailEditor({ name, value, onChange, templates, snippets, onTemplate, onToken, onBodyFocus, pickers = true }: RichEmailEditorProps) {
  const labelId = useId();
  const snippetsRef = useRef<Snippet[]>([]);
  const emitted = useRef(value);
  const onChangeRef = useRef(onChange);
  const onFocusRef = useRef(onBodyFocus);
  /** Whether the rep has put the caret in this body since it was loaded: else a picked item goes at the end. */
  const placed = useRef(false);
  useEffect(() => {
    snippetsRef.current = snippets ?? [];
    onChangeRef.current = onChange;
    onFocusRef.current = onBodyFocus;
  });
  // A body with markup the editor would drop opens as HTML: nothing is lost unless the rep chooses to.
  const [source, setSource] = useState(() => markupTheEditorDrops(value).length > 0);
  const [linking, setLinking] = useState<string | null>(null);
  const tokens = useTokens();
  const editor = useEditor({
    extensions: emailExtensions(() => snippetsRef.current),
    content: value,
    editorProps: { attributes: { role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': labelId, class: 'rich-body' } },
    onFocus: () => {
      placed.current = true;
      onFocusRef.current?.();
    },
    onUpdate: ({ editor: e }) => {
      emitted.current = bodyOf(e);
      onChangeRef.current(emitted.current);
    },
  });
  // A body set from outside (a template, the HTML source, a reload) replaces what the editor shows,
  // without counting as an edit: loading alone must not make the sequence "unsaved".
  useEffect(() => {
    if (!editor || value === emitted.current) return;
    emitted.current = value;
    editor.commands.setContent(value, { emitUpdate: false });
    placed.current = false;
    if (markupTheEditorDrops(value).length) setSource(true);
  }, [editor, value]);
  const dropped = useMemo(() => (source ? markupTheEditorDrops(value) : []), [source, value]);
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e?.isActive('bold') ?? false,
      italic: e?.isActive('italic') ?? false,
      link: e?.isActive('link') ?? false,
      bullets: e?.isActive('bulletList') ?? false,
      numbers: e?.isActive('orderedList') ?? false,
      undo: e?.can().undo() ?? false,
      redo: e?.can().redo() ?? false,
    }),
  });
  const plainText = useMemo(() => plainTextOf(value), [value]);

  /** At the caret (rich) or the end (HTML); snippets always go into the body, tokens where the rep was. */
  const insert = (text: string) => {
    if (source || !editor) onChange(value + text);
    else editor.chain().focus(placed.current ? null : 'end').insertContent(text).run();
  };
  const insertToken = (text: string) => {
    if (!onToken?.(text)) insert(text);
  };
  const sourceKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Tab' || e.shiftKey) return;
    const el = e.currentTarget;
    const hit = el.selectionStart === el.selectionEnd ? snippetAtCaret(el.value, el.selectionStart, snippets ?? []) : null;
    if (!hit) return;
    e.preventDefault();
    onChange(el.value.slice(0, hit.start) + hit.body + el.value.slice(el.selectionEnd));
  };
  const tool = (label: string, on: boolean | undefined, run: () => void, disabled = false) => (
    <button type="button" className="small tool" aria-label={label} title={label} aria-pressed={on} disabled={disabled || source} onMouseDown={(e) => e.preventDefault()} onClick={run}>
      {TOOL_ICONS[label] ?? label}
    </button>
  );
  const chain = () => editor!.chain().focus();

  return (
    <div className="field rich-email">
      <span className="label" id={labelId}>
        Body of {name}
      </span>
      <div className="rich-toolbar" role="toolbar" aria-label={`Formatting of ${name}`}>
        {tool('Bold', active?.bold, () => chain().toggleBold().run())}
        {tool('Italic', active?.italic, () => chain().toggleItalic().run())}
        {tool('Link', active?.link, () => setLinking(editor?.getAttributes('link').href ?? 'https://'))}
        {tool('Bulleted list', active?.bullets, () => chain().toggleBulletList().run())}
        {tool('Numbered list', active?.numbers, () => chain().toggleOrderedList().run())}
        {tool('Undo', undefined, () => chain().undo().run(), !active?.undo)}
        {tool('Redo', undefined, () => chain().redo().run(), !active?.redo)}
        <span className="spacer" />
        <label className="check small-check">
          <input type="checkbox" checked={source} onChange={(e) => setSource(e.target.checked)} /> Edit HTML
        </label>
      </div>
      {linking !== null && (
        <div className="row rich-link" role="group" aria-label={`Link in ${name}`}>
          <input aria-label="Link address" value={linking} autoFocus onChange={(e) => setLinking(e.target.value)} />
          <button
            type="button"
            className="small"
            onClick={() => {
              const href = linking.trim();
              if (href) chain().extendMarkRange('link').setLink({ href }).run();
              setLinking(null);
            }}
          >
            Apply link
          </button>
          <button
            type="button"
            className="small secondary"
            onClick={() => {
              chain().extendMarkRange('link').unsetLink().run();
              setLinking(null);
            }}
          >
            Remove link
          </button>
        </div>
      )}
      <div hidden={source}>
        <EditorContent editor={editor} />
      </div>
      {source && <textarea aria-label={`HTML of ${name}`} rows={8} value={value} onFocus={onBodyFocus} onChange={(e) => onChange(e.target.value)} onKeyDown={sourceKeyDown} />}
      {dropped.length > 0 && (
        <p className="message warning">
          This body has markup the rich editor does not keep ({dropped.join(', ')}). Edit it here as HTML; going back to the rich editor and typing there drops that markup.
        </p>
      )}
      {pickers && (
        <>
          <div className="hint">
            Tokens such as {'{{ contact.firstname }}'} are filled in when the email is sent.{snippets?.length ? ' Type #shortcut then Tab to insert a snippet.' : ''}
          </div>
          <div className="row">
            {onTemplate && (
              <Picker label={`Insert template in ${name}`} empty="Choose a template…" onPick={(id) => { const t = templates?.find((x) => x.id === id); if (t) onTemplate(t); }}>
                {templates?.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.folder ? `${t.folder} / ` : ''}
                    {t.name}
                  </option>
                ))}
              </Picker>
            )}
            <Picker label={`Insert snippet in ${name}`} empty="Choose a snippet…" onPick={(id) => { const sn = snippets?.find((x) => x.id === id); if (sn) insert(sn.body); }}>
              {snippets?.map((sn) => (
                <option key={sn.id} value={sn.id}>
                  {sn.name} (#{sn.shortcut})
                </option>
              ))}
            </Picker>
            <Picker label={`Insert token in ${name}`} empty="Choose a token…" onPick={insertToken}>
              {tokens.map((g) => (
                <optgroup key={g.group} label={g.group}>
                  {g.tokens.map((t) => (
                    <option key={t.text} value={t.text}>
                      {t.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </Picker>
          </div>
        </>
      )}
      <details className="plain-text">
        <summary>Plain-text version</summary>
        <p className="hint">Sent beside the HTML for mail clients that show text only. It is made from the body when the email is sent, so it always says the same.</p>
        <textarea aria-label={`Plain-text version of ${name}`} readOnly rows={Math.min(14, plainText.split("\n").length + 1)} value={plainText} />
      </details>
    </div>
  );
}

const TOOL_ICONS: Record<string, string> = { Bold: 'B', Italic: 'I', 'Bulleted list': '• List', 'Numbered list': '1. List', Undo: '↶', Redo: '↷' };

function Picker({ label, empty, onPick, children }: { label: string; empty: string; onPick(value: string): void; children: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value="" onChange={(e) => e.target.value && onPick(e.target.value)}>
        <option value="">{empty}</option>
        {children}
      </select>
    </div>
  );
}
