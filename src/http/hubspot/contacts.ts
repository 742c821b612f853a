import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Contact } from '../../domain/glossary.js';
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
import { cursor, idParam, iso, numericId, parse } from '../validate.js';

/** Properties HubSpot maintains itself; clients may read but not write them. */
const READ_ONLY = ['createdate', 'lastmodifieddate', 'hs_object_id'];
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

/** Property values are strings in HubSpot; numbers and booleans are accepted and stringified. */
const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? null : String(v)));
const propertiesBody = z.object({
  properties: z.record(z.string().min(1).max(100), propertyValue).refine((p) => !READ_ONLY.some((k) => k in p), {
    message: `${READ_ONLY.join(', ')} are maintained by Seqflow and cannot be set`,
  }),
});
const email = z.email();

function checkEmail(properties: Record<string, string | null>, at = 'email') {
  if (properties.email != null && properties.email !== '' && !email.safeParse(properties.email.trim()).success) {
    throw errors.invalidEmailProperty({ email: properties.email, field: at });
  }
}

/** `properties=a&properties=b` (api-client) and `properties=a,b` (sdk) both arrive. */
export const listParam = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);

/** 'createdate' / '-createdate', or HubSpot's {propertyName, direction}; sortComparator would silently skip anything else. */
const sort = z.union(
  [
    z.string().trim().regex(/^[-+]?[^-+\s]/),
    z.object({ propertyName: z.string().trim().min(1), direction: z.enum(['ASCENDING', 'DESCENDING']).optional() }),
  ],
  { error: "must be a property name, optionally prefixed with '-', or {propertyName, direction: ASCENDING | DESCENDING}" },
);
const searchBody = z.object({
  filterGroups: z.array(z.any()).default([]),
  sorts: z.array(sort).default([]),
  query: z.string().max(3000).optional(),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(1).max(200).default(10),
  after: z.union([z.string(), z.number()]).optional(),
});
/** How the path names a contact; anything else would silently be read as an id. */
const idProperty = z.enum(['hs_object_id', 'email']);
const archivedQuery = z.enum(['true', 'false']).transform((v) => v === 'true').optional();
const idPropertyQuery = z.object({ idProperty: idProperty.optional(), archived: archivedQuery });

/** HubSpot's batch limits (hubspot-api.md §3.3). */
const BATCH_LIMIT = 100;
const inputs = <T extends z.ZodType>(item: T) =>
  z.array(item).max(BATCH_LIMIT, { error: `Too many inputs: a batch request takes at most ${BATCH_LIMIT}.` });
/** Batch ids arrive as strings (or numbers); what they name depends on idProperty. */
const batchId = z.union([z.string().min(1), z.number()]).transform(String);
const batchProperties = propertiesBody.shape.properties;

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
function groupErrors(errors: BatchError[]): BatchError[] {
  const byKey = new Map<string, BatchError>();
  for (const e of errors) {
    const key = `${e.category}\u0000${e.message}`;
    const seen = byKey.get(key);
    if (seen) seen.context.ids.push(...e.context.ids);
    else byKey.set(key, { ...e, context: { ids: [...e.context.ids] } });
  }
  return [...byKey.values()];
}

