import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  analyzeTemplate,
  hasPlaceholders,
  literalTemplate,
  renderEmail,
  sampleContext,
  TEMPLATE_LIMITS,
  TemplateRenderError,
  type TemplateContext,
  type TemplateLimits,
} from './templates.js';

const ctx = (contact: TemplateContext['contact'] = {}, extra: Partial<TemplateContext> = {}): TemplateContext => ({
  contact,
  sender: { firstname: 'Sam', lastname: 'Seller', email: 'sam@acme.test', signature: 'Sam Seller\nAcme Inc.' },
  ...extra,
});
const body = (source: string, c: TemplateContext, values?: Record<string, string>) =>
  renderEmail({ subject: '', body: source }, c, values);

describe('renderEmail', () => {
  it('should resolve property tokens when the contact and sender have values', () => {
    const r = renderEmail(
      { subject: 'Quick question, {{ contact.firstname }}', body: '<p>Hi {{ contact.firstname }} at {{ contact.company }}, {{ sender.firstname }} here.</p>' },
      ctx({ firstname: 'Ada', company: 'Analytical Engines' }),
    );
    expect(r.subject).toBe('Quick question, Ada');
    expect(r.html).toBe('<p>Hi Ada at Analytical Engines, Sam here.</p>');
    expect(r.missingTokens).toEqual([]);
    expect(r.placeholders).toEqual([]);
  });

  it('should use the default when the property is missing', () => {
    const r = renderEmail({ subject: 'Hi {{ contact.firstname | default: "there" }}', body: '<p>Hi {{ contact.firstname | default: "there" }}</p>' }, ctx());
    expect(r.subject).toBe('Hi there');
    expect(r.html).toBe('<p>Hi there</p>');
    expect(r.missingTokens).toEqual([]);
  });

  it('should render a missing marker and list the token when a property has no value and no default', () => {
    const r = renderEmail(
      { subject: 'For {{ contact.company }}', body: '<p>Hi {{ contact.firstname }}, {{ contact.firstname | upcase }}</p>' },
      ctx({ firstname: null, company: undefined }),
    );
    expect(r.subject).toBe('For [[MISSING TOKEN - COMPANY]]');
    expect(r.html).toBe('<p>Hi [[MISSING TOKEN - FIRSTNAME]], [[MISSING TOKEN - FIRSTNAME]]</p>');
    expect(r.text).toContain('[[MISSING TOKEN - FIRSTNAME]]');
    expect(r.missingTokens).toEqual(['contact.company', 'contact.firstname']);
  });

  it('should count a value as missing when it is an empty or whitespace-only string', () => {
    const r = body('{{ contact.firstname }}|{{ contact.company }}|{{ contact.company | default: "your team" }}', ctx({ firstname: '', company: '  \n' }));
    expect(r.html).toBe('[[MISSING TOKEN - FIRSTNAME]]|[[MISSING TOKEN - COMPANY]]|your team');
    expect(r.missingTokens).toEqual(['contact.firstname', 'contact.company']);
  });

  it('should not report a token as missing when it sits in a branch that is not rendered', () => {
    const r = body('{% if contact.company %}At {{ contact.company }}{% else %}Hello{% endif %}', ctx({ company: ' ' }));
    expect(r.html).toBe('Hello');
    expect(r.missingTokens).toEqual([]);
  });

  it('should list unfilled placeholders and fill the others when placeholderValues are given', () => {
    const tpl = { subject: '[[placeholder: subject hook]]', body: '<p>[[Placeholder:  opener ]]</p><p>[[placeholder: why now]]</p>' };
    const unfilled = renderEmail(tpl, ctx());
    expect(unfilled.placeholders).toEqual(['subject hook', 'opener', 'why now']);
    expect(unfilled.html).toBe(tpl.body);

    const filled = renderEmail(tpl, ctx(), { 'subject hook': 'Your Q3 launch', opener: 'Loved your <talk> & slides' });
    expect(filled.subject).toBe('Your Q3 launch');
    expect(filled.html).toBe('<p>Loved your &lt;talk&gt; &amp; slides</p><p>[[placeholder: why now]]</p>');
    expect(filled.placeholders).toEqual(['why now']);
  });

  it('should not treat placeholder syntax inside a property value as a placeholder when rendering', () => {
    const r = renderEmail({ subject: '{{ contact.company }}', body: '{{ contact.company }}' }, ctx({ company: '[[placeholder: x]]' }), { x: 'FILLED' });
    expect(r.subject).toBe('[[placeholder: x]]');
    expect(r.html).toBe('[[placeholder: x]]');
    expect(r.placeholders).toEqual([]);
  });

  it('should escape HTML in html but keep it plain in subject when a contact value contains markup', () => {
    const company = '<script>alert("x")</script> & Co';
    const r = renderEmail({ subject: 'About {{ contact.company }}', body: '<p>{{ contact.company }}</p>' }, ctx({ company }));
    expect(r.html).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</p>');
    expect(r.subject).toBe(`About ${company}`);
    expect(r.text).toBe(company);
  });

  it('should derive the text version from the html when rendering', () => {
    const r = body('<h1>Hello {{ contact.firstname }}</h1><p>First line<br>second line</p><ul><li>one</li></ul>', ctx({ firstname: 'Ada' }));
    expect(r.text).toContain('HELLO ADA');
    expect(r.text).toContain('First line\nsecond line');
    expect(r.text).toContain('* one');
    expect(r.text).not.toMatch(/<[a-z]/i);
  });

  it('should render the sender signature with line breaks when it is plain text', () => {
    const r = body('<p>Thanks,</p><p>{{ sender.signature }}</p>', ctx());
    expect(r.html).toBe('<p>Thanks,</p><p>Sam Seller<br>\nAcme Inc.</p>');
    expect(r.text).toContain('Sam Seller\nAcme Inc.');
  });

  it('should keep the sender signature as HTML when it is HTML', () => {
    const c = ctx();
    c.sender.signature = '<b>Sam</b> | <a href="https://acme.test">Acme</a>';
    expect(body('{{ sender.signature }}', c).html).toBe(c.sender.signature);
  });

  it('should render the unsubscribe link when one is given', () => {
    const link = 'https://seqflow.test/u/abc?sig=1&e=2';
    const r = body('<a href="{{ unsubscribe_link }}">Unsubscribe</a>', ctx({}, { unsubscribeLink: link }));
    expect(r.html).toBe('<a href="https://seqflow.test/u/abc?sig=1&amp;e=2">Unsubscribe</a>');
    expect(r.text).toBe(`Unsubscribe [${link}]`);
    expect(r.missingTokens).toEqual([]);
  });

  it('should report the unsubscribe link as missing when none is given', () => {
    const r = body('{{ unsubscribe_link }}', ctx());
    expect(r.html).toBe('[[MISSING TOKEN - UNSUBSCRIBE_LINK]]');
    expect(r.missingTokens).toEqual(['unsubscribe_link']);
  });

  it('should throw an error naming the problem when the Liquid does not parse', () => {
    expect(() => body('Hi {{ contact.firstname ', ctx())).toThrow(/syntax error.*not closed/);
    expect(() => body('{{ contact.firstname | shout }}', ctx())).toThrow(/undefined filter: shout/);
  });

  it('should not read partials when a template includes one', () => {
    expect(() => body('{% include "/etc/passwd" %}', ctx())).toThrow(/not supported/);
  });

  it('should not expose prototype properties when a template walks past own properties', () => {
    expect(body('{{ contact.constructor | default: "none" }}', ctx()).html).toBe('none');
  });
});

