import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Contact } from '../../domain/glossary.js';
import { matchesFilterGroups, matchesQuery, sortComparator, validateFilterGroups, type FilterGroup } from '../../domain/filters.js';
import { archiveContact, contactPropertiesOf, createContact, requireContact, updateContact } from '../../services/contacts.js';
import { notFound, validationError } from '../../services/errors.js';
import { getContactByEmail, listContacts } from '../../store/contacts.js';
import type { AppContext } from '../context.js';
import { cursor, idParam, iso, parse } from '../validate.js';

/** Properties HubSpot maintains itself; clients may read but not write them. */
const READ_ONLY = ['createdate', 'lastmodifieddate', 'hs_object_id'];
const DEFAULT_PROPERTIES = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];

export const contactProperties = contactPropertiesOf;

/** SimplePublicObject. Without a property list, every set property is returned (a superset of HubSpot's default). */
export function contactView(c: Contact, properties?: string[]) {
  const all = contactProperties(c);
  const selected = properties?.length ? Object.fromEntries(properties.map((p) => [p, all[p] ?? null])) : all;
  return {
    id: String(c.id),
    properties: selected,
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

function checkEmail(properties: Record<string, string | null>) {
  if (properties.email != null && properties.email !== '' && !email.safeParse(properties.email.trim()).success) {
    throw validationError(`Property values were not valid: "${properties.email}" is not a valid email address.`, [
      { message: `${properties.email} is not a valid email address`, in: 'email', code: 'INVALID_EMAIL' },
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
const idPropertyQuery = z.object({ idProperty: z.enum(['hs_object_id', 'email']).optional() });

export function registerContactRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  const resolve = async (params: unknown, query: unknown): Promise<Contact> => {
    const { idProperty } = parse(idPropertyQuery, query, 'query');
    if (idProperty === 'email') {
      const raw = (params as { id: string }).id;
      const c = await getContactByEmail(deps.db.kysely, raw);
      if (!c) throw notFound('Contact', raw);
      return c;
    }
    return requireContact(deps, parse(idParam, params, 'path').id);
  };

  app.post('/crm/v3/objects/contacts', async (req, reply) => {
    const { properties } = parse(propertiesBody, req.body, 'body');
    checkEmail(properties);
    return reply.status(201).send(contactView(await createContact(deps, properties)));
  });
  app.get('/crm/v3/objects/contacts', async (req) => {
    const q = req.query as Record<string, unknown>;
    const { limit, after } = parse(
      z.object({ limit: z.coerce.number().int().min(1).max(100).default(10), after: cursor }),
      { limit: q.limit, after: q.after },
      'query',
    );
    const rows = await listContacts(deps.db.kysely, { after, limit: limit + 1 });
    const properties = listParam(q.properties);
    return {
      results: rows.slice(0, limit).map((c) => contactView(c, properties)),
      ...(rows.length > limit && { paging: { next: { after: String(rows[limit - 1].id) } } }),
    };
  });
  app.get('/crm/v3/objects/contacts/:id', async (req) => {
    const q = req.query as Record<string, unknown>;
    return contactView(await resolve(req.params, q), listParam(q.properties));
  });
  app.patch('/crm/v3/objects/contacts/:id', async (req) => {
    const { properties } = parse(propertiesBody, req.body, 'body');
    checkEmail(properties);
    const contact = await resolve(req.params, req.query);
    return contactView(await updateContact(deps, contact.id, properties));
  });
  app.delete('/crm/v3/objects/contacts/:id', async (req, reply) => {
    const contact = await resolve(req.params, {});
    await archiveContact(deps, contact.id);
    return reply.status(204).send();
  });
  app.post('/crm/v3/objects/contacts/search', async (req) => {
    const body = parse(searchBody, req.body, 'body');
    const problems = validateFilterGroups(body.filterGroups);
    if (problems.length) throw validationError(problems[0].message, problems);
    const offset = Number(body.after ?? 0);
    if (!Number.isInteger(offset) || offset < 0) throw validationError('after must be a cursor returned by a previous page', [{ message: 'invalid cursor', in: 'after' }]);
    // A scan with the pure filter evaluator; indexed search comes with the compatible-API work.
    const matches: Record<string, string | null>[] = [];
    const byId = new Map<string, Contact>();
    for (let after = 0; ; ) {
      const batch = await listContacts(deps.db.kysely, { after, limit: 1000 });
      if (batch.length === 0) break;
      for (const c of batch) {
        const props = contactProperties(c);
        if (matchesFilterGroups(props, body.filterGroups as FilterGroup[]) && (!body.query || matchesQuery(props, body.query))) {
          matches.push(props);
          byId.set(String(c.id), c);
        }
      }
      after = batch[batch.length - 1].id;
    }
    if (body.sorts.length) matches.sort(sortComparator(body.sorts));
    const total = Math.min(matches.length, SEARCH_CAP);
    const pageRows = matches.slice(offset, Math.min(offset + body.limit, SEARCH_CAP));
    const properties = body.properties?.length ? body.properties : DEFAULT_PROPERTIES;
    const next = offset + body.limit;
    return {
      total,
      results: pageRows.map((p) => contactView(byId.get(p.hs_object_id!)!, properties)),
      ...(next < total && { paging: { next: { after: String(next) } } }),
    };
  });
}
