import crypto from 'node:crypto';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { SeqflowError } from '../services/errors.js';

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

export function zodToSeqflow(err: ZodError, where: 'body' | 'query' | 'path'): SeqflowError {
  const errors = err.issues.map((i) => {
    const field = i.path.length ? i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n ? `.${String(p)}` : String(p))).join('') : where;
    return { message: `${field}: ${i.message}`, in: field, code: i.code };
  });
  return new SeqflowError(400, 'VALIDATION_ERROR', `Invalid input (${errors.map((e) => e.message).join('; ')})`, undefined, errors);
}

/** Every failure leaves as a HubSpot-shaped body with a 4xx where the request was at fault, never a bare 500 for bad input. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | SeqflowError | ZodError, request, reply) => {
    let err: SeqflowError;
    if (error instanceof SeqflowError) err = error;
    else if (error instanceof ZodError) err = zodToSeqflow(error, 'body');
    else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      err = new SeqflowError(415, 'VALIDATION_ERROR', `Unsupported Content-Type ${request.headers['content-type'] ?? '(none)'}; send application/json.`);
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      err = new SeqflowError(413, 'VALIDATION_ERROR', 'The request body is too large.');
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own 4xx: malformed JSON, empty body with a JSON content type, …
      err = new SeqflowError(error.statusCode, 'VALIDATION_ERROR', error.message.replace(/^Body /, 'The request body '));
    } else {
      request.log.error({ err: error }, 'unhandled error');
      err = new SeqflowError(500, 'INTERNAL_ERROR', 'Something went wrong on our side; the error was logged.');
    }
    void reply.status(err.status).type('application/json;charset=utf-8').send(errorBody(err));
  });
  app.setNotFoundHandler((request, reply) => {
    const err = new SeqflowError(404, 'OBJECT_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`);
    void reply.status(404).type('application/json;charset=utf-8').send(errorBody(err));
  });
}
