/**
 * What a template-rendering thread runs (see template-renderer.ts): one rendering per task,
 * answered as data, because an Error's own fields do not survive the trip between threads.
 */
import type { MessagePort } from 'node:worker_threads';
import { renderEmail, TemplateRenderError, type RenderResult, type TemplateContext, type TemplateFailure, type TemplateLimits } from '../domain/templates.js';

export interface RenderTask {
  tpl: { subject: string; body: string };
  ctx: TemplateContext;
  placeholderValues: Record<string, string>;
  limits: TemplateLimits;
  /** Told each part as it starts: the first message starts the caller's clock, the last names the part to blame. */
  progress: MessagePort;
}

export type RenderReply = { ok: true; result: RenderResult } | { ok: false; failure: TemplateFailure };

export default function renderTask(task: RenderTask): RenderReply {
  try {
    const result = renderEmail(task.tpl, task.ctx, task.placeholderValues, task.limits, (part) => task.progress.postMessage(part));
    return { ok: true, result };
  } catch (e) {
    if (e instanceof TemplateRenderError) return { ok: false, failure: e.toFailure() };
    throw e;
  }
}