export function registerContactRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;

  const resolve = async (params: unknown, query: unknown): Promise<Contact> => {
    const q = parse(idPropertyQuery, pick(query, ['idProperty', 'archived']), 'query');
    if (q.idProperty === 'email') return requireContactByEmail(deps, (params as { id: string }).id, { archived: q.archived });
    return requireContact(deps, parse(idParam, params, 'path').id, { archived: q.archived });
  };
  const started = () => iso(deps.clock.now());
  const batchResponse = (startedAt: string, results: unknown[], failures: BatchFailure[]) => ({
    status: 'COMPLETE',
    results,
    ...(failures.length && { numErrors: failures.length, errors: groupErrors(failures.map((f) => batchError(f.error, f.ids))) }),
    startedAt,
    completedAt: iso(deps.clock.now()),
  });
  const parseInputs = <T extends z.ZodType>(item: T, body: unknown) => parse(z.object({ inputs: inputs(item) }), body, 'body').inputs as z.infer<T>[];

  app.post('/crm/v3/objects/contacts', async (req, reply) => {
    const { properties } = parse(propertiesBody, req.body, 'body');
    checkEmail(properties);
    return reply.status(201).send(contactView(await createContact(deps, properties)));
  });
  app.get('/crm/v3/objects/contacts', async (req) => {
    const q = req.query as Record<string, unknown>;
    const { limit, after, archived } = parse(
      z.object({ limit: z.coerce.number().int().min(1).max(100).default(10), after: cursor, archived: archivedQuery }),
      { limit: q.limit, after: q.after, archived: q.archived },
      'query',
    );
    const rows = await listContactsPage(deps, { after, limit: limit + 1, archived });
    const page = rows.slice(0, limit);
    const histories = await propertyHistories(deps, page, listParam(q.propertiesWithHistory));
    const properties = listParam(q.properties);
    return {
      results: page.map((c) => contactView(c, properties, historyView(histories?.get(c.id)))),
      ...(rows.length > limit && { paging: { next: { after: String(rows[limit - 1].id) } } }),
    };
  });
  app.get('/crm/v3/objects/contacts/:id', async (req) => {
    const q = req.query as Record<string, unknown>;
    const contact = await resolve(req.params, q);
    const histories = await propertyHistories(deps, [contact], listParam(q.propertiesWithHistory));
    return contactView(contact, listParam(q.properties), historyView(histories?.get(contact.id)));
  });
  app.patch('/crm/v3/objects/contacts/:id', async (req) => {
    const { properties } = parse(propertiesBody, req.body, 'body');
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
    const body = parse(z.object({ primaryObjectId: numericId, objectIdToMerge: numericId }), req.body, 'body');
    return contactView(await mergeContacts(deps, body.primaryObjectId, body.objectIdToMerge));
  });
  app.post('/crm/v3/objects/contacts/gdpr-delete', async (req, reply) => {
    const body = parse(z.object({ objectId: batchId, idProperty: idProperty.optional() }), req.body, 'body');
    await purgeContactBy(deps, body.objectId, body.idProperty);
    return reply.status(204).send();
  });

  // ---- batch ------------------------------------------------------------------------------------
  // Each input of a batch write commits or fails on its own; failures are listed in a 207.
  const checkEmails = (list: { properties: Record<string, string | null> }[]) =>
    list.forEach((input, i) => checkEmail(input.properties, `inputs[${i}].properties.email`));

  app.post('/crm/v3/objects/contacts/batch/create', async (req, reply) => {
    const list = parseInputs(z.object({ properties: batchProperties, associations: z.array(z.unknown()).optional(), objectWriteTraceId: z.string().optional() }), req.body);
    checkEmails(list);
    const startedAt = started();
    const { results, failures } = await batchCreateContacts(deps, list);
    return reply.status(failures.length ? 207 : 201).send(batchResponse(startedAt, results.map((c) => contactView(c)), failures));
  });

  app.post('/crm/v3/objects/contacts/batch/read', async (req, reply) => {
    const { archived } = parse(z.object({ archived: archivedQuery }), pick(req.query, ['archived']), 'query');
    const body = parse(
      z.object({
        inputs: inputs(z.object({ id: batchId })),
        properties: z.array(z.string()).optional(),
        propertiesWithHistory: z.array(z.string()).optional(),
        idProperty: idProperty.optional(),
      }),
      req.body,
      'body',
    );
    const startedAt = started();
    const read = await batchReadContacts(deps, { ids: body.inputs.map((i) => i.id), idProperty: body.idProperty, archived, propertiesWithHistory: body.propertiesWithHistory });
    const failures = read.missing.length
      ? [{ error: errors.contactsNotRead(), ids: read.missing }]
      : [];
    const results = read.contacts.map((c) => contactView(c, body.properties, historyView(read.histories?.get(c.id))));
    return reply.status(failures.length ? 207 : 200).send(batchResponse(startedAt, results, failures));
  });

  app.post('/crm/v3/objects/contacts/batch/update', async (req, reply) => {
    const list = parseInputs(z.object({ id: batchId, properties: batchProperties, idProperty: idProperty.optional(), objectWriteTraceId: z.string().optional() }), req.body);
    checkEmails(list);
    const startedAt = started();
    const { results, failures } = await batchUpdateContacts(deps, list);
    return reply.status(failures.length ? 207 : 200).send(batchResponse(startedAt, results.map((c) => contactView(c)), failures));
  });

  app.post('/crm/v3/objects/contacts/batch/upsert', async (req, reply) => {
    const list = parseInputs(
      z.object({
        id: z.string().trim().pipe(email),
        idProperty: z.literal('email', { error: "upsert matches contacts by email: idProperty must be 'email'" }),
        properties: batchProperties,
        objectWriteTraceId: z.string().optional(),
      }),
      req.body,
    );
    checkEmails(list);
    const startedAt = started();
    const { results, failures } = await batchUpsertContacts(deps, list);
    return reply.status(failures.length ? 207 : 200).send(batchResponse(startedAt, results.map((r) => ({ ...contactView(r.contact), new: r.created })), failures));
  });

  app.post('/crm/v3/objects/contacts/batch/archive', async (req, reply) => {
    const list = parseInputs(z.object({ id: batchId }), req.body);
    // As HubSpot: ids that name nothing (or are already archived) are skipped, and the answer is 204.
    await batchArchiveContacts(deps, list.map((i) => i.id));
    return reply.status(204).send();
  });

  // ---- search -------------------------------------------------------------------------------------
  app.post('/crm/v3/objects/contacts/search', async (req) => {
    const body = parse(searchBody, req.body, 'body');
    const { total, contacts, nextAfter } = await searchContacts(deps, body);
    const properties = body.properties?.length ? body.properties : DEFAULT_PROPERTIES;
    return {
      total,
      results: contacts.map((c) => contactView(c, properties)),
      ...(nextAfter !== null && { paging: { next: { after: nextAfter } } }),
    };
  });
}

/** Query values named in `keys` only, so routes do not trip over each other's parameters. */
function pick(query: unknown, keys: string[]): Record<string, unknown> {
  const q = (query ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => q[k] !== undefined).map((k) => [k, q[k]]));
}
