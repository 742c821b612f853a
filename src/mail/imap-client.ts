import type { ImapFlow } from 'imapflow';
import type { ImapSettings } from '../domain/glossary.js';
import { resolveMailHost, type MailHostPolicy } from './host-policy.js';
import { isLoopbackHost } from './smtp-sender.js';

/**
 * A one-off IMAP client (a connection test, a Sent-folder lookup): the host checked against the
 * policy and pinned to the address that was checked, every stage bounded by `timeoutMs`.
 * Not connected yet; its 'error' events are swallowed because the caller awaits the outcome.
 */
export async function oneOffImapClient(settings: ImapSettings, policy: MailHostPolicy, timeoutMs: number): Promise<ImapFlow> {
  const target = await resolveMailHost(settings.host, policy);
  // imapflow (~6 MB of heap) loads with the first IMAP connection: a server without one never pays it.
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: target.address,
    servername: target.servername,
    port: settings.port,
    secure: settings.secure ?? false,
    auth: imapAuth(settings),
    logger: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Self-signed certificates are normal on a local server; never relaxed for a remote host.
    tls: isLoopbackHost(target.servername ?? settings.host) ? { rejectUnauthorized: false } : undefined,
  } as ConstructorParameters<typeof ImapFlow>[0]);
  // A failed connection also emits 'error'; unhandled, it would crash the process.
  client.on('error', () => undefined);
  return client;
}

/** A password login, or XOAUTH2/OAUTHBEARER (imapflow picks what the server offers) with a fresh token. */
export function imapAuth(settings: ImapSettings): { user: string; pass: string } | { user: string; accessToken: string } | undefined {
  if (settings.xoauth2) return { user: settings.xoauth2.user, accessToken: settings.xoauth2.accessToken };
  return settings.auth ? { user: settings.auth.user, pass: settings.auth.pass } : undefined;
}
