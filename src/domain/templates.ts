/**
 * Sequence email templates (PRODUCT §3.8): Liquid rendering, missing-token markers, placeholder
 * tokens, static analysis and the limits every rendering is held to. Pure: no I/O. Callers that
 * must not block (sends, previews, saves) render through a {@link TemplateRenderer}, which runs
 * this code off the main thread.
 */
import { randomInt } from 'node:crypto';
import { compile } from 'html-to-text';
import {
  Liquid,
  Tokenizer,
  TokenKind,
  toValue,
  type Context,
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

/**
 * What one rendering may cost. Liquid's own limits apply per part (subject, body); the
 * allocation budget also counts every printed and captured value, which Liquid does not.
 */
export interface TemplateLimits {
  /** Source length of a subject and of a body, in characters. */
  subjectChars: number;
  bodyChars: number;
  /** Rendered length of a subject and of a body (html), in characters. */
  renderedSubjectChars: number;
  renderedBodyChars: number;
  /** Liquid's render clock per part, in ms. */
  renderMs: number;
  /** Characters a part may allocate while rendering (Liquid's memoryLimit). */
  allocatedChars: number;
}

// Subjects get room beyond the API's 998 for authored text: a threaded follow-up renders
// "Re: " + the first email's rendered subject.
export const TEMPLATE_LIMITS: TemplateLimits = {
  subjectChars: 2_000,
  bodyChars: 200_000,
  renderedSubjectChars: 2_000,
  renderedBodyChars: 1_000_000,
  renderMs: 1_000,
  allocatedChars: 10_000_000,
};

export type TemplatePart = 'subject' | 'body';
/** Which bound a template broke; null for a syntax or runtime error. */
export type TemplateLimit = 'size' | 'time' | 'memory' | 'output';

export interface TemplateFailure {
  part: TemplatePart;
  limit: TemplateLimit | null;
  message: string;
}

/** A template that cannot be rendered: bad Liquid, an error while rendering, or a limit. */
export class TemplateRenderError extends Error implements TemplateFailure {
  override readonly name = 'TemplateRenderError';
  constructor(
    readonly part: TemplatePart,
    readonly limit: TemplateLimit | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  static from(f: TemplateFailure): TemplateRenderError {
    return new TemplateRenderError(f.part, f.limit, f.message);
  }

  toFailure(): TemplateFailure {
    return { part: this.part, limit: this.limit, message: this.message };
  }
}

/** Error codes (`errors[].code`) for each limit, and for everything else. */
export const TEMPLATE_ERROR_CODES: Record<TemplateLimit | 'error', string> = {
  size: 'TEMPLATE_SIZE_LIMIT',
  time: 'TEMPLATE_TIME_LIMIT',
  memory: 'TEMPLATE_MEMORY_LIMIT',
  output: 'TEMPLATE_OUTPUT_LIMIT',
  error: 'TEMPLATE_ERROR',
};

export const templateErrorCode = (f: Pick<TemplateFailure, 'limit'>): string => TEMPLATE_ERROR_CODES[f.limit ?? 'error'];

/** Renders off the caller's thread, within time and memory bounds; rejects with TemplateRenderError. */
export interface TemplateRenderer {
  render(tpl: { subject: string; body: string }, ctx: TemplateContext, placeholderValues?: Record<string, string>): Promise<RenderResult>;
}

export interface TemplateAnalysis {
  tokens: string[];
  placeholders: string[];
  syntaxError: string | null;
}

const OUT_FILTER = '__seqflow_out';

/** liquidjs does not export OutputToken from its entry point. */
type OutputToken = Token & { contentRange: [number, number] };

/**
 * How the instrumented output filter turns a value into text. In the body every value is
 * escaped whatever its filters say (`raw` included): contact properties, user fields and
 * anything computed from them are data, and only the rep's own markup is markup.
 */
const Mode = {
  Plain: 0,
  Escape: 1,
  /** A final `escape` or `escape_once` already made the value safe; escaping again would show entities. */
  Escaped: 2,
  /** `sender.signature`: sender-authored HTML, or plain text shown with line breaks. */
  Signature: 3,
  /** `sender.signature | raw`: the sender's HTML as it is. */
  SignatureRaw: 4,
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
  // A backstop only: sources are checked against TemplateLimits first, and instrumenting adds a
  // filter call to every {{ }}. Render limits are given per rendering.
  parseLimit: 10_000_000,
});

for (const [name, why] of Object.entries(UNSUPPORTED_TAGS)) {
  liquid.registerTag(name, {
    parse() {
      throw new Error(`the "${name}" tag is not supported (${why})`);
    },
    *render() {},
  });
}

/**
 * Text each rendering captured with {% capture %}. Captured text is the rep's markup with every
 * value in it already escaped, so printing it again must not escape it a second time; a string
 * equal to one of these is exactly as safe, whatever path it took.
 */
const captured = new WeakMap<Context, Set<string>>();
const capturedIn = (ctx: Context): Set<string> => {
  let texts = captured.get(ctx);
  if (!texts) captured.set(ctx, (texts = new Set()));
  return texts;
};

// liquidjs charges filters and ranges to memoryLimit but not {% capture %}, so a capture that
// doubles itself in a loop reached hundreds of MB before anything stopped it.
const BuiltinCapture = liquid.tags.capture as unknown as new (...args: any[]) => { variable: string; render(ctx: Context): Generator<unknown, void, unknown> };
liquid.registerTag(
  'capture',
  class ChargedCapture extends BuiltinCapture {
    override *render(ctx: Context): Generator<unknown, void, unknown> {
      yield* super.render(ctx);
      const text = String((ctx.bottom() as Record<string, unknown>)[this.variable] ?? '');
      ctx.memoryLimit.use(text.length);
      capturedIn(ctx).add(text);
    }
  } as unknown as Parameters<typeof liquid.registerTag>[1],
);

// An array pushed onto itself doubles the text it prints as while its length grows by one, and
// liquidjs charges only the length; filters that turn it into text (join, append…) then built
// gigabytes before any check. Charging the nested weight stops it where it is built.
for (const name of ['push', 'unshift'] as const) {
  const builtin = liquid.filters[name] as (this: unknown, ...args: unknown[]) => unknown;
  liquid.registerFilter(name, function (this: { context: Context }, ...args: unknown[]) {
    const out = builtin.apply(this, args);
    this.context.memoryLimit.use(weightOf(out));
    return out;
  });
}

// Args: nonce, token index (-1 = no missing check), mode, [initial value when checked].
liquid.registerFilter(OUT_FILTER, function (value: unknown, nonce: string, index: number, mode: Mode, ...initial: unknown[]) {
  if (index >= 0 && isBlank(toValue(initial[0]))) return `\u0000${nonce}:${index}\u0000`;
  // Charged before escaping copies it: liquidjs does not count what is printed.
  let s = stringify(value, this.context.memoryLimit);
  if (mode === Mode.Escape && captured.get(this.context)?.has(s)) return s;
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

/**
 * Renders a step's subject and body for one contact. Synchronous and CPU-bound: a template can
 * spend up to `limits.renderMs` per part, so only a {@link TemplateRenderer} (off the main
 * thread) should call this where anything else is waiting. Throws TemplateRenderError.
 *
 * @param onPart told which part is about to render, so a caller that has to stop the rendering
 *   from outside knows which field to blame.
 */
export function renderEmail(
  tpl: { subject: string; body: string },
  ctx: TemplateContext,
  placeholderValues: Record<string, string> = {},
  limits: TemplateLimits = TEMPLATE_LIMITS,
  onPart?: (part: TemplatePart) => void,
): RenderResult {
  const nonce = String(randomInt(1e9, 1e10)); // digits only: survives upcase/downcase/escape
  const scope = {
    contact: presentValues(ctx.contact),
    sender: presentValues(ctx.sender),
    ...(!isBlank(ctx.unsubscribeLink) && { unsubscribe_link: ctx.unsubscribeLink }),
  };
  const missing: string[] = [];
  const unfilled: string[] = [];
  const render = (source: string, part: TemplatePart, html: boolean): string => {
    onPart?.(part);
    const [maxSource, maxOutput] = html ? [limits.bodyChars, limits.renderedBodyChars] : [limits.subjectChars, limits.renderedSubjectChars];
    if (source.length > maxSource) {
      throw new TemplateRenderError(part, 'size', `The ${part} is ${source.length} characters long; the limit is ${maxSource}.`);
    }
    const { source: instrumented, paths } = instrument(parseOrThrow(source, part), source, nonce, html);
    let out: string;
    try {
      out = String(liquid.parseAndRenderSync(instrumented, scope, { renderLimit: limits.renderMs, memoryLimit: limits.allocatedChars }));
    } catch (e) {
      throw renderFailure(part, e, limits);
    }
    if (out.length > maxOutput) {
      throw new TemplateRenderError(part, 'output', `The ${part} renders to ${out.length} characters; the limit is ${maxOutput}.`);
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

/** liquidjs reports its limits as plain messages ("<resource> limit exceeded"). */
function renderFailure(part: TemplatePart, e: unknown, limits: TemplateLimits): TemplateRenderError {
  const message = errorMessage(e);
  if (/memory alloc limit exceeded|Invalid string length|Invalid array length/.test(message)) {
    return new TemplateRenderError(part, 'memory', `The ${part} needs more memory to render than the limit of ${limits.allocatedChars} characters.`, { cause: e });
  }
  if (/template render limit exceeded/.test(message)) {
    return new TemplateRenderError(part, 'time', `The ${part} takes longer to render than the limit of ${limits.renderMs} ms.`, { cause: e });
  }
  if (/parse length limit exceeded/.test(message)) {
    return new TemplateRenderError(part, 'size', `The ${part} is too long to parse.`, { cause: e });
  }
  return new TemplateRenderError(part, null, `Template ${part} failed to render: ${message}`, { cause: e });
}

/**
 * A contact and sender with a value for every property the templates name, for a trial
 * rendering at save time: the branches a real contact would take are the ones tried.
 */
export function sampleContext(sources: string[]): TemplateContext {
  const ctx: TemplateContext = { contact: {}, sender: {}, unsubscribeLink: 'https://seqflow.invalid/unsubscribe/sample' };
  for (const source of sources) {
    let segments: ReturnType<typeof liquid.globalVariableSegmentsSync>;
    try {
      segments = liquid.globalVariableSegmentsSync(liquid.parse(source));
    } catch {
      continue; // a syntax error is reported on its own
    }
    for (const [root, property] of segments) {
      if ((root === 'contact' || root === 'sender') && typeof property === 'string') {
        ctx[root][property] = `Sample ${property}`;
      }
    }
  }
  return ctx;
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

/**
 * Liquid source that renders as `text` itself: for already-rendered text (a threaded
 * follow-up's "Re:" subject) that carries contact data, which must never run as a template.
 */
export function literalTemplate(text: string): string {
  return text.replace(/\{[{%]/g, (open) => `{{ "${open}" }}`);
}

export function hasPlaceholders(source: string): boolean {
  return new RegExp(PLACEHOLDER_SOURCE, 'i').test(source);
}

function placeholderTexts(source: string): string[] {
  return unique([...source.matchAll(new RegExp(PLACEHOLDER_SOURCE, 'gi'))].map((m) => m[1].trim()));
}

function parseOrThrow(source: string, part: TemplatePart): OutputToken[] {
  try {
    liquid.parse(source);
    const tokens = new Tokenizer(source).readTopLevelTokens(liquid.options);
    return tokens.filter((t): t is typeof t & OutputToken => t.kind === TokenKind.Output);
  } catch (e) {
    throw new TemplateRenderError(part, null, `Template ${part} has a Liquid syntax error: ${errorMessage(e)}`, { cause: e });
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
    const last = filters[filters.length - 1];
    let mode: Mode = html ? Mode.Escape : Mode.Plain;
    if (html && (last === 'escape' || last === 'escape_once')) mode = Mode.Escaped;
    // Only the signature alone: once a filter mixes something in, the result is data.
    else if (html && initial?.path === 'sender.signature' && filters.every((f) => f === 'raw')) {
      mode = filters.length ? Mode.SignatureRaw : Mode.Signature;
    }
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

const weights = new WeakMap<object, number>();

/** Characters an array prints as, plus one per element; memoized, so nesting costs no re-walk. */
function weightOf(v: unknown): number {
  const value = toValue(v);
  if (value === null || value === undefined) return 0;
  if (!Array.isArray(value)) return typeof value === 'string' ? value.length : 1;
  let weight = weights.get(value);
  if (weight === undefined) {
    weights.set(value, 0);
    weight = value.length;
    for (const item of value) weight += weightOf(item);
    weights.set(value, weight);
  }
  return weight;
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

/** Charges as it goes: arrays can nest themselves (`push`) into exponentially long text. */
function stringify(v: unknown, memory: { use(count: number): void }): string {
  const value = toValue(v);
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    memory.use(value.length);
    let text = '';
    for (const item of value) text += stringify(item, memory);
    return text;
  }
  const text = String(value);
  memory.use(text.length);
  return text;
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
