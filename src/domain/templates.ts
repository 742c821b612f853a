/**
 * Sequence email templates (PRODUCT §3.8): Liquid rendering, missing-token markers, placeholder
 * tokens and static analysis. Pure: no I/O.
 */
import { randomInt } from 'node:crypto';
import { compile } from 'html-to-text';
import {
  Liquid,
  Tokenizer,
  TokenKind,
  toValue,
  type PropertyAccessToken,
  type Token,
} from 'liquidjs';

export interface TemplateContext {
  contact: Record<string, string | null | undefined>;
  sender: Record<string, string | null | undefined>;
  /** Exposed to templates as `{{ unsubscribe_link }}`. */
  unsubscribeLink?: string;
}

export interface RenderResult {
  subject: string;
  html: string;
  text: string;
  /** Token paths with no value and no `default` filter, e.g. `contact.firstname`. */
  missingTokens: string[];
  /** Texts of `[[placeholder: …]]` left unfilled. */
  placeholders: string[];
}

export interface TemplateAnalysis {
  tokens: string[];
  placeholders: string[];
  syntaxError: string | null;
}

const OUT_FILTER = '__seqflow_out';

/** liquidjs does not export OutputToken from its entry point. */
type OutputToken = Token & { contentRange: [number, number] };

/** How the instrumented output filter turns a value into text. */
const Mode = {
  Plain: 0,
  Escape: 1,
  /** Author opted out of escaping (`raw`) or already escaped (`escape`, `escape_once`). */
  AsIs: 2,
  /** `sender.signature`: sender-authored HTML, or plain text shown with line breaks. */
  Signature: 3,
} as const;
type Mode = (typeof Mode)[keyof typeof Mode];

const UNSUPPORTED_TAGS = {
  // They would read partials, and nothing is registered to read.
  include: 'partials are not available in email templates',
  render: 'partials are not available in email templates',
  layout: 'layouts are not available in email templates',
  // They print values without passing through {{ }}, so escaping and missing-token checks would not apply.
  echo: 'use {{ … }} to print a value',
  cycle: 'use {{ … }} to print a value',
} as const;

const liquid = new Liquid({
  templates: {}, // in-memory lookup only: never touches the filesystem
  strictFilters: true,
  ownPropertyOnly: true,
  strictVariables: false,
  parseLimit: 1_000_000,
  renderLimit: 2_000,
  memoryLimit: 64_000_000,
});

for (const [name, why] of Object.entries(UNSUPPORTED_TAGS)) {
  liquid.registerTag(name, {
    parse() {
      throw new Error(`the "${name}" tag is not supported (${why})`);
    },
    *render() {},
  });
}

// Args: nonce, token index (-1 = no missing check), mode, [initial value when checked].
liquid.registerFilter(OUT_FILTER, function (value: unknown, nonce: string, index: number, mode: Mode, ...initial: unknown[]) {
  if (index >= 0 && isBlank(toValue(initial[0]))) return `\u0000${nonce}:${index}\u0000`;
  let s = stringify(value);
  if (mode === Mode.Escape) s = escapeHtml(s);
  else if (mode === Mode.Signature && !looksLikeHtml(s)) s = escapeHtml(s).replace(/\r?\n/g, '<br>\n');
  // Brackets from values are masked so data can never open or close a [[placeholder: …]].
  return s.replace(/\[/g, `\u0001${nonce}\u0001`).replace(/\]/g, `\u0002${nonce}\u0002`);
});

const htmlToText = compile({
  wordwrap: false,
  selectors: [{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } }],
});

const PLACEHOLDER_SOURCE = String.raw`\[\[\s*placeholder\s*:([\s\S]*?)\]\]`;

export function renderEmail(
  tpl: { subject: string; body: string },
  ctx: TemplateContext,
  placeholderValues: Record<string, string> = {},
): RenderResult {
  const nonce = String(randomInt(1e9, 1e10)); // digits only: survives upcase/downcase/escape
  const scope = {
    contact: presentValues(ctx.contact),
    sender: presentValues(ctx.sender),
    ...(!isBlank(ctx.unsubscribeLink) && { unsubscribe_link: ctx.unsubscribeLink }),
  };
  const missing: string[] = [];
  const unfilled: string[] = [];
  const render = (source: string, part: 'subject' | 'body', html: boolean): string => {
    const { source: instrumented, paths } = instrument(parseOrThrow(source, part), source, nonce, html);
    let out: string;
    try {
      out = String(liquid.parseAndRenderSync(instrumented, scope));
    } catch (e) {
      throw new Error(`Template ${part} failed to render: ${errorMessage(e)}`, { cause: e });
    }
    const fillOrKeep = (match: string, raw: string): string => {
      const key = raw.trim();
      const value = Object.hasOwn(placeholderValues, key) ? placeholderValues[key] : undefined;
      if (typeof value === 'string' && value.trim() !== '') return html ? escapeHtml(value) : value;
      if (!unfilled.includes(key)) unfilled.push(key);
      return match;
    };
    out = out.replace(new RegExp(PLACEHOLDER_SOURCE, 'gi'), fillOrKeep);
    out = out.replaceAll(`\u0001${nonce}\u0001`, '[').replaceAll(`\u0002${nonce}\u0002`, ']');
    return out.replace(new RegExp(`\u0000${nonce}:(\\d+)\u0000`, 'g'), (_, i: string) => {
      const { path, name } = paths[Number(i)];
      if (!missing.includes(path)) missing.push(path);
      const marker = `[[MISSING TOKEN - ${name.toUpperCase()}]]`;
      return html ? escapeHtml(marker) : marker;
    });
  };
  // A subject is one header line.
  const subject = render(tpl.subject, 'subject', false).replace(/\s+/g, ' ').trim();
  const html = render(tpl.body, 'body', true);
  return { subject, html, text: htmlToText(html), missingTokens: missing, placeholders: unfilled };
}

