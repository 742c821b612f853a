/**
 * Send errors as the API shows them. The stored text (src/mail/smtp-sender.ts describeError:
 * "CODE COMMAND: message") stays whole in the database and the log; the API drops the detail of
 * failures at the connection stage (refused, timed out, a stranger's banner, TLS, DNS), which
 * would tell a caller what listens at a host and port. Once the server spoke SMTP past its
 * greeting its replies are about the message (451 try later, 554 rejected) and are shown.
 */
export const CONNECTION_FAILED = 'Could not connect to the SMTP server. The server log has the reason.';

const NETWORK_CODES = new Set(['ESOCKET', 'ECONNECTION', 'ETIMEDOUT', 'EDNS', 'ETLS', 'EPROTOCOL', 'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

export function publicSendError(error: string): string {
  const prefix = /^Gave up after \d+ attempts: /.exec(error)?.[0] ?? '';
  const described = /^(E[A-Z_]+)(?: ([A-Z][A-Z ]*))?: /.exec(error.slice(prefix.length));
  if (!described) return error;
  const [, code, command] = described;
  return command === 'CONN' || NETWORK_CODES.has(code) ? `${prefix}${CONNECTION_FAILED}` : error;
}
