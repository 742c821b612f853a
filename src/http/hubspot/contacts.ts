import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Contact } from '../../domain/glossary.js';
import { matchesFilterGroups, matchesQuery, sortComparator, validateFilterGroups, type FilterGroup } from '../../domain/filters.js';
import {
  archiveContact,
  contactPropertiesOf,
  createContact,
  createContactIn,
  duplicateContactError,
  eachInOwnTransaction,
  mergeContacts,
  purgeContact,
  requireContact,
  updateContact,
  updateContactIn,
  type ItemOutcome,
} from '../../services/contacts.js';
import { SeqflowError, notFound, validationError } from '../../services/errors.js';
import { upsertContactByEmail } from '../../services/forms.js';
import * as store from '../../store/contacts.js';
import { countContacts, findContactsByEmailOrId, getContactByEmail, getContacts, getPropertyHistory, listContacts, listContactsAt, type PropertyHistoryEntry } from '../../store/contacts.js';
import type { Kysely } from 'kysely';
import type { Db } from '../../store/database.js';
import type { Schema } from '../../store/schema.js';
import type { At } from '../../services/events.js';
import { endRunningEnrollments } from '../../services/unenroll-contact.js';
import type { AppContext } from '../context.js';
import { MAX_ID, cursor, idParam, iso, numericId, parse } from '../validate.js';

/** Properties HubSpot maintains itself; clients may read but not write them. */
const READ_ONLY = ['createdate', 'lastmodifieddate', 'hs_object_id'];
const DEFAULT_PROPERTIES = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];

export const contactProperties = contactPropertiesOf;

type HistoryView = Record<string, { value: string; timestamp: string; sourceType: string }[]>;

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

/**
 * propertiesWithHistory for each contact, newest first. The properties Seqflow maintains have no
 * history rows; they show their one value, set when the contact was created or last modified.
 */
