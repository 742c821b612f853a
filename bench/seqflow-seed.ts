/**
 * The configuration an operator would click together, made through the public API: per sender
 * a user, an inbox sending to the sink, a one-email sequence due at once (window all day, every
 * day), a form and a workflow "form submitted → enroll in sequence" that is turned on.
 *
 * Several senders because an inbox's daily limit is at most the provider default (1,000) and
 * sequences stop at 90 % of it; each sender gets ≤ EMAILS_PER_INBOX submissions, which also
 * stays under the per-minute limit (raised to its 1,000 maximum) so no limit paces the run.
 */
import { seedFormToSequence } from '../src/cli/seed-through-api.js';

export const EMAILS_PER_INBOX = 800;

export interface Sender {
  userId: string;
  inboxId: string;
  email: string;
  sequenceId: string;
  form: { id: string; portalId: string };
}

export type Api = (method: string, path: string, body?: unknown) => Promise<unknown>;

export function apiClient(baseUrl: string, token: string): Api {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 500)}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };
}

export async function seedSender(api: Api, i: number, smtpPort: number, tag: string): Promise<Sender> {
  const email = `rep${i}.${tag}@bench.seqflow.test`;
  const seeded = await seedFormToSequence(api, {
    user: { email, firstName: 'Bench', lastName: `Rep${i}`, timezone: 'UTC' },
    inbox: { provider: 'imap', smtp: { host: '127.0.0.1', port: smtpPort }, dailyLimit: 1000, perMinuteLimit: 1000 },
    sequence: {
      name: `Bench ${i}`,
      settings: { eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 },
      steps: [
        {
          type: 'EMAIL',
          delayMillis: 0,
          subject: 'Hi {{ contact.firstname | default: "there" }}',
          body: '<p>Hello {{ contact.firstname | default: "there" }}, thanks for reaching out.</p><p>{{ sender.firstname }}</p>',
        },
      ],
    },
    form: {
      name: `Book a meeting ${i}`,
      fields: [
        { name: 'email', label: 'Email', required: true },
        { name: 'firstname', label: 'First name', required: false },
      ],
    },
    flowName: `Form ${i} → sequence ${i}`,
  });
  return { userId: seeded.userId, inboxId: seeded.inboxId, email, sequenceId: seeded.sequenceId, form: seeded.form };
}

export async function seedSenders(api: Api, submissions: number, smtpPort: number, tag: string): Promise<Sender[]> {
  const out: Sender[] = [];
  for (let i = 0; i < Math.max(1, Math.ceil(submissions / EMAILS_PER_INBOX)); i++) out.push(await seedSender(api, i, smtpPort, tag));
  return out;
}

/** The public form endpoint, unauthenticated, as a web page posts it. */
export async function submitForm(baseUrl: string, sender: Sender, email: string, firstname: string): Promise<void> {
  const res = await fetch(`${baseUrl}/submissions/v3/integration/submit/${sender.form.portalId}/${sender.form.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields: [{ name: 'email', value: email }, { name: 'firstname', value: firstname }] }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`form submission → ${res.status} ${text.slice(0, 300)}`);
}
