import type { FastifyInstance } from 'fastify';
import type { Company } from '../../domain/glossary.js';
import { SINGULAR, associationTypesBetween, objectTypeOf, type ObjectType } from '../../domain/companies.js';
import { readAssociations } from '../../services/associations.js';
import {
  archiveCompany,
  batchArchiveCompanies,
  batchCreateCompanies,
  batchReadCompanies,
  batchUpdateCompanies,
  companyPropertiesOf,
  createCompany,
  listCompaniesPage,
  readCompanySettings,
  requireCompany,
  searchCompanies,
  updateCompany,
  writeCompanySettings,
} from '../../services/companies.js';
import { errors } from '../../services/errors.js';
import type { Deps } from '../../services/deps.js';
import type { AppContext } from '../context.js';
import { companies } from '../../schemas/index.js';
import { idParam, iso, parse } from '../validate.js';
import { batchResponder, listParam, pick } from './contacts.js';

/** What reads return when no properties are asked for, as HubSpot's company defaults. */
const DEFAULT_PROPERTIES = ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'];

/** SimplePublicObject for a company; a requested property it lacks is null. */
export function companyView(c: Company, properties?: string[]) {
  const all = companyPropertiesOf(c);
  const selected = Object.fromEntries((properties?.length ? properties : DEFAULT_PROPERTIES).map((p) => [p, all[p] ?? null]));
  return {
    id: String(c.id),
    properties: selected,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    archived: c.archivedAt !== null,
    ...(c.archivedAt !== null && { archivedAt: iso(c.archivedAt) }),
  };
}

/** HubSpot's v3 association type names (`contact_to_company`, `…_unlabeled`) for `?associations=`. */
const v3TypeName = (from: ObjectType, to: ObjectType, primary: boolean) => {
  const singular = (t: ObjectType) => (t === 'meetings' ? 'meeting_event' : SINGULAR[t]);
  const labelled = associationTypesBetween(from, to).some((t) => t.primary);
  return `${singular(from)}_to_${singular(to)}${labelled && !primary ? '_unlabeled' : ''}`;
};

/**
 * `?associations=companies,meetings` on a v3 read: each asked type the record has associations
 * with, as `{results: [{id, type}]}` (unknown types are left out, as HubSpot does).
 */
export async function associationsView(deps: Deps, from: ObjectType, ids: number[], asked: string[] | undefined) {
  const out = new Map<number, Record<string, { results: { id: string; type: string }[] }>>();
  for (const raw of asked ?? []) {
    const to = objectTypeOf(raw);
    if (!to || to === from) continue;
    const found = await readAssociations(deps, from, ids, to);
    for (const [id, list] of found) {
      if (!list.length) continue;
      const results = list.flatMap((a) => a.types.map((t) => ({ id: String(a.toObjectId), type: v3TypeName(from, to, t.primary) })));
      out.set(id, { ...out.get(id), [to]: { results } });
    }
  }
  return out;
}

