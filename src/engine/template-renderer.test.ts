import { afterEach, describe, expect, it } from 'vitest';
import { renderEmail, TemplateRenderError, type TemplateContext } from '../domain/templates.js';
import { createTemplateRenderer, type TemplateRendererOptions, type ThreadedTemplateRenderer } from './template-renderer.js';

const ctx: TemplateContext = {
  contact: { firstname: 'Ada', company: 'Analytical <Engines>' },
  sender: { firstname: 'Sam', signature: 'Sam Seller\nAcme Inc.' },
  unsubscribeLink: 'https://seqflow.test/u/1',
};
const normal = {
  subject: 'Hi {{ contact.firstname }}',
  body: '<p>Hello {{ contact.firstname }} at {{ contact.company }}</p>[[placeholder: opener]]<p>{{ sender.signature }}</p>',
};
/** Runs until Liquid's clock or the hard timeout stops it; allocates next to nothing. */
const spin = '{% for i in (1..5000) %}{% for j in (1..5000) %}{% if j == 0 %}never{% endif %}{% endfor %}{% endfor %}';
const captureBomb = '{% capture a %}x{% endcapture %}{% for i in (1..40) %}{% capture a %}{{ a }}{{ a }}{% endcapture %}{% endfor %}{{ a | size }}';

describe('createTemplateRenderer', () => {
  let renderer: ThreadedTemplateRenderer | null = null;
  const start = (opts: TemplateRendererOptions = {}) => (renderer = createTemplateRenderer(opts));
  afterEach(async () => {
    await renderer?.close();
    renderer = null;
  });
  const failureOf = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(TemplateRenderError);
    const { part, limit } = e as TemplateRenderError;
    return { part, limit };
  };

  it('should render exactly as renderEmail does when a template is normal', async () => {
    const r = start();
    const threaded = await r.render(normal, ctx, { opener: 'Loved your talk' });
    expect(threaded).toEqual(renderEmail(normal, ctx, { opener: 'Loved your talk' }));
  });

  it('should refuse with the memory limit when a capture doubles itself', async () => {
    const r = start();
    expect(await failureOf(r.render({ subject: 'x', body: captureBomb }, ctx))).toEqual({ part: 'body', limit: 'memory' });
  });

  it('should refuse with the time limit when Liquid stops a rendering on its own clock', async () => {
    const r = start({ limits: { renderMs: 100 } });
    expect(await failureOf(r.render({ subject: spin, body: 'x' }, ctx))).toEqual({ part: 'subject', limit: 'time' });
  });

  it('should stop the thread with the time limit when a rendering outlasts the hard timeout', async () => {
    // Liquid's own clock is out of the way, as it would be for a construct it cannot interrupt.
    const r = start({ limits: { renderMs: 600_000 }, timeoutMs: 300 });
    expect(await failureOf(r.render({ subject: 'x', body: spin }, ctx))).toEqual({ part: 'body', limit: 'time' });
    // The stopped thread is replaced.
    expect((await r.render(normal, ctx)).subject).toBe('Hi Ada');
  });

  it('should answer other renderings while one thread is stuck when a template runs away', async () => {
    const r = start({ threads: 2, limits: { renderMs: 600_000 }, timeoutMs: 20_000 });
    const settled: string[] = [];
    const bomb = r.render({ subject: 'x', body: spin }, ctx).then(
      () => settled.push('bomb'),
      () => settled.push('bomb'),
    );
    for (let i = 0; i < 3; i++) {
      expect((await r.render(normal, ctx)).subject).toBe('Hi Ada');
      settled.push(`normal ${i}`);
    }
    expect(settled).toEqual(['normal 0', 'normal 1', 'normal 2']);
    await r.close(); // ends the bomb's thread instead of waiting out its timeout
    renderer = null;
    await bomb;
  });

  it('should refuse a runaway template in the subject when the thread is stopped', async () => {
    const r = start({ limits: { renderMs: 600_000 }, timeoutMs: 300 });
    expect(await failureOf(r.render({ subject: spin, body: 'x' }, ctx))).toEqual({ part: 'subject', limit: 'time' });
  });
});
