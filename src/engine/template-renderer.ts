/**
 * Renders templates on a small pool of threads (piscina), so that no template can hold the
 * event loop: the API, the worker loop and other sends keep running while a template renders.
 *
 * Bounds, innermost first: the allocation budget and render clock inside the rendering
 * (TemplateLimits, which is what stops every bomb we know of); then, for whatever gets past
 * them, a hard timeout that terminates the thread and a V8 heap limit per thread. The heap limit
 * is only a backstop: a worker thread that hits it can, for some allocation shapes, abort the
 * whole process (nodejs/node#47224), which is why the budget inside is kept far below it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { TEMPLATE_LIMITS, TemplateRenderError, type TemplateLimits, type TemplatePart, type TemplateRenderer } from '../domain/templates.js';
import type { RenderReply, RenderTask } from './template-render-thread.js';

export interface TemplateRendererOptions {
  /** Renderings at once. At least two, so one runaway template never queues every other send behind it. */
  threads?: number;
  /** Hard stop for one rendering, counted from when its thread starts it (not while it queues or boots). */
  timeoutMs?: number;
  /** V8 old-generation heap of each thread, in MB. */
  maxHeapMb?: number;
  /** An idle thread exits after this long; the next rendering starts a new one. */
  idleMs?: number;
  limits?: Partial<TemplateLimits>;
}

export interface ThreadedTemplateRenderer extends TemplateRenderer {
  close(): Promise<void>;
}

export function createTemplateRenderer(opts: TemplateRendererOptions = {}): ThreadedTemplateRenderer {
  const limits: TemplateLimits = { ...TEMPLATE_LIMITS, ...opts.limits };
  // Two parts each on Liquid's clock, then the text version: past this, Liquid's own check failed.
  const timeoutMs = opts.timeoutMs ?? 2 * limits.renderMs + 2_000;
  const pool = new Piscina({
    filename: threadFile(),
    minThreads: 0,
    maxThreads: Math.max(1, opts.threads ?? 2),
    idleTimeout: opts.idleMs ?? 30_000,
    concurrentTasksPerWorker: 1,
    // A rendering's garbage dies young: a 4 MB young generation (16 before) keeps a busy thread ~4 MB
    // smaller with no throughput lost (bench/results/2026-12-03-memory.md).
    resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb ?? 128, maxYoungGenerationSizeMb: 4 },
    execArgv: threadExecArgv(),
  });

  return {
    async render(tpl, ctx, placeholderValues = {}) {
      const { port1, port2 } = new MessageChannel();
      const stop = new AbortController();
      let part: TemplatePart = 'subject';
      let timer: NodeJS.Timeout | undefined;
      port1.on('message', (started: TemplatePart) => {
        part = started;
        timer ??= setTimeout(() => stop.abort(), timeoutMs);
      });
      const task: RenderTask = { tpl, ctx, placeholderValues, limits, progress: port2 };
      try {
        const reply: RenderReply = await pool.run(task, { transferList: [port2], signal: stop.signal });
        if (reply.ok) return reply.result;
        throw TemplateRenderError.from(reply.failure);
      } catch (e) {
        if (stop.signal.aborted) {
          throw new TemplateRenderError(part, 'time', `The ${part} was still rendering after ${timeoutMs} ms and was stopped.`, { cause: e });
        }
        if ((e as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
          throw new TemplateRenderError(part, 'memory', `The ${part} ran out of memory while rendering (${opts.maxHeapMb ?? 128} MB).`, { cause: e });
        }
        throw e;
      } finally {
        clearTimeout(timer);
        port1.close();
      }
    },
    close: () => pool.destroy(),
  };
}

/** The thread's module beside this one: .ts when run from source (tsx, vitest), .js once compiled. */
function threadFile(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), `template-render-thread${path.extname(here)}`);
}

/**
 * A thread inherits the process's flags, which carry tsx's loader under `tsx`; under vitest they
 * do not, and Node 20 cannot load .ts by itself, so from source the loader is added.
 */
function threadExecArgv(): string[] | undefined {
  if (path.extname(fileURLToPath(import.meta.url)) !== '.ts') return undefined;
  if (process.execArgv.some((arg) => /[\\/]tsx[\\/]/.test(arg))) return undefined;
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return [...process.execArgv, '--import', loader];
}