export function analyzeTemplate(source: string): TemplateAnalysis {
  const placeholders = placeholderTexts(source);
  try {
    const tokens = unique(liquid.globalFullVariablesSync(liquid.parse(source)));
    return { tokens, placeholders, syntaxError: null };
  } catch (e) {
    return { tokens: [], placeholders, syntaxError: errorMessage(e) };
  }
}

export function hasPlaceholders(source: string): boolean {
  return new RegExp(PLACEHOLDER_SOURCE, 'i').test(source);
}

function placeholderTexts(source: string): string[] {
  return unique([...source.matchAll(new RegExp(PLACEHOLDER_SOURCE, 'gi'))].map((m) => m[1].trim()));
}

function parseOrThrow(source: string, part: string): OutputToken[] {
  try {
    liquid.parse(source);
    const tokens = new Tokenizer(source).readTopLevelTokens(liquid.options);
    return tokens.filter((t): t is typeof t & OutputToken => t.kind === TokenKind.Output);
  } catch (e) {
    throw new Error(`Template ${part} has a Liquid syntax error: ${errorMessage(e)}`, { cause: e });
  }
}

interface TokenRef {
  path: string;
  /** Last path segment, shown in the missing-token marker. */
  name: string;
}

/**
 * Appends the output filter to every `{{ … }}` so each printed value is escaped (html) and
 * checked for a value. Done on the source via Liquid's own tokenizer, so positions match the
 * parser's view (quoted `}}`, `{% raw %}` and whitespace control included).
 */
function instrument(outputs: OutputToken[], source: string, nonce: string, html: boolean) {
  const paths: TokenRef[] = [];
  const edits: Array<{ at: number; text: string }> = [];
  for (const out of outputs) {
    const value = new Tokenizer(source, undefined, undefined, out.contentRange).readFilteredValue();
    const filters = value.filters.map((f) => f.name);
    const initial = value.initial.postfix.length === 1 ? propertyPath(value.initial.postfix[0]) : null;
    let mode: Mode = html ? Mode.Escape : Mode.Plain;
    if (html && filters.some((f) => f === 'raw' || f === 'escape' || f === 'escape_once')) mode = Mode.AsIs;
    else if (html && initial?.path === 'sender.signature') mode = Mode.Signature;
    let args = `"${nonce}", -1, ${mode}`;
    if (initial && !filters.includes('default')) {
      args = `"${nonce}", ${paths.length}, ${mode}, ${initial.text}`;
      paths.push(initial);
    }
    edits.push({ at: out.contentRange[1], text: ` | ${OUT_FILTER}: ${args} ` });
  }
  let result = source;
  for (const { at, text } of edits.reverse()) result = result.slice(0, at) + text + result.slice(at);
  return { source: result, paths };
}

/** A variable path such as `contact.firstname` or `contact["first name"]`; null for literals and expressions. */
function propertyPath(token: Token): (TokenRef & { text: string }) | null {
  if (token.kind !== TokenKind.PropertyAccess) return null;
  const access = token as PropertyAccessToken;
  if (access.variable !== undefined || access.props.length === 0) return null;
  const names = access.props.map((p) =>
    p.kind === TokenKind.Word || p.kind === TokenKind.Quoted ? (p as unknown as { content: string }).content : p.getText(),
  );
  const path = names
    .map((n, i) => (/^[A-Za-z_][\w-]*$/.test(n) ? (i === 0 ? n : `.${n}`) : `[${JSON.stringify(n)}]`))
    .join('');
  return { path, name: names[names.length - 1], text: access.getText() };
}

/** Blank values are dropped so `{% if %}` and `default` treat them as absent. */
function presentValues(record: Record<string, string | null | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record ?? {}).filter((e): e is [string, string] => !isBlank(e[1])),
  );
}

function isBlank(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  return Array.isArray(v) && v.length === 0;
}

function stringify(v: unknown): string {
  const value = toValue(v);
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

function looksLikeHtml(s: string): boolean {
  return /<\/?[a-z][^>]*>/i.test(s);
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
