import type { FastifyInstance } from 'fastify';
import type { Clock, Contact } from '../../domain/glossary.js';
import { archiveContact, contactPropertiesOf, createContact, mergeContacts, requireContact, updateContact } from '../../services/contacts.js';
import {
  batchArchiveContacts,
  batchCreateContacts,
  batchReadContacts,
  batchUpdateContacts,
  batchUpsertContacts,
  listContactsPage,
  propertyHistories,
  purgeContactBy,
  requireContactByEmail,
  type BatchFailure,
  type HistoryEntry,
} from '../../services/contact-batch.js';
import { searchContacts } from '../../services/contact-search.js';
import { errors, type SeqflowError } from '../../services/errors.js';
import type { AppContext } from '../context.js';
import { contacts } from '../../schemas/index.js';
import { idParam, iso, parse } from '../validate.js';
import { associationsView } from './companies.js';

/** What search returns when no properties are asked for, as HubSpot. */
const DEFAULT_PROPERTIES = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];

export const contactProperties = contactPropertiesOf;

type HistoryView = Record<string, { value: string; timestamp: string; sourceType: string }[]>;
const historyView = (h: Record<string, HistoryEntry[]> | undefined): HistoryView | undefined =>
  h && Object.fromEntries(Object.entries(h).map(([p, entries]) => [p, entries.map((e) => ({ value: e.value, timestamp: iso(e.timestamp), sourceType: e.sourceType }))]));

/**
 * SimplePublicObject. Without a property list, every set property is returned (a superset of
 * HubSpot's default). Values are always strings; a requested property the contact lacks is null.
 */
export function contactView(c: Contact, properties?: string[], history?: HistoryView) {
  const all = contactProperties(c);
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const selected = properties?.length
    ? Object.fromEntries(properties.map((p) => [p, str(all[p])]))
    : Object.fromEntries(Object.entries(all).map(([k, v]) => [k, str(v)]));
  return {
    id: String(c.id),
    properties: selected,
    ...(history && { propertiesWithHistory: history }),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    archived: c.archivedAt !== null,
    ...(c.archivedAt !== null && { archivedAt: iso(c.archivedAt) }),
  };
}

function checkEmail(properties: Record<string, string | null>, at = 'email') {
  if (properties.email != null && properties.email !== '' && !contacts.email.safeParse(properties.email.trim()).success) {
    throw errors.invalidEmailProperty({ email: properties.email, field: at });
  }
}

/** `properties=a&properties=b` (api-client) and `properties=a,b` (sdk) both arrive. */
export const listParam = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);

/** A batch failure as HubSpot reports it inside a 207: StandardError with the ids it concerns. */
export function batchError(err: SeqflowError, ids: string[]) {
  return {
    status: 'error',
    category: err.category,
    message: err.message,
    ...(err.subCategory && { subCategory: err.subCategory }),
    // StandardError requires both, even empty.
    errors: err.errors ?? [],
    context: { ids },
    links: {},
  };
}

type BatchError = ReturnType<typeof batchError>;

/** Failures with the same category and message are one error listing all their ids, as HubSpot groups not-found ids. */
export function groupErrors(errors: BatchError[]): BatchError[] {
  const byKey = new Map<string, BatchError>();
  for (const e of errors) {
    const key = `${e.category}\u0000${e.message}`;
    const seen = byKey.get(key);
    if (seen) seen.context.ids.push(...e.context.ids);
    else byKey.set(key, { ...e, context: { ids: [...e.context.ids] } });
  }
  return [...byKey.values()];
}

/** A batch's answer: what worked, and the failures grouped as HubSpot reports them, stamped when done. */
export const batchResponder =
  (clock: Clock) =>
  (startedAt: string, results: unknown[], failures: BatchFailure[]) => ({
    status: 'COMPLETE',
    results,
    ...(failures.length && { numErrors: failures.length, errors: groupErrors(failures.map((f) => batchError(f.error, f.ids))) }),
    startedAt,
    completedAt: iso(clock.now()),
  });

