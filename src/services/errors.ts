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

/** `field`, when given, names the request field that pointed at the missing object. */
export const notFound = (what: string, id: string | number, subCategory?: string, field?: string): SeqflowError => {
  const message = `${what} not found. ${what} ${id} does not exist.`;
  return new SeqflowError(404, 'OBJECT_NOT_FOUND', message, subCategory, field ? [{ message, in: field }] : undefined, { id: [String(id)] });
};

export const conflict = (message: string, subCategory?: string): SeqflowError =>
  new SeqflowError(409, 'CONFLICT', message, subCategory, subCategory ? [{ message, code: subCategory }] : undefined);

/** The enrollment request field (HubSpot's names) each rejection is about, so a client knows what to fix. */
const REJECTION_FIELD: Partial<Record<EnrollmentRejection, string>> = {
  SEQUENCE_NOT_FOUND: 'sequenceId',
  CONTACT_NOT_FOUND: 'contactId',
  NO_EMAIL_ADDRESS: 'contactId',
  SENDER_NOT_FOUND: 'userId',
  SENDER_NO_SEAT: 'userId',
  SENDER_INBOX_DISCONNECTED: 'senderEmail',
  SENDER_ADDRESS_NOT_ALLOWED: 'senderEmail',
};

/**
 * Enrollment rejections: state conflicts are 409, everything else about the request is 400.
 * The code stays in subCategory (callers match on it); `field` overrides the field named in
 * errors[].in where only the caller knows it (an alias rather than senderEmail).
 */
export function rejectionError(code: EnrollmentRejection, field = REJECTION_FIELD[code]): SeqflowError {
  const message = rejectionText(code);
  const detail = [{ message, code, ...(field && { in: field }) }];
  return code === 'ALREADY_ENROLLED' || code === 'SEND_LIMIT_REACHED'
    ? new SeqflowError(409, 'CONFLICT', message, code, detail)
    : new SeqflowError(400, 'VALIDATION_ERROR', message, code, detail);
}
