/**
 * Errors that say the database (or the way to it) is unavailable for now, not that the work was
 * wrong: retrying later can succeed, so nothing should be given up on because of them.
 */

/** SQLSTATE classes and codes of PostgreSQL that mean "not now" rather than "never". */
const PG_TRANSIENT_CLASSES = ['08', '53', '57', '58'];
const PG_TRANSIENT_CODES = ['40001', '40P01', '55P03', '55006'];
const SQLITE_TRANSIENT = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL|NOMEM|INTERRUPT)/;
const NET_TRANSIENT = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED'];
/** What pg and Kysely throw, without a code, when a connection or the pool is gone. */
const MESSAGE_TRANSIENT = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Cannot use a pool after calling end|Client has encountered a connection error|driver has already been destroyed|database connection is not open/i;

export function isTransientStoreError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (/^[0-9A-Z]{5}$/.test(code) && (PG_TRANSIENT_CLASSES.includes(code.slice(0, 2)) || PG_TRANSIENT_CODES.includes(code))) return true;
      if (SQLITE_TRANSIENT.test(code) || NET_TRANSIENT.includes(code)) return true;
    }
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && MESSAGE_TRANSIENT.test(message)) return true;
    // AggregateError (pg connecting to every address of a host) carries the causes in `errors`.
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.some((x) => isTransientStoreError(x))) return true;
  }
  return false;
}