export function registerContactRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;

  const resolve = async (params: unknown, query: unknown): Promise<Contact> => {
    const q = parse(contacts.idPropertyQuery, pick(query, ['idProperty', 'archived']), 'query');
    if (q.idProperty === 'email') return requireContactByEmail(deps, (params as { id: string }).id, { archived: q.archived });
    return requireContact(deps, parse(idParam, params, 'path').id, { archived: q.archived });
  };
  const started = () => iso(deps.clock.now());
  const batchResponse = batchResponder(deps.clock);

  app.post('/crm/v3/objects/contacts', async (req, reply) => {
    const { properties, associations } = parse(contacts.propertiesBody, req.body, 'body');
    checkEmail(properties);
    return reply.status(201).send(contactView(await createContact(deps, properties, 'API', associations)));
  });
  app.get('/crm/v3/objects/contacts', async (req) => {
    const q = req.query as Record<string, unknown>;
    const { limit, after, archived } = parse(contacts.listContactsQuery, { limit: q.limit, after: q.after, archived: q.archived }, 'query');
    const rows = await listContactsPage(deps, { after, limit: limit + 1, archived });
    const page = rows.slice(0, limit);
    const histories = await propertyHistories(deps, page, listParam(q.propertiesWithHistory));
    const properties = listParam(q.properties);
    const assoc = await associationsView(deps, 'contacts', page.map((c) => c.id), listParam(q.associations));
    return {
      results: page.map((c) => ({ ...contactView(c, properties, historyView(histories?.get(c.id))), ...(assoc.get(c.id) && { associations: assoc.get(c.id) }) })),
      ...(rows.length > limit && { paging: { next: { after: String(rows[limit - 1].id) } } }),
    };
  });
  app.get('/crm/v3/objects/contacts/:id', async (req) => {
    const q = req.query as Record<string, unknown>;
    const contact = await resolve(req.params, q);
    const histories = await propertyHistories(deps, [contact], listParam(q.propertiesWithHistory));
    const assoc = await associationsView(deps, 'contacts', [contact.id], listParam(q.associations));
    return { ...contactView(contact, listParam(q.properties), historyView(histories?.get(contact.id))), ...(assoc.get(contact.id) && { associations: assoc.get(contact.id) }) };
  });
  app.patch('/crm/v3/objects/contacts/:id', async (req) => {
    const { properties } = parse(contacts.propertiesBody, req.body, 'body');
    checkEmail(properties);
    const contact = await resolve(req.params, pick(req.query, ['idProperty']));
    return contactView(await updateContact(deps, contact.id, properties));
  });
  app.delete('/crm/v3/objects/contacts/:id', async (req, reply) => {
    const contact = await resolve(req.params, {});
    await archiveContact(deps, contact.id);
    return reply.status(204).send();
  });

  // ---- merge and GDPR delete ------------------------------------------------------------------
  app.post('/crm/v3/objects/contacts/merge', async (req) => {
    const body = parse(contacts.mergeBody, req.body, 'body');
    return contactView(await mergeContacts(deps, body.primaryObjectId, body.objectIdToMerge));
  });
  app.post('/crm/v3/objects/contacts/gdpr-delete', async (req, reply) => {
    const body = parse(contacts.gdprDeleteBody, req.body, 'body');
    await purgeContactBy(deps, body.objectId, body.idProperty);
    return reply.status(204).send();
  });

  // ---- batch ------------------------------------------------------------------------------------
  // Each input of a batch write commits or fails on its own; failures are listed in a 207.
  const checkEmails = (list: { properties: Record<string, string | null> }[]) =>
    list.forEach((input, i) => checkEmail(input.properties, `inputs[${i}].properties.email`));

  app.post('/crm/v3/objects/contacts/batch/create', async (req, reply) => {
    const list = parse(contacts.batchInputs(contacts.batchCreateInput), req.body, 'body').inputs;
    checkEmails(list);
    const startedAt = started();
    const { results, failures } = await batchCreateContacts(deps, list);
    return reply.status(failures.length ? 207 : 201).send(batchResponse(startedAt, results.map((c) => contactView(c)), failures));
  });

  app.post('/crm/v3/objects/contacts/batch/read', async (req, reply) => {
    const { archived } = parse(contacts.batchReadQuery, pick(req.query, ['archived']), 'query');
    const body = parse(contacts.batchReadBody, req.body, 'body');
    const startedAt = started();
    const read = await batchReadContacts(deps, { ids: body.inputs.map((i) => i.id), idProperty: body.idProperty, archived, propertiesWithHistory: body.propertiesWithHistory });
    const failures = read.missing.length
      ? [{ error: errors.contactsNotRead(), ids: read.missing }]
      : [];
    const results = read.contacts.map((c) => contactView(c, body.properties, historyView(read.histories?.get(c.id))));
    return reply.status(failures.length ? 207 : 200).send(batchResponse(startedAt, results, failures));
  });

  app.post('/crm/v3/objects/contacts/batch/update', async (req, reply) => {
    const list = parse(contacts.batchInputs(contacts.batchUpdateInput), req.body, 'body').inputs;
    checkEmails(list);
    const startedAt = started();
    const { results, failures } = await batchUpdateContacts(deps, list);
    return reply.status(failures.length ? 207 : 200).send(batchResponse(startedAt, results.map((c) => contactView(c)), failures));
  });

  app.post('/crm/v3/objects/contacts/batch/upsert', async (req, reply) => {
    const list = parse(contacts.batchInputs(contacts.batchUpsertInput), req.body, 'body').inputs;
    checkEmails(list);
    const startedAt = started();
    const { results, failures } = await batchUpsertContacts(deps, list);
    return reply.status(failures.length ? 207 : 200).send(batchResponse(startedAt, results.map((r) => ({ ...contactView(r.contact), new: r.created })), failures));
  });

  app.post('/crm/v3/objects/contacts/batch/archive', async (req, reply) => {
    const list = parse(contacts.batchInputs(contacts.batchArchiveInput), req.body, 'body').inputs;
    // As HubSpot: ids that name nothing (or are already archived) are skipped, and the answer is 204.
    await batchArchiveContacts(deps, list.map((i) => i.id));
    return reply.status(204).send();
  });

  // ---- search -------------------------------------------------------------------------------------
  app.post('/crm/v3/objects/contacts/search', async (req) => {
    const body = parse(contacts.searchBody, req.body, 'body');
    const found = await searchContacts(deps, body);
    const properties = body.properties?.length ? body.properties : DEFAULT_PROPERTIES;
    return {
      total: found.total,
      results: found.contacts.map((c) => contactView(c, properties)),
      ...(found.nextAfter !== null && { paging: { next: { after: found.nextAfter } } }),
    };
  });
}

/** Query values named in `keys` only, so routes do not trip over each other's parameters. */
export function pick(query: unknown, keys: string[]): Record<string, unknown> {
  const q = (query ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => q[k] !== undefined).map((k) => [k, q[k]]));
}