describe('analyzeTemplate', () => {
  it('should list token paths when the template uses them in outputs and tags', () => {
    const a = analyzeTemplate('Hi {{ contact.firstname | default: "there" }}{% if contact.company %} at {{ contact.company }}{% endif %} {{ sender.signature }} {{ unsubscribe_link }}');
    expect(a).toEqual({ tokens: ['contact.firstname', 'contact.company', 'sender.signature', 'unsubscribe_link'], placeholders: [], syntaxError: null });
  });

  it('should list placeholder texts when the template has placeholders', () => {
    const source = '[[placeholder: opener]] and [[ PLACEHOLDER :  a line about {{ contact.company }} ]] [[placeholder: opener]]';
    expect(analyzeTemplate(source).placeholders).toEqual(['opener', 'a line about {{ contact.company }}']);
    expect(hasPlaceholders(source)).toBe(true);
    expect(hasPlaceholders('[[ not a placeholder ]] {{ contact.firstname }}')).toBe(false);
  });

  it('should report a syntax error when the Liquid does not parse', () => {
    expect(analyzeTemplate('{% if contact.firstname %}Hi').syntaxError).toMatch(/not closed/);
    expect(analyzeTemplate('{{ contact.firstname | nope }}').syntaxError).toMatch(/undefined filter: nope/);
    expect(analyzeTemplate('{% echo contact.firstname %}').syntaxError).toMatch(/"echo" tag is not supported/);
    expect(analyzeTemplate('{{ contact.firstname }}').syntaxError).toBeNull();
  });
});

