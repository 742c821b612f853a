/**
 * A submission server on loopback that accepts only AUTH XOAUTH2, checking each access token by
 * introspection at the test authorization server, as Gmail's and Exchange Online's SMTP do with
 * their own tokens: the token must be active, carry the mail scope and belong to `user=`.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { INTROSPECTION_CLIENT, MAIL_SCOPE } from './oauth-server.js';

export interface OAuthSmtp {
  port: number;
  messages: (ParsedMail & { authUser: string })[];
  /** Every AUTH attempt: the user and whether it was accepted. */
  logins: { user: string; ok: boolean }[];
  /** Answer AUTH with `535 5.7.139` as Exchange Online does when SMTP AUTH is off for the mailbox. */
  smtpAuthDisabled: boolean;
  close(): Promise<void>;
}

export async function startOAuthSmtp(issuer: string): Promise<OAuthSmtp> {
  const messages: OAuthSmtp['messages'] = [];
  const logins: OAuthSmtp['logins'] = [];
  const state = { smtpAuthDisabled: false };
  const tempFail = () => Object.assign(new Error('4.7.0 Temporary authentication failure'), { responseCode: 454 });
  const server = new SMTPServer({
    authMethods: ['XOAUTH2'],
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, cb) {
      void (async () => {
        if (state.smtpAuthDisabled) {
          const e = Object.assign(new Error('5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.'), { responseCode: 535 });
          return cb(e);
        }
        let r: Response;
        try {
          r = await fetch(`${issuer}/token/introspection`, {
            method: 'POST',
            body: new URLSearchParams({ token: auth.accessToken ?? '', client_id: INTROSPECTION_CLIENT.id, client_secret: INTROSPECTION_CLIENT.secret }),
          });
        } catch {
          return cb(tempFail());
        }
        if (!r.ok) return cb(tempFail());
        const t = (await r.json()) as { active?: boolean; email?: string; scope?: string };
        const ok = t.active === true && t.email?.toLowerCase() === auth.username?.toLowerCase() && (t.scope ?? '').split(' ').includes(MAIL_SCOPE);
        logins.push({ user: auth.username ?? '', ok });
        return ok ? cb(null, { user: auth.username }) : cb(null, { data: { status: '401', schemes: 'bearer', scope: MAIL_SCOPE } });
      })();
    },
    onData(stream, session, cb) {
      void simpleParser(stream).then(
        (m) => {
          messages.push(Object.assign(m, { authUser: String(session.user ?? '') }));
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    messages,
    logins,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}
