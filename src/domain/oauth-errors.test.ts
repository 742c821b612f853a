import { describe, expect, it } from 'vitest';
import { classifyAccessFailure, type AccessFailure } from './oauth-errors.js';

// Bodies as Google's and Microsoft's token endpoints answer them (ids and timestamps shortened).
const RECORDED = {
  googleRevoked: { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } },
  googleBadSecret: { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } },
  googleDeletedClient: { status: 401, body: { error: 'deleted_client', error_description: 'The OAuth client was deleted.' } },
  msInactive: {
    status: 400,
    body: {
      error: 'invalid_grant',
      error_description:
        'AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2026-06-01T09:12:44Z and was inactive for 90.00:00:00. Trace ID: 5c1e Correlation ID: 9a7f Timestamp: 2026-09-01 10:00:00Z',
      error_codes: [700082],
      error_uri: 'https://login.microsoftonline.com/error?code=700082',
    },
  },
  msPasswordChanged: {
    status: 400,
    body: {
      error: 'invalid_grant',
      error_description: 'AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
      error_codes: [50173],
    },
  },
  msNoConsent: {
    status: 400,
    body: { error: 'invalid_grant', error_description: "AADSTS65001: The user or administrator has not consented to use the application with ID 'b1c2'.", error_codes: [65001] },
  },
  msBadSecret: {
    status: 401,
    body: {
      error: 'invalid_client',
      error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'b1c2'.",
      error_codes: [7000215],
    },
  },
  msSecretExpired: {
    status: 401,
    body: { error: 'invalid_client', error_description: "AADSTS7000222: The provided client secret keys for app 'b1c2' are expired.", error_codes: [7000222] },
  },
  msWrongTenant: {
    status: 400,
    body: {
      error: 'invalid_request',
      error_description:
        "AADSTS50194: Application 'b1c2'(Seqflow) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.",
      error_codes: [50194],
    },
  },
  msDown: { status: 503, body: { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred. Please try again.', error_codes: [90033] } },
};

const token = (r: { status: number; body: unknown }): AccessFailure => ({ kind: 'token', ...r });

describe('classifyAccessFailure', () => {
  it.each([
    ['Google invalid_grant (revoked or expired)', RECORDED.googleRevoked, 'reconnect', 'invalid_grant'],
    ['Microsoft AADSTS700082 (90 days idle)', RECORDED.msInactive, 'reconnect', 'AADSTS700082'],
    ['Microsoft AADSTS50173 (password changed)', RECORDED.msPasswordChanged, 'reconnect', 'AADSTS50173'],
    ['Microsoft AADSTS65001 (no consent)', RECORDED.msNoConsent, 'reconnect', 'AADSTS65001'],
  ] as const)('should ask the rep to reconnect when the provider answers %s', (_name, recorded, state, code) => {
    const loss = classifyAccessFailure('Google', token(recorded));
    expect(loss).toMatchObject({ state, scope: 'mailbox', code });
    expect(loss.message).toMatch(/Reconnect/);
  });

  it.each([
    ['Google invalid_client (wrong secret)', RECORDED.googleBadSecret, 'invalid_client'],
    ['Google deleted_client', RECORDED.googleDeletedClient, 'deleted_client'],
    ['Microsoft AADSTS7000215 (wrong secret)', RECORDED.msBadSecret, 'AADSTS7000215'],
    ['Microsoft AADSTS7000222 (secret expired)', RECORDED.msSecretExpired, 'AADSTS7000222'],
    ['Microsoft AADSTS50194 (wrong tenant)', RECORDED.msWrongTenant, 'AADSTS50194'],
  ] as const)('should call for an admin, for the whole app, not a rep reconnect when the provider answers %s', (_name, recorded, code) => {
    const loss = classifyAccessFailure('Microsoft', token(recorded));
    expect(loss).toMatchObject({ state: 'admin', scope: 'app', code });
    expect(loss.message).not.toMatch(/Press Reconnect/);
  });

  it('should name the tenant setting when Microsoft says the app is single-tenant', () => {
    expect(classifyAccessFailure('Microsoft', token(RECORDED.msWrongTenant)).message).toMatch(/SEQFLOW_MICROSOFT_TENANT/);
  });

  it.each([
    ['a 503 temporarily_unavailable', token(RECORDED.msDown)],
    ['a 429', token({ status: 429, body: {} })],
    ['a 500 with an HTML page', token({ status: 500, body: '<html>oops</html>' })],
    ['no answer at all', { kind: 'network', detail: 'ECONNREFUSED' } as AccessFailure],
    ['SMTP 454 4.7.0 (sign-in check unavailable)', { kind: 'smtp', responseCode: 454, response: '454 4.7.0 Temporary authentication failure' } as AccessFailure],
    ['IMAP NO [UNAVAILABLE]', { kind: 'imap', authenticationFailed: true, serverResponseCode: 'UNAVAILABLE' } as AccessFailure],
  ])('should keep retrying, not ask for a reconnect, when the provider gives %s', (_name, failure) => {
    expect(classifyAccessFailure('Google', failure).state).toBe('retrying');
  });

  it('should tell an admin how to turn SMTP AUTH on when Exchange Online answers 535 5.7.139', () => {
    const loss = classifyAccessFailure('Microsoft', {
      kind: 'smtp',
      responseCode: 535,
      response: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
    });
    expect(loss).toMatchObject({ state: 'admin', scope: 'mailbox', code: 'SMTP 535 5.7.139' });
    expect(loss.message).toMatch(/SmtpClientAuthenticationDisabled/);
  });

  it('should ask the rep to reconnect when SMTP refuses a fresh token with 535 5.7.8 (Gmail)', () => {
    const loss = classifyAccessFailure('Google', { kind: 'smtp', responseCode: 535, response: '535-5.7.8 Username and Password not accepted.' });
    expect(loss.state).toBe('reconnect');
  });

  it('should call for an admin when Gmail says IMAP is off for the account', () => {
    const loss = classifyAccessFailure('Google', { kind: 'imap', authenticationFailed: true, response: '[ALERT] Your account is not enabled for IMAP use.' });
    expect(loss.state).toBe('admin');
  });

  it('should ask to reconnect with every box ticked when the mail scope was not granted', () => {
    const loss = classifyAccessFailure('Google', { kind: 'scope', missing: ['https://mail.google.com/'] });
    expect(loss).toMatchObject({ state: 'reconnect', code: 'missing_scope' });
    expect(loss.message).toMatch(/every permission box/);
  });

  it('should never echo token text from an answer into the code or the message', () => {
    const loss = classifyAccessFailure('Google', token({ status: 400, body: { error: 'invalid_grant', error_description: 'refresh token 1//0gSECRETSECRET is invalid' } }));
    expect(JSON.stringify(loss)).not.toContain('SECRETSECRET');
  });
});
