import { rejectionText, type EnrollmentRejection } from '../domain/reasons.js';

export interface ErrorDetail {
  message: string;
  in?: string;
  code?: string;
}

/**
 * Every error the API returns, as HubSpot shapes it: a status, a category, and our reason
 * code in subCategory (PRODUCT §7). Services throw these; the HTTP face only renders them.
 */
export class SeqflowError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly subCategory?: string,
    readonly errors?: ErrorDetail[],
    readonly context?: Record<string, string[]>,
  ) {
    super(message);
  }
}

export const validationError = (message: string, errors: ErrorDetail[] = [], subCategory?: string): SeqflowError =>
  new SeqflowError(400, 'VALIDATION_ERROR', message, subCategory, errors.length ? errors : undefined);

export const fieldError = (field: string, message: string, code?: string): SeqflowError =>
  validationError(message, [{ message, in: field, ...(code && { code }) }], code);

export const notFound = (what: string, id: string | number, subCategory?: string): SeqflowError =>
  new SeqflowError(404, 'OBJECT_NOT_FOUND', `${what} not found. ${what} ${id} does not exist.`, subCategory, undefined, {
    id: [String(id)],
  });

export const conflict = (message: string, subCategory?: string): SeqflowError =>
  new SeqflowError(409, 'CONFLICT', message, subCategory, subCategory ? [{ message, code: subCategory }] : undefined);

/** Enrollment rejections: state conflicts are 409, everything else about the request is 400. */
export function rejectionError(code: EnrollmentRejection): SeqflowError {
  const message = rejectionText(code);
  const detail = [{ message, code }];
  return code === 'ALREADY_ENROLLED' || code === 'SEND_LIMIT_REACHED'
    ? new SeqflowError(409, 'CONFLICT', message, code, detail)
    : new SeqflowError(400, 'VALIDATION_ERROR', message, code, detail);
}