describe('renderEmail properties', () => {
  const template = {
    subject: '{{ contact.firstname }} x {{ contact.company }}',
    body: '<p>Hi {{ contact.firstname }} at {{ contact.company | upcase }}</p>[[placeholder: opener]]<p>{{ sender.signature }}</p>',
  };
  const value = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('{{', '}}', '{%', '%}', '[[', ']]', '[[placeholder: x]]', '{{ contact.firstname }}', '\u0000', '  '),
    fc.constant(null),
    fc.constant(undefined),
  );
  const nonBlank = fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => s.trim() !== '');

  it('should never throw when property values are arbitrary', () => {
    fc.assert(
      fc.property(value, value, value, (firstname, company, signature) => {
        const r = renderEmail(template, { contact: { firstname, company }, sender: { signature } }, { opener: 'Hey' });
        expect(r.placeholders).toEqual([]);
      }),
    );
  });

  it('should report no missing tokens when every referenced property is a non-blank string', () => {
    fc.assert(
      fc.property(nonBlank, nonBlank, nonBlank, (firstname, company, signature) => {
        const r = renderEmail(template, { contact: { firstname, company }, sender: { signature } });
        expect(r.missingTokens).toEqual([]);
        expect(r.placeholders).toEqual(['opener']);
      }),
    );
  });
});

describe('renderEmail limits', () => {
  const failure = (source: string, limits: Partial<TemplateLimits> = {}, part: 'subject' | 'body' = 'body') => {
    try {
      renderEmail({ subject: part === 'subject' ? source : '', body: part === 'body' ? source : 'x' }, ctx(), {}, { ...TEMPLATE_LIMITS, ...limits });
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateRenderError);
      const { part, limit } = e as TemplateRenderError;
      return { part, limit };
    }
    throw new Error('rendered without error');
  };

  it('should refuse with the memory limit when a capture doubles itself in a loop', () => {
    const bomb = '{% capture a %}x{% endcapture %}{% for i in (1..40) %}{% capture a %}{{ a }}{{ a }}{% endcapture %}{% endfor %}{{ a | size }}';
    expect(failure(bomb)).toEqual({ part: 'body', limit: 'memory' });
    expect(failure(bomb.replaceAll('{{ a }}', '{{ a | raw }}'))).toEqual({ part: 'body', limit: 'memory' });
  });

  it('should refuse with the memory limit when an assign doubles itself with append', () => {
    expect(failure('{% assign a = "xxxxxxxx" %}{% for i in (1..40) %}{% assign a = a | append: a %}{% endfor %}{{ a | size }}')).toEqual({ part: 'body', limit: 'memory' });
  });

  it('should refuse with the memory limit when a range is huge', () => {
    expect(failure('{% for i in (1..100000000) %}x{% endfor %}')).toEqual({ part: 'body', limit: 'memory' });
  });

  it('should refuse with the memory limit when an array nests itself with push and is printed', () => {
    const bomb = '{% assign a = "xxxxxxxxxxxxxxxx" | split: "," %}{% for i in (1..40) %}{% assign a = a | push: a %}{% endfor %}{{ a }}';
    expect(failure(bomb)).toEqual({ part: 'body', limit: 'memory' });
    expect(failure(bomb.replace('{{ a }}', '{{ a | join: "" | size }}'))).toEqual({ part: 'body', limit: 'memory' });
    expect(failure(bomb.replace('push', 'unshift').replace('{{ a }}', '{{ "" | append: a | size }}'))).toEqual({ part: 'body', limit: 'memory' });
  });

  it('should refuse with the time limit when nested loops outlast the render clock', () => {
    const bomb = '{% for i in (1..3000) %}{% for j in (1..3000) %}{% if j == 0 %}never{% endif %}{% endfor %}{% endfor %}';
    expect(failure(bomb, { renderMs: 50 })).toEqual({ part: 'body', limit: 'time' });
  });

  it('should refuse with the output limit when the body renders to more than the limit', () => {
    const big = '{% for i in (1..200) %}{% for j in (1..100) %}xxxxxxxxxx{% endfor %}{% endfor %}';
    expect(failure(big, { renderedBodyChars: 100_000 })).toEqual({ part: 'body', limit: 'output' });
  });

  it('should refuse with the size limit when a source is longer than the limit', () => {
    expect(failure('x'.repeat(TEMPLATE_LIMITS.bodyChars + 1))).toEqual({ part: 'body', limit: 'size' });
    expect(failure('x'.repeat(TEMPLATE_LIMITS.subjectChars + 1), {}, 'subject')).toEqual({ part: 'subject', limit: 'size' });
  });

  it('should name the part and no limit when the Liquid does not parse', () => {
    expect(failure('{% if contact.firstname %}', {}, 'subject')).toEqual({ part: 'subject', limit: null });
  });

  it('should render as before when loops, captures and filters stay within the limits', () => {
    const source = '{% capture list %}{% for i in (1..3) %}<li>{{ i }} {{ contact.company | upcase }}</li>{% endfor %}{% endcapture %}<ul>{{ list }}</ul>';
    expect(body(source, ctx({ company: 'Acme & Co' })).html).toBe(
      '<ul><li>1 ACME &amp; CO</li><li>2 ACME &amp; CO</li><li>3 ACME &amp; CO</li></ul>',
    );
  });
});