export function registerCompanyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  const B = '/crm/v3/objects/companies';
  const started = () => iso(deps.clock.now());
  const batchResponse = batchResponder(deps.clock);
  const withAssociations = async (list: Company[], properties: string[] | undefined, asked: string[] | undefined) => {
    const assoc = await associationsView(deps, 'companies', list.map((c) => c.id), asked);
    return list.map((c) => ({ ...companyView(c, properties), ...(assoc.get(c.id) && { associations: assoc.get(c.id) }) }));
  };

  app.post(B, async (req, reply) => {
    const { properties, associations } = parse(companies.propertiesBody, req.body, 'body');
    return reply.status(201).send(companyView(await createCompany(deps, properties, associations), [...new Set([...DEFAULT_PROPERTIES, ...Object.keys(properties)])]));
  });
  app.get(B, async (req) => {
    const q = req.query as Record<string, unknown>;
    const { limit, after, archived } = parse(companies.listQuery, pick(q, ['limit', 'after', 'archived']), 'query');
    const rows = await listCompaniesPage(deps, { after, limit: limit + 1, archived });
    const page = rows.slice(0, limit);
    return {
      results: await withAssociations(page, listParam(q.properties), listParam(q.associations)),
      ...(rows.length > limit && { paging: { next: { after: String(rows[limit - 1].id) } } }),
    };
  });
  app.get(`${B}/:id`, async (req) => {
    const q = req.query as Record<string, unknown>;
    const { archived } = parse(companies.idQuery, pick(q, ['archived']), 'query');
    const company = await requireCompany(deps, parse(idParam, req.params, 'path').id, { archived });
    return (await withAssociations([company], listParam(q.properties), listParam(q.associations)))[0];
  });
  app.patch(`${B}/:id`, async (req) => {
    const { properties } = parse(companies.propertiesBody, req.body, 'body');
    const updated = await updateCompany(deps, parse(idParam, req.params, 'path').id, properties);
    return companyView(updated, [...new Set([...DEFAULT_PROPERTIES, ...Object.keys(properties)])]);
  });
  app.delete(`${B}/:id`, async (req, reply) => {
    await archiveCompany(deps, parse(idParam, req.params, 'path').id);
    return reply.status(204).send();
  });

  // ---- batch: each input commits or fails on its own; failures are listed in a 207 ----------------
  app.post(`${B}/batch/create`, async (req, reply) => {
    const list = parse(companies.batchInputs(companies.batchCreateInput), req.body, 'body').inputs;
    const startedAt = started();
    const { results, failures } = await batchCreateCompanies(deps, list);
    const view = results.map((c, i) => companyView(c, [...DEFAULT_PROPERTIES, ...Object.keys(list[i]?.properties ?? {})]));
    return reply.status(failures.length ? 207 : 201).send(batchResponse(startedAt, view, failures));
  });
  app.post(`${B}/batch/read`, async (req, reply) => {
    const { archived } = parse(companies.idQuery, pick(req.query, ['archived']), 'query');
    const body = parse(companies.batchReadBody, req.body, 'body');
    const startedAt = started();
    const read = await batchReadCompanies(deps, body.inputs.map((i) => i.id), archived);
    const failures = read.missing.length ? [{ error: errors.companiesNotRead(), ids: read.missing }] : [];
    return reply.status(failures.length ? 207 : 200).send(batchResponse(startedAt, read.companies.map((c) => companyView(c, body.properties)), failures));
  });
  app.post(`${B}/batch/update`, async (req, reply) => {
    const list = parse(companies.batchInputs(companies.batchUpdateInput), req.body, 'body').inputs;
    const startedAt = started();
    const { results, failures } = await batchUpdateCompanies(deps, list);
    const asked = [...new Set([...DEFAULT_PROPERTIES, ...list.flatMap((i) => Object.keys(i.properties))])];
    return reply.status(failures.length ? 207 : 200).send(batchResponse(startedAt, results.map((c) => companyView(c, asked)), failures));
  });
  app.post(`${B}/batch/archive`, async (req, reply) => {
    const list = parse(companies.batchInputs(companies.batchArchiveInput), req.body, 'body').inputs;
    await batchArchiveCompanies(deps, list.map((i) => i.id));
    return reply.status(204).send();
  });

  // Seqflow's own: whether contacts join the company of their email domain.
  app.get('/seqflow/v1/companies/settings', async () => readCompanySettings(deps));
  app.put('/seqflow/v1/companies/settings', async (req) => writeCompanySettings(deps, parse(companies.companySettings, req.body, 'body')));

  app.post(`${B}/search`, async (req) => {
    const body = parse(companies.searchBody, req.body, 'body');
    const found = await searchCompanies(deps, body);
    return {
      total: found.total,
      results: found.page.map((c) => companyView(c, body.properties)),
      ...(found.nextAfter !== null && { paging: { next: { after: found.nextAfter } } }),
    };
  });
}
