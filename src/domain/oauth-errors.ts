/**
 * Why an OAuth mailbox lost access, and who can fix it (issue #16). Every failure — a token
 * endpoint's error answer, an SMTP or IMAP refusal, no answer at all — lands in one of three
 * states, because each asks for a different person to act:
 *   reconnect — only the rep can fix it (consent revoked, password changed, grant expired): one
 *               Reconnect button on their inbox;
 *   admin     — a rep's reconnect would not help (wrong client secret, wrong tenant, SMTP AUTH
 *               off, IMAP off): admins are told once, reps are not sent through consent over it;
 *   retrying  — the provider is down or busy: nobody needs to act, work waits and is retried.
 * `code` is a short, token-free name of what the provider said (logged and shown to admins).
 */
export type AccessState = 'reconnect' | 'admin' | 'retrying';

export interface AccessLoss {
  state: AccessState;
  /** `app`: the app registration is wrong, every mailbox of the provider is affected. */
  scope: 'mailbox' | 'app';
  code: string;
  /** Plain words for the inbox card and the notification. */
  message: string;
}

export type AccessFailure =
  | { kind: 'token'; status?: number; body?: unknown }
  | { kind: 'network'; detail?: string }
  | { kind: 'smtp'; responseCode?: number; response?: string }
  | { kind: 'imap'; authenticationFailed?: boolean; serverResponseCode?: string; response?: string }
  | { kind: 'scope'; missing: string[] };

// Entra ID's AADSTS numbers (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
const AADSTS_RECONNECT = new Set([50173, 50076, 50079, 50078, 54005, 65001, 70000, 70008, 700082, 700084, 50132, 50133, 50057, 50055]);
const AADSTS_APP = new Set([7000215, 7000222, 7000218, 50194, 700016, 90002, 900023, 50011, 700054, 70011, 50020, 53003]);
const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error', 'slow_down']);
const APP_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'invalid_scope', 'deleted_client', 'disabled_client', 'invalid_request', 'unsupported_grant_type']);
const RECONNECT_ERRORS = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required', 'access_denied', 'invalid_token']);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function aadstsOf(body: Record<string, unknown>): number | undefined {
  const codes = body.error_codes;
  if (Array.isArray(codes) && typeof codes[0] === 'number') return codes[0];
  const m = /AADSTS(\d+)/.exec(str(body.error_description) ?? '');
  return m ? Number(m[1]) : undefined;
}

const RECONNECT_TEXT = (label: string) =>
  `${label} no longer lets Seqflow use this mailbox (access was removed, the password changed, or the sign-in expired). Press Reconnect and sign in again.`;

function tokenLoss(label: string, status: number | undefined, raw: unknown): AccessLoss {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const error = str(body.error);
  const aadsts = aadstsOf(body);
  const code = aadsts ? `AADSTS${aadsts}` : (error ?? `HTTP ${status ?? '?'}`);
  if ((status !== undefined && (status >= 500 || status === 429)) || (error && TRANSIENT_ERRORS.has(error))) {
    return { state: 'retrying', scope: 'mailbox', code, message: `${label} is not answering right now. Seqflow keeps retrying; emails wait meanwhile.` };
  }
  if (aadsts === 700082) {
    return { state: 'reconnect', scope: 'mailbox', code, message: `The Microsoft sign-in expired after 90 days without use. Press Reconnect and sign in again.` };
  }
  if (aadsts === 65001) {
    return {
      state: 'reconnect',
      scope: 'mailbox',
      code,
      message: 'Microsoft says the app was not granted access to this mailbox. Press Reconnect and accept every permission; if Microsoft asks for admin approval, an admin must grant consent to the app in Entra first.',
    };
  }
  if (aadsts !== undefined && AADSTS_RECONNECT.has(aadsts)) return { state: 'reconnect', scope: 'mailbox', code, message: RECONNECT_TEXT(label) };
  if (aadsts === 7000222) {
    return { state: 'admin', scope: 'app', code, message: 'The Microsoft app\'s client secret has expired. An admin must create a new secret in Entra (App registrations → Certificates & secrets) and set SEQFLOW_MICROSOFT_CLIENT_SECRET.' };
  }
  if (aadsts === 50194 || aadsts === 90002 || aadsts === 700016) {
    return { state: 'admin', scope: 'app', code, message: 'The Microsoft app is registered in another tenant than Seqflow is set up for. An admin must set SEQFLOW_MICROSOFT_TENANT to the app\'s tenant id (or make the app multi-tenant).' };
  }
  if ((aadsts !== undefined && AADSTS_APP.has(aadsts)) || (error && APP_ERRORS.has(error))) {
    return {
      state: 'admin',
      scope: 'app',
      code,
      message: `${label} refused Seqflow's app credentials (${code}). An admin must check the client id and secret Seqflow is configured with (seqflow oauth check helps); reconnecting will not help.`,
    };
  }
  if (error && RECONNECT_ERRORS.has(error)) return { state: 'reconnect', scope: 'mailbox', code, message: RECONNECT_TEXT(label) };
  if (status === 401 || status === 400) return { state: 'reconnect', scope: 'mailbox', code, message: RECONNECT_TEXT(label) };
  return { state: 'retrying', scope: 'mailbox', code, message: `${label} gave an unexpected answer. Seqflow keeps retrying; emails wait meanwhile.` };
}

