/**
 * "Test connection" for an inbox: can Seqflow reach its SMTP server and sign in, and the same for
 * IMAP. The answer is only yes or no (plus "refused by the host policy", which is decided before
 * any connection): whether nothing listened, something else answered, or the login failed is
 * logged by the caller, never returned, so the endpoint cannot map a network port by port.
 */
import nodemailer from 'nodemailer';
import type { ImapSettings, SmtpSettings } from '../domain/glossary.js';
import { MailHostRefused, resolveMailHost, type MailHostPolicy } from './host-policy.js';
import { isLoopbackHost, smtpAuth } from './smtp-sender.js';
import { oneOffImapClient } from './imap-client.js';

export type ConnectionTest = { ok: true } | { ok: false; refusedByPolicy: boolean; detail: string; cause?: unknown };

const failure = (err: unknown): ConnectionTest => ({
  ok: false,
  refusedByPolicy: err instanceof MailHostRefused,
  detail: err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err),
  // The error itself, for an OAuth connect to tell "SMTP AUTH is off" from "the token was refused".
  cause: err,
});

export async function testSmtp(smtp: SmtpSettings, policy: MailHostPolicy, timeoutMs: number): Promise<ConnectionTest> {
  try {
    const target = await resolveMailHost(smtp.host, policy);
    const transporter = nodemailer.createTransport({
      host: target.address,
      servername: target.servername,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtpAuth(smtp),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      tls: isLoopbackHost(target.servername ?? smtp.host) ? { rejectUnauthorized: false } : undefined,
      logger: false,
    });
    try {
      await transporter.verify();
    } finally {
      transporter.close();
    }
    return { ok: true };
  } catch (err) {
    return failure(err);
  }
}

export async function testImap(imap: ImapSettings, policy: MailHostPolicy, timeoutMs: number): Promise<ConnectionTest> {
  try {
    const client = await oneOffImapClient(imap, policy, timeoutMs);
    try {
      await client.connect();
    } finally {
      await client.logout().catch(() => client.close());
    }
    return { ok: true };
  } catch (err) {
    return failure(err);
  }
}