async function historiesOf(db: Db, list: Contact[], props: string[] | undefined): Promise<Map<number, HistoryView> | undefined> {
  if (!props?.length) return undefined;
  const rows = await getPropertyHistory(db, list.map((c) => c.id), props);
  const out = new Map<number, HistoryView>();
  for (const c of list) {
    const byProp: Record<string, PropertyHistoryEntry[]> = rows.get(c.id) ?? {};
    const view: HistoryView = {};
    for (const p of props) {
      const synthetic: Record<string, number> = { createdate: c.createdAt, hs_object_id: c.createdAt, lastmodifieddate: c.updatedAt };
      const entries = byProp[p] ?? (p in synthetic ? [{ value: contactProperties(c)[p] ?? '', timestamp: synthetic[p], sourceType: 'API' }] : []);
      view[p] = entries.map((e) => ({ value: e.value, timestamp: iso(e.timestamp), sourceType: e.sourceType }));
    }
    out.set(c.id, view);
  }
  return out;
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
    throw validationError(`Property values were not valid: "${properties.email}" is not a valid email address.`, [
      { message: `${properties.email} is not a valid email address`, in: at, code: 'INVALID_EMAIL' },
    ]);
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
const SEARCH_CAP = 10_000;
/** How the path names a contact; anything else would silently be read as an id. */
const idProperty = z.enum(['hs_object_id', 'email']);
const archivedQuery = z.enum(['true', 'false']).transform((v) => v === 'true').optional();
const idPropertyQuery = z.object({ idProperty: idProperty.optional(), archived: archivedQuery });

/** HubSpot's batch limits (hubspot-api.md §3.3). */
const BATCH_LIMIT = 100;
const BATCH_HISTORY_LIMIT = 50;
const inputs = <T extends z.ZodType>(item: T) =>
  z.array(item).max(BATCH_LIMIT, { error: `Too many inputs: a batch request takes at most ${BATCH_LIMIT}.` });
/** Batch ids arrive as strings (or numbers); what they name depends on idProperty. */
const batchId = z.union([z.string().min(1), z.number()]).transform(String);
const batchProperties = propertiesBody.shape.properties;

/** An id string as a contact id, or null when it cannot name one. */
const asContactId = (raw: string): number | null => (/^\d+$/.test(raw) && Number(raw) <= MAX_ID ? Number(raw) : null);

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
  const db = () => deps.db.kysely;

  /** Finds a contact by id or, with idProperty=email, by email; `archived` reads only archived ones. */
  const lookup = async (tx: Db, raw: string, by: 'hs_object_id' | 'email' | undefined, archived?: boolean): Promise<Contact | null> => {
    if (by === 'email') return getContactByEmail(tx, raw, { archived });
    const id = asContactId(raw);
    return id === null ? null : store.getContact(tx, id, { archived });
  };
  const resolve = async (params: unknown, query: unknown): Promise<Contact> => {
    const q = parse(idPropertyQuery, pick(query, ['idProperty', 'archived']), 'query');
    if (q.idProperty === 'email') {
      const raw = (params as { id: string }).id;
      const c = await getContactByEmail(db(), raw, { archived: q.archived });
      if (!c) throw notFound('Contact', raw);
      return c;
    }
    return requireContact(deps, parse(idParam, params, 'path').id, { archived: q.archived });
  };
  const started = () => iso(deps.clock.now());
  const batchResponse = (startedAt: string, results: unknown[], errors: BatchError[]) => ({
    status: 'COMPLETE',
    results,
    ...(errors.length && { numErrors: errors.length, errors: groupErrors(errors) }),
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
    const rows = (await listContacts(db(), { after, limit: limit + 1, archived })).slice(0, limit + 1);
    const page = rows.slice(0, limit);
    const histories = await historiesOf(db(), page, listParam(q.propertiesWithHistory));
    const properties = listParam(q.properties);
    return {
      results: page.map((c) => contactView(c, properties, histories?.get(c.id))),
      ...(rows.length > limit && { paging: { next: { after: String(rows[limit - 1].id) } } }),
    };
  });
  app.get('/crm/v3/objects/contacts/:id', async (req) => {
    const q = req.query as Record<string, unknown>;
    const contact = await resolve(req.params, q);
    const histories = await historiesOf(db(), [contact], listParam(q.propertiesWithHistory));
    return contactView(contact, listParam(q.properties), histories?.get(contact.id));
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
    if (body.idProperty === 'email') await purgeContact(deps, { email: body.objectId });
    else {
      const id = asContactId(body.objectId);
      if (id === null) throw notFound('Contact', body.objectId, undefined, 'objectId');
      await purgeContact(deps, { id });
    }
    return reply.status(204).send();
  });

  // ---- batch ------------------------------------------------------------------------------------
  // Every batch write runs each input in its own transaction (services eachInOwnTransaction):
  // a failing input does not roll back the others; failures are listed in a 207.
  const checkEmails = (list: { properties: Record<string, string | null> }[]) =>
    list.forEach((input, i) => checkEmail(input.properties, `inputs[${i}].properties.email`));

  app.post('/crm/v3/objects/contacts/batch/create', async (req, reply) => {
    const list = parseInputs(z.object({ properties: batchProperties, associations: z.array(z.unknown()).optional(), objectWriteTraceId: z.string().optional() }), req.body);
    checkEmails(list);
    const startedAt = started();
    const outcomes = await eachInOwnTransaction(deps, list, async (tx, at, input) => {
      const email = input.properties.email?.trim();
      const existing = email ? await getContactByEmail(tx, email) : null;
      if (existing) throw duplicateContactError(existing.id);
      return createContactIn(tx, at, input.properties);
    });
    const errors = outcomes.flatMap((o, i) => (o.ok ? [] : [batchError(o.error, conflictIds(o.error, list[i].properties.email))]));
    const results = okValues(outcomes).map((c) => contactView(c));
    return reply.status(errors.length ? 207 : 201).send(batchResponse(startedAt, results, errors));
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
    if (body.propertiesWithHistory?.length && body.inputs.length > BATCH_HISTORY_LIMIT) {
      throw validationError(`The maximum number of inputs supported in a batch request for property histories is ${BATCH_HISTORY_LIMIT}`, [
        { message: `at most ${BATCH_HISTORY_LIMIT} inputs with propertiesWithHistory`, in: 'inputs' },
      ]);
    }
    const startedAt = started();
    const ids = [...new Set(body.inputs.map((i) => i.id))];
    const found = new Map<string, Contact>();
    if (body.idProperty === 'email') {
      for (const e of ids) {
        const c = await getContactByEmail(db(), e, { archived });
        if (c) found.set(e, c);
      }
    } else {
      const numeric = ids.map(asContactId).filter((n): n is number => n !== null);
      for (const c of await getContacts(db(), numeric, { archived })) found.set(String(c.id), c);
    }
    const hits = [...new Map([...found.values()].map((c) => [c.id, c])).values()];
    const histories = await historiesOf(db(), hits, body.propertiesWithHistory);
    const missing = ids.filter((i) => !found.has(i));
    const errors = missing.length
      ? [batchError(new SeqflowError(404, 'OBJECT_NOT_FOUND', 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.'), missing)]
      : [];
    const results = hits.map((c) => contactView(c, body.properties, histories?.get(c.id)));
    return reply.status(errors.length ? 207 : 200).send(batchResponse(startedAt, results, errors));
  });

  app.post('/crm/v3/objects/contacts/batch/update', async (req, reply) => {
    const list = parseInputs(z.object({ id: batchId, properties: batchProperties, idProperty: idProperty.optional(), objectWriteTraceId: z.string().optional() }), req.body);
    checkEmails(list);
    const startedAt = started();
    const outcomes = await eachInOwnTransaction(deps, list, async (tx, at, input) => {
      const contact = await lookup(tx, input.id, input.idProperty);
      if (!contact) throw new SeqflowError(404, 'OBJECT_NOT_FOUND', 'Could not update some CONTACT objects, they may be deleted or not exist. Check that ids are valid.');
      return updateContactIn(tx, at, contact, input.properties);
    });
    const errors = outcomes.flatMap((o, i) => (o.ok ? [] : [batchError(o.error, [list[i].id])]));
    const results = okValues(outcomes).map((c) => contactView(c));
    return reply.status(errors.length ? 207 : 200).send(batchResponse(startedAt, results, errors));
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
    const upsert = (input: (typeof list)[number]) =>
      eachInOwnTransaction(deps, [input], (tx, at) => upsertContactByEmail(tx, at, { ...input.properties, email: input.id }));
    const outcomes: ItemOutcome<Awaited<ReturnType<typeof upsertContactByEmail>>>[] = [];
    for (const input of list) {
      let [o] = await upsert(input);
      // A concurrent create of the same address won the unique index: the retry finds and updates it.
      if (!o.ok && o.error.status === 409) [o] = await upsert(input);
      outcomes.push(o);
    }
    const errors = outcomes.flatMap((o, i) => (o.ok ? [] : [batchError(o.error, [list[i].id])]));
    const results = okValues(outcomes).map((r) => ({ ...contactView(r.contact), new: r.created }));
    return reply.status(errors.length ? 207 : 200).send(batchResponse(startedAt, results, errors));
  });

  app.post('/crm/v3/objects/contacts/batch/archive', async (req, reply) => {
    const list = parseInputs(z.object({ id: batchId }), req.body);
    // As HubSpot: ids that name nothing (or are already archived) are skipped, and the answer is 204.
    await eachInOwnTransaction(deps, list, async (tx, at, input) => {
      const id = asContactId(input.id);
      if (id !== null && (await store.archiveContact(tx, id, at.now))) await endRunningEnrollmentsFor(tx, id, at);
    });
    return reply.status(204).send();
  });

  // ---- search -------------------------------------------------------------------------------------
  app.post('/crm/v3/objects/contacts/search', async (req) => {
    const body = parse(searchBody, req.body, 'body');
    const problems = validateFilterGroups(body.filterGroups);
    if (problems.length) throw validationError(problems[0].message, problems);
    const offset = searchOffset(body.after);
    const properties = body.properties?.length ? body.properties : DEFAULT_PROPERTIES;
    const groups = body.filterGroups as FilterGroup[];
    const room = Math.max(0, Math.min(body.limit, SEARCH_CAP - offset));

    let total: number;
    let page: Contact[];
    if (groups.length === 0 && !body.query && body.sorts.length === 0) {
      // Nothing filters or sorts: a count and an id-ordered page, straight from SQL.
      total = await countContacts(db());
      page = room ? await listContactsAt(db(), { offset, limit: room }) : [];
    } else {
      const matches: { c: Contact; props: Record<string, string | null> }[] = [];
      const keep = (c: Contact) => {
        const props = contactProperties(c);
        if (matchesFilterGroups(props, groups) && (!body.query || matchesQuery(props, body.query))) matches.push({ c, props });
      };
      const pushed = pushDown(groups);
      if (pushed) {
        // Every group pins email or hs_object_id: only those rows can match; the evaluator still decides.
        for (const c of await findContactsByEmailOrId(db(), pushed.emails, pushed.ids)) keep(c);
      } else {
        for (let after = 0; ; ) {
          const batch = await listContacts(db(), { after, limit: 2000 });
          if (batch.length === 0) break;
          batch.forEach(keep);
          after = batch[batch.length - 1].id;
        }
      }
      if (body.sorts.length) {
        const cmp = sortComparator(body.sorts);
        matches.sort((a, b) => cmp(a.props, b.props));
      }
      total = matches.length;
      page = matches.slice(offset, offset + room).map((m) => m.c);
    }
    // `total` is every match, as HubSpot reports it; only paging stops at SEARCH_CAP.
    const next = offset + body.limit;
    return {
      total,
      results: page.map((c) => contactView(c, properties)),
      ...(next < Math.min(total, SEARCH_CAP) && { paging: { next: { after: String(next) } } }),
    };
  });
}

/** Query values named in `keys` only, so routes do not trip over each other's parameters. */
function pick(query: unknown, keys: string[]): Record<string, unknown> {
  const q = (query ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => q[k] !== undefined).map((k) => [k, q[k]]));
}

const okValues = <R>(outcomes: ItemOutcome<R>[]): R[] => outcomes.flatMap((o) => (o.ok ? [o.value] : []));

/** A batch-create conflict names the existing contact's id; other failures name the email tried. */
function conflictIds(err: SeqflowError, emailTried: string | null | undefined): string[] {
  const existing = /Existing ID: (\d+)/.exec(err.message)?.[1];
  return existing ? [existing] : emailTried ? [emailTried] : [];
}

async function endRunningEnrollmentsFor(tx: Kysely<Schema>, contactId: number, at: At): Promise<void> {
  await endRunningEnrollments(tx, { contactId }, 'CONTACT_DELETED', at);
}

/**
 * The search cursor is an offset (numeric or a digit string, `after: 0` included). HubSpot
 * serves at most 10,000 results per query: a cursor at or past that is a 400, as there.
 */
function searchOffset(after: string | number | undefined): number {
  const raw = after === undefined || after === '' ? '0' : String(after).trim();
  if (!/^\d+$/.test(raw)) throw validationError('after must be a cursor returned by a previous page', [{ message: 'after: invalid cursor', in: 'after' }]);
  const offset = Number(raw);
  if (offset >= SEARCH_CAP) {
    throw validationError(`Search results are limited to ${SEARCH_CAP} per query: after ${raw} is past the last page. Narrow the filters instead.`, [
      { message: `after must be below ${SEARCH_CAP}`, in: 'after' },
    ]);
  }
  return offset;
}

/** A canonical email or id operand, or null when the SQL side could not match exactly what the evaluator does. */
const emailOperand = (v: unknown): string | null => (typeof v === 'string' && v.includes('@') ? v.trim().toLowerCase() : null);
const idOperand = (v: unknown): number | null => {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
  return /^[1-9]\d{0,9}$/.test(s) && Number(s) <= MAX_ID ? Number(s) : null;
};

/**
 * When every group has an EQ (or IN) on email or hs_object_id with operands SQL can look up
 * exactly, the union of those rows is a superset of the matches; else null (full scan).
 */
function pushDown(groups: FilterGroup[]): { emails: string[]; ids: number[] } | null {
  if (groups.length === 0) return null;
  const emails: string[] = [];
  const ids: number[] = [];
  for (const g of groups) {
    let pinned = false;
    for (const f of g.filters ?? []) {
      const operands = f.operator === 'EQ' ? [f.value] : f.operator === 'IN' ? (f.values ?? []) : null;
      if (!operands || operands.length === 0) continue;
      if (f.propertyName === 'email') {
        const es = operands.map(emailOperand);
        if (es.every((e): e is string => e !== null)) {
          emails.push(...es);
          pinned = true;
          break;
        }
      } else if (f.propertyName === 'hs_object_id') {
        const ns = operands.map(idOperand);
        if (ns.every((n): n is number => n !== null)) {
          ids.push(...ns);
          pinned = true;
          break;
        }
      }
    }
    if (!pinned) return null;
  }
  return { emails, ids };
}