describe('renderEmail escaping of values', () => {
  const evil = '<img src=x onerror=alert(1)>';

  it('should escape a contact value in the body when the template prints it with raw', () => {
    const c = ctx({ company: evil });
    const escaped = '&lt;img src=x onerror=alert(1)&gt;';
    expect(body('{{ contact.company | raw }}', c).html).toBe(escaped);
    expect(body('{% assign x = contact.company %}{{ x | raw }}', c).html).toBe(escaped);
    expect(body('{{ "<b>" | append: contact.company | raw }}', c).html).toBe(`&lt;b&gt;${escaped}`);
    expect(body('{% for c in contact.company %}{{ c | raw }}{% endfor %}', c).html).toBe(escaped);
  });

  it('should escape contact data mixed into the signature when the signature is printed with filters', () => {
    const c = ctx({ company: evil });
    c.sender.signature = '<b>Sam</b>';
    expect(body('{{ sender.signature }}|{{ sender.signature | raw }}', c).html).toBe('<b>Sam</b>|<b>Sam</b>');
    expect(body('{{ sender.signature | append: contact.company }}', c).html).toBe('&lt;b&gt;Sam&lt;/b&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('should print captured markup as markup once when a capture is printed', () => {
    const source = '{% capture card %}<b>{{ contact.company }}</b>{% endcapture %}{{ card }}|{{ card | raw }}';
    expect(body(source, ctx({ company: evil })).html).toBe('<b>&lt;img src=x onerror=alert(1)&gt;</b>|<b>&lt;img src=x onerror=alert(1)&gt;</b>');
  });

  it('should not escape twice when the last filter escapes', () => {
    const c = ctx({ company: 'A & B' });
    expect(body('{{ contact.company | escape }}|{{ contact.company | escape_once }}|{{ contact.company | escape | upcase }}', c).html).toBe(
      'A &amp; B|A &amp; B|A &amp;AMP; B',
    );
  });

  it('should keep values plain when they are printed in the subject', () => {
    expect(renderEmail({ subject: '{{ contact.company | raw }} & {{ contact.company }}', body: 'x' }, ctx({ company: 'A<B>' })).subject).toBe('A<B> & A<B>');
  });
});

describe('sampleContext', () => {
  it('should give every contact and sender property a template names a value when building a trial contact', () => {
    const c = sampleContext(['Hi {{ contact.firstname }}{% if contact["Job Title"] %}!{% endif %}', '{{ sender.signature }} {% assign x = 1 %}{{ x }}', '{{ broken']);
    expect(c.contact).toEqual({ firstname: 'Sample firstname', 'Job Title': 'Sample Job Title' });
    expect(c.sender).toEqual({ signature: 'Sample signature' });
    expect(c.unsubscribeLink).toMatch(/^https:/);
  });
});

describe('literalTemplate', () => {
  it('should render as the text itself when the text contains Liquid', () => {
    const text = 'Re: {{ contact.email }} {% for i in (1..9) %}x{% endfor %} {{"a"}} }} %} {';
    expect(renderEmail({ subject: literalTemplate(text), body: 'x' }, ctx({ email: 'a@b.test' })).subject).toBe(text);
  });
});
