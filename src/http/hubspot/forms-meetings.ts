import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { bookMeeting, meetingsPage, requireMeeting, type Meeting } from '../../services/meetings.js';
import { createForm, listAllForms, requireForm, submitForm, type Form } from '../../services/forms.js';
import { errors } from '../../services/errors.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';
import { forms } from '../../schemas/index.js';
import { idParam, iso, parse } from '../validate.js';

const formView = (f: Form, portalId: string) => ({ id: f.guid, portalId, name: f.name, fields: f.fields, createdAt: iso(f.createdAt), updatedAt: iso(f.updatedAt) });

/** HubSpot's SimplePublicObject for a meeting; `associations=contacts` adds the contact it was booked with. */
const meetingView = (m: Pick<Meeting, 'id' | 'contactId' | 'properties' | 'createdAt' | 'updatedAt'>, withContacts = false) => ({
  id: String(m.id),
  properties: { ...m.properties, hs_object_id: String(m.id), hs_createdate: iso(m.createdAt), hs_lastmodifieddate: iso(m.updatedAt) },
  createdAt: iso(m.createdAt),
  updatedAt: iso(m.updatedAt),
  archived: false,
  ...(withContacts && { associations: { contacts: { results: [{ id: String(m.contactId), type: 'meeting_event_to_contact' }] } } }),
});
const wantsContacts = (a: string | string[] | undefined) => [a ?? []].flat().some((v) => v.split(',').some((x) => x.trim().toLowerCase() === 'contacts'));

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The hosted form page: plain HTML that posts JSON to the public submission endpoint. */
function hostedForm(form: Form, portalId: string): string {
  const inputs = form.fields
    .map((f) => `<label>${escapeHtml(f.label || f.name)}${f.required ? ' *' : ''}<input name="${f.name}" type="${f.name === 'email' ? 'email' : 'text'}"${f.required ? ' required' : ''}></label>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(form.name)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;background:#f4f6fa;color:#1d2433;margin:0;padding:3rem 1rem}
main{max-width:30rem;margin:0 auto;background:#fff;border:1px solid #dde3ee;border-radius:12px;padding:2rem;box-shadow:0 2px 12px rgba(29,36,51,.06)}
h1{font-size:1.5rem;margin:0 0 1.25rem}
label{display:block;margin:0 0 1rem;font-weight:600;font-size:.9rem}
input{display:block;box-sizing:border-box;width:100%;margin-top:.35rem;padding:.6rem .75rem;font:inherit;font-weight:400;border:1px solid #c5cede;border-radius:8px}
input:focus{outline:2px solid #3b6ef5;outline-offset:1px;border-color:#3b6ef5}
button{width:100%;margin-top:.5rem;font:inherit;font-weight:600;padding:.7rem 1rem;border:0;border-radius:8px;background:#3b6ef5;color:#fff;cursor:pointer}
button:hover{background:#2f5ad0}
#msg{margin:1rem 0 0;min-height:1.5em}#msg.ok{color:#17803d}#msg.error{color:#b42318}
</style></head>
<body><main><h1>${escapeHtml(form.name)}</h1><form id="f">${inputs}<button type="submit">Submit</button></form><p id="msg" role="status"></p></main>
<script>
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const fields = [...new FormData(e.target).entries()].filter(([, v]) => v !== '').map(([name, value]) => ({ name, value }));
  const r = await fetch('/submissions/v3/integration/submit/${portalId}/${form.guid}', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fields }) });
  const body = await r.json();
  const msg = document.getElementById('msg');
  msg.textContent = r.ok ? body.inlineMessage : body.message;
  msg.className = r.ok ? 'ok' : 'error';
  if (r.ok) e.target.reset();
});
</script></body></html>`;
}

export async function registerFormAndMeetingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { deps } = ctx;
  app.post('/seqflow/v1/forms', async (req, reply) => reply.status(201).send(formView(await createForm(deps, parse(forms.formBody, req.body, 'body')), deps.config.portalId)));
  app.get('/seqflow/v1/forms', async () => ({ results: (await listAllForms(deps)).map((f) => formView(f, deps.config.portalId)) }));
  app.get('/forms/:guid', async (req, reply) => {
    const form = await requireForm(deps, (req.params as { guid: string }).guid);
    return reply.type('text/html; charset=utf-8').send(hostedForm(form, deps.config.portalId));
  });

  // The public endpoint is rate-limited per client address, as HubSpot's is.
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      max: deps.config.formSubmissionsPer10s,
      timeWindow: 10_000,
      errorResponseBuilder: (_req, c) => ({
        ...errorBody(errors.formRateLimited({ retryAfterMs: c.ttl })),
        statusCode: 429,
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
      }),
    });
    scope.post('/submissions/v3/integration/submit/:portalId/:guid', async (req) => {
      const { portalId, guid } = req.params as { portalId: string; guid: string };
      const body = parse(forms.submissionBody, req.body, 'body');
      await submitForm(deps, portalId, guid, body.fields);
      return { inlineMessage: 'Thanks for submitting the form.' };
    });
  });

  app.post('/crm/v3/objects/meetings', async (req, reply) => {
    const body = parse(forms.meetingBody, req.body, 'body');
    const owner = body.properties.hubspot_owner_id;
    if (owner != null && !/^\d+$/.test(owner)) throw errors.meetingOwnerInvalid();
    const start = body.properties.hs_meeting_start_time ?? body.properties.hs_timestamp;
    const startAt = start == null ? null : /^\d+$/.test(start) ? Number(start) : Date.parse(start);
    if (startAt !== null && Number.isNaN(startAt)) {
      throw errors.meetingTimeInvalid();
    }
    const { id, createdAt } = await bookMeeting(deps, {
      contactIds: [...new Set(body.associations.map((a) => a.to.id))],
      ownerId: owner == null ? null : Number(owner),
      properties: body.properties,
      startAt,
    });
    return reply.status(201).send(meetingView({ id, contactId: 0, properties: body.properties, createdAt, updatedAt: createdAt }));
  });
  app.get('/crm/v3/objects/meetings', async (req) => {
    const q = parse(forms.meetingsQuery, req.query, 'query');
    const { meetings, nextAfter } = await meetingsPage(deps, q);
    const withContacts = wantsContacts(q.associations);
    return { results: meetings.map((m) => meetingView(m, withContacts)), ...(nextAfter !== null && { paging: { next: { after: String(nextAfter) } } }) };
  });
  app.get('/crm/v3/objects/meetings/:id', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const q = parse(forms.meetingsQuery, req.query, 'query');
    return meetingView(await requireMeeting(deps, id), wantsContacts(q.associations));
  });
}