function smtpLoss(label: string, responseCode: number | undefined, response: string | undefined): AccessLoss {
  const text = response ?? '';
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
  const code = `SMTP ${responseCode ?? '?'}${enhanced ? ` ${enhanced}` : ''}`;
  if (enhanced === '5.7.139' || /SmtpClientAuthentication is disabled/i.test(text)) {
    return {
      state: 'admin',
      scope: 'mailbox',
      code,
      message: 'SMTP AUTH is turned off for this mailbox in Microsoft 365, so Seqflow cannot send from it. An Exchange admin must enable it (Set-CASMailbox <address> -SmtpClientAuthenticationDisabled $false, or Microsoft 365 admin center → user → Mail → Authenticated SMTP).',
    };
  }
  if (enhanced === '5.7.30' || /Basic authentication is not supported/i.test(text)) {
    return { state: 'admin', scope: 'mailbox', code, message: 'Microsoft 365 refused the sign-in method for sending. An admin must allow OAuth SMTP AUTH for this mailbox.' };
  }
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) {
    return { state: 'retrying', scope: 'mailbox', code, message: `${label}'s mail server is busy or cannot check the sign-in right now. Seqflow keeps retrying; emails wait meanwhile.` };
  }
  if (responseCode === 535 || responseCode === 534 || responseCode === 530) return { state: 'reconnect', scope: 'mailbox', code, message: RECONNECT_TEXT(label) };
  return { state: 'retrying', scope: 'mailbox', code, message: `${label}'s mail server could not be reached. Seqflow keeps retrying; emails wait meanwhile.` };
}

function imapLoss(label: string, f: Extract<AccessFailure, { kind: 'imap' }>): AccessLoss {
  const code = `IMAP ${f.serverResponseCode ?? (f.authenticationFailed ? 'AUTHENTICATIONFAILED' : 'connection')}`;
  if (/not enabled for IMAP|IMAP (use|access) (is )?disabled/i.test(f.response ?? '')) {
    return { state: 'admin', scope: 'mailbox', code, message: `IMAP is turned off for this mailbox, so Seqflow cannot read replies. An admin must enable IMAP for it at ${label}.` };
  }
  if (f.serverResponseCode === 'UNAVAILABLE' || !f.authenticationFailed) {
    return { state: 'retrying', scope: 'mailbox', code, message: `${label}'s mail server is not answering right now. Seqflow keeps retrying; replies are read once it does.` };
  }
  return { state: 'reconnect', scope: 'mailbox', code, message: RECONNECT_TEXT(label) };
}

export function classifyAccessFailure(label: string, f: AccessFailure): AccessLoss {
  switch (f.kind) {
    case 'token':
      return tokenLoss(label, f.status, f.body);
    case 'network':
      return { state: 'retrying', scope: 'mailbox', code: 'network', message: `${label} could not be reached. Seqflow keeps retrying; emails wait meanwhile.` };
    case 'smtp':
      return smtpLoss(label, f.responseCode, f.response);
    case 'imap':
      return imapLoss(label, f);
    case 'scope':
      return {
        state: 'reconnect',
        scope: 'mailbox',
        code: 'missing_scope',
        message: `The permission to read and send mail was not granted (${f.missing.join(', ')}). Press Reconnect and leave every permission box ticked.`,
      };
  }
}

/** Whether a recorded code names a fault of the app registration (fixed by an admin's setting, not per mailbox). */
export function isAppRegistrationCode(code: string | null): boolean {
  if (!code) return false;
  const aadsts = /^AADSTS(\d+)$/.exec(code);
  if (aadsts) return AADSTS_APP.has(Number(aadsts[1]));
  return APP_ERRORS.has(code) || code === 'provider_not_configured';
}
