import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  WEBHOOK_LOGGED_BODY_CHARS,
  webhookContactPayload,
  webhookSignature,
  webhookUrlProblem,
  webhookVerdict,
} from '../../domain/webhooks.js';
import { refusalAtSave } from '../../mail/host-policy.js';
import { getContact } from '../../store/contacts.js';
import { contactPropertiesOf } from '../contacts.js';
import { callWebhook, DEFAULT_WEBHOOK_HOST_POLICY, type WebhookRequest } from '../webhook-call.js';
import type { ActionOutcome, CallOutRun, WorkflowActionType } from './action.js';

/**
 * HubSpot's v4 flows give the webhook its own action shape (`type: "WEBHOOK"`, hubspot-api.md
 * §2.3); Seqflow keeps every action a SINGLE_CONNECTION with a type id, so the webhook has one of
 * its own, named after HubSpot's action type, with HubSpot's field names (method, webhookUrl).
 */
export const SEND_WEBHOOK = 'WEBHOOK';

const METHODS = ['POST', 'GET'] as const;

const truncate = (s: string) => (s.length > WEBHOOK_LOGGED_BODY_CHARS ? `${s.slice(0, WEBHOOK_LOGGED_BODY_CHARS)}…` : s);

/** The request for this contact: POST carries the contact record, GET its id and email as query parameters. */
async function requestFor(r: CallOutRun): Promise<WebhookRequest | null> {
  const contact = await getContact(r.deps.db.kysely, r.run.contactId);
  if (!contact) return null;
  const method = r.fields.method === 'GET' ? 'GET' : 'POST';
  const url = new URL(String(r.fields.webhookUrl).trim());
  const headers: Record<string, string> = { 'user-agent': 'Seqflow-Webhooks/1', accept: 'application/json, text/plain, */*' };
  let body: string | undefined;
  if (method === 'GET') {
    url.searchParams.set('objectId', String(contact.id));
    const email = contactPropertiesOf(contact).email;
    if (email) url.searchParams.set('email', email);
  } else {
    body = JSON.stringify(webhookContactPayload({ id: contact.id, properties: contactPropertiesOf(contact) }, r.deps.config.portalId));
    headers['content-type'] = 'application/json';
  }
  const secret = typeof r.fields.signingSecret === 'string' ? r.fields.signingSecret : '';
  if (secret) {
    const timestamp = r.at.now;
    headers[SIGNATURE_HEADER.toLowerCase()] = webhookSignature(secret, { method, url: url.toString(), body: body ?? '', timestamp });
    headers[TIMESTAMP_HEADER.toLowerCase()] = String(timestamp);
  }
  return { method, url: url.toString(), headers, body };
}

/** Sends the enrolled contact to a URL; failures are retried for three days (src/domain/webhooks.ts). */
export const sendWebhook: WorkflowActionType = {
  id: SEND_WEBHOOK,
  name: 'Send a webhook',
  groupId: 'external',
  inputFields: [
    { name: 'method', type: 'enumeration', required: true, options: METHODS },
    { name: 'webhookUrl', type: 'string', required: true },
    { name: 'signingSecret', type: 'string', required: false },
  ],
  keepsTimeWindows: true,
  validate(fields) {
    if (!METHODS.includes(fields.method as 'GET')) return 'Send a webhook: method must be POST or GET.';
    const problem = webhookUrlProblem(fields.webhookUrl);
    return problem ? `Send a webhook: ${problem}` : null;
  },
  async checkAtSave(deps, fields) {
    if (webhookUrlProblem(fields.webhookUrl)) return null;
    const host = new URL(String(fields.webhookUrl).trim()).hostname;
    const reason = await refusalAtSave(host, deps.config.webhookHosts ?? DEFAULT_WEBHOOK_HOST_POLICY);
    return reason ? { field: 'webhookUrl', message: `The webhook URL's host ${host} ${reason}.` } : null;
  },
  async run() {
    // Never reached: the runner calls callOut, outside the run's transaction.
    return { status: 'FAILED', reasonCode: 'INVALID_ACTION', reasonText: 'The webhook must be called outside a transaction.' };
  },
  async callOut(r): Promise<ActionOutcome> {
    const problem = webhookUrlProblem(r.fields.webhookUrl);
    if (problem) return { status: 'FAILED', reasonCode: 'WEBHOOK_URL_REFUSED', reasonText: problem };
    const req = await requestFor(r);
    if (!req) return { status: 'SKIPPED', reasonCode: 'CONTACT_NOT_FOUND', reasonText: 'Skipped: the contact was deleted.' };
    const answer = await callWebhook(req, { policy: r.deps.config.webhookHosts ?? DEFAULT_WEBHOOK_HOST_POLICY, now: r.at.now });
    const what = `${req.method} ${req.url.split('?')[0]}`;
    if (answer.kind === 'refused') return { status: 'FAILED', reasonCode: 'WEBHOOK_URL_REFUSED', reasonText: `${what} was not sent: ${answer.error}.` };
    const heard = answer.kind === 'status' ? `answered ${answer.status}: ${truncate(answer.body)}` : `failed: ${answer.error}`;
    const verdict = webhookVerdict(answer, { now: r.at.now, firstAt: r.firstAttemptAt, attempt: r.attempt });
    const attempt = `attempt ${r.attempt}`;
    switch (verdict.kind) {
      case 'done':
        return { status: 'EXECUTED', reasonCode: answer.kind === 'status' ? `HTTP_${answer.status}` : undefined, reasonText: `${what} ${heard}` };
      case 'failed':
        return { status: 'FAILED', reasonCode: 'WEBHOOK_REJECTED', reasonText: `${what} ${heard} (${attempt}; a 4xx answer is not retried)` };
      case 'gave-up':
        return { status: 'FAILED', reasonCode: 'WEBHOOK_RETRIES_EXHAUSTED', reasonText: `${what} ${heard} (${attempt}; retried for three days, giving up)` };
      case 'retry':
        return { status: 'RETRYING', reasonCode: 'WEBHOOK_RETRY', reasonText: `${what} ${heard} (${attempt}; retrying at ${new Date(verdict.at).toISOString()})`, retryAt: verdict.at };
    }
  },
};
