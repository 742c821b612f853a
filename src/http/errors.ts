import crypto from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { SeqflowError, errors, validationError } from '../services/errors.js';

/** HubSpot's error body (hubspot-api.md §4.2). */
export function errorBody(err: SeqflowError) {
  return {
    status: 'error',
    message: err.message,
    correlationId: crypto.randomUUID(),
    category: err.category,
    ...(err.subCategory && { subCategory: err.subCategory }),
    ...(err.errors && { errors: err.errors }),
    ...(err.context && { context: err.context }),
  };
}

/** A zod issue path as clients write it: `steps[0].body`, `properties.email`. */
export const fieldPath = (path: readonly PropertyKey[]): string =>
  path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n ? `.${String(p)}` : String(p))).join('');

export function zodToSeqflow(err: ZodError, where: 'body' | 'query' | 'path'): SeqflowError {
  const details = err.issues.map((i) => {
    const field = i.path.length ? fieldPath(i.path) : where;
    return { message: `${field}: ${i.message}`, in: field, code: i.code };
  });
  return validationError(`Invalid input (${details.map((e) => e.message).join('; ')})`, details);
}

/** Any error as the SeqflowError it is rendered as: a 4xx where the request was at fault, never a bare 500 for bad input. */
function toSeqflowError(error: FastifyError | SeqflowError | ZodError, request: FastifyRequest): SeqflowError {
  if (error instanceof SeqflowError) return error;
  if (error instanceof ZodError) return zodToSeqflow(error, 'body');
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType({ contentType: request.headers['content-type'] });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.bodyTooLarge();
    case 'FST_ERR_BAD_URL':
      return errors.malformedUrl();
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return errors.pathSegmentTooLong();
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    // Fastify's own 4xx: malformed JSON, empty body with a JSON content type, …
    return errors.requestRefused({ status: error.statusCode, message: error.message.replace(/^Body /, 'The request body ') });
  }
  request.log.error({ err: error }, 'unhandled error');
  return errors.internal();
}

export const render = (reply: FastifyReply, err: SeqflowError) => reply.status(err.status).type('application/json;charset=utf-8').send(errorBody(err));

/**
 * Fastify's `frameworkErrors` option: errors the router raises before any hook or error handler
 * runs (a malformed percent-encoding, an over-long path parameter) get the same body as the rest.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void render(reply, toSeqflowError(error, request));
}

/** Every failure leaves as a HubSpot-shaped body (hubspot-api.md §4.2). */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | SeqflowError | ZodError, request, reply) => {
    void render(reply, toSeqflowError(error, request));
  });
  app.setNotFoundHandler((request, reply) => {
    void render(reply, errors.noRoute({ method: request.method, path: request.url.split('?')[0] }));
  });
}
