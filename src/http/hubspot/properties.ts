import type { FastifyInstance } from 'fastify';
import type { ObjectType, PropertyDefinition, PropertyGroupDefinition } from '../../domain/properties.js';
import {
  batchArchiveProperties,
  batchCreateProperties,
  batchReadProperties,
  type BatchOutcome,
  archiveGroup,
  archiveProperty,
  createGroup,
  createProperty,
  getGroup,
  getProperty,
  listGroups,
  listProperties,
  updateGroup,
  updateProperty,
} from '../../services/properties.js';
import { properties as schemas } from '../../schemas/index.js';
import type { AppContext } from '../context.js';
import { iso, parse } from '../validate.js';
import { batchError } from './contacts.js';

/**
 * CRM properties v3 (crm.properties.coreApi and groupsApi). Each object type is its own literal
 * path, by name and by HubSpot's object type id, so every route carries its object's scope
 * (crm.schemas.contacts.* / crm.schemas.companies.*) in the scope table.
 */
export const PROPERTY_OBJECT_PATHS: { segment: string; objectType: ObjectType }[] = [
  { segment: 'contacts', objectType: 'contacts' },
  { segment: '0-1', objectType: 'contacts' },
  { segment: 'companies', objectType: 'companies' },
  { segment: '0-2', objectType: 'companies' },
];
export const propertiesBase = (segment: string) => `/crm/v3/properties/${segment}`;

export function propertyView(d: PropertyDefinition) {
  return {
    name: d.name,
    label: d.label,
    type: d.type,
    fieldType: d.fieldType,
    description: d.description,
    groupName: d.groupName,
    options: d.options.map((o) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder, hidden: o.hidden, ...(o.description && { description: o.description }) })),
    displayOrder: d.displayOrder,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: d.hasUniqueValue,
    hidden: d.hidden,
    formField: d.formField,
    ...(d.hubspotDefined && { hubspotDefined: true }),
    modificationMetadata: {
      archivable: !d.hubspotDefined,
      readOnlyDefinition: d.hubspotDefined,
      readOnlyValue: d.readOnlyValue,
      ...(d.type === 'enumeration' && { readOnlyOptions: d.hubspotDefined }),
    },
    ...(d.createdAt !== null && { createdAt: iso(d.createdAt) }),
    ...(d.updatedAt !== null && { updatedAt: iso(d.updatedAt) }),
    archived: d.archivedAt !== null,
    ...(d.archivedAt !== null && { archivedAt: iso(d.archivedAt) }),
  };
}

export const groupView = (g: PropertyGroupDefinition) => ({ name: g.name, label: g.label, displayOrder: g.displayOrder, archived: g.archivedAt !== null });

export function registerPropertyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  const nameOf = (params: unknown, key: string) => String((params as Record<string, string>)[key]);

  for (const { segment, objectType } of PROPERTY_OBJECT_PATHS) {
    const base = propertiesBase(segment);
    app.get(base, async (req) => {
      const q = parse(schemas.propertiesQuery, req.query, 'query');
      return { results: (await listProperties(deps, objectType, { archived: q.archived })).map(propertyView) };
    });
    app.post(base, async (req, reply) => {
      const body = parse(schemas.propertyCreate, req.body, 'body');
      return reply.status(201).send(propertyView(await createProperty(deps, objectType, body)));
    });
    app.get(`${base}/:propertyName`, async (req) => {
      const q = parse(schemas.propertiesQuery, req.query, 'query');
      return propertyView(await getProperty(deps, objectType, nameOf(req.params, 'propertyName'), { archived: q.archived }));
    });
    app.patch(`${base}/:propertyName`, async (req) => {
      const body = parse(schemas.propertyUpdate, req.body, 'body');
      return propertyView(await updateProperty(deps, objectType, nameOf(req.params, 'propertyName'), body));
    });
    app.delete(`${base}/:propertyName`, async (req, reply) => {
      await archiveProperty(deps, objectType, nameOf(req.params, 'propertyName'));
      return reply.status(204).send();
    });

    // crm.properties.batchApi: 201/200 when every input succeeds, else 207 listing the failures.
    const batch = (startedAt: number, outcomes: BatchOutcome<PropertyDefinition>[], okStatus: number) => {
      const failed = outcomes.filter((o): o is Extract<typeof o, { ok: false }> => !o.ok);
      return {
        status: failed.length ? 207 : okStatus,
        body: {
          status: 'COMPLETE',
          results: outcomes.flatMap((o) => (o.ok ? [propertyView(o.value)] : [])),
          ...(failed.length && { numErrors: failed.length, errors: failed.map((f) => batchError(f.error, [f.name])) }),
          startedAt: iso(startedAt),
          completedAt: iso(deps.clock.now()),
        },
      };
    };
    app.post(`${base}/batch/create`, async (req, reply) => {
      const startedAt = deps.clock.now();
      const body = parse(schemas.batchCreate, req.body, 'body');
      const r = batch(startedAt, await batchCreateProperties(deps, objectType, body.inputs), 201);
      return reply.status(r.status).send(r.body);
    });
    app.post(`${base}/batch/read`, async (req, reply) => {
      const startedAt = deps.clock.now();
      const body = parse(schemas.batchRead, req.body, 'body');
      const r = batch(startedAt, await batchReadProperties(deps, objectType, body.inputs.map((i) => i.name), { archived: body.archived }), 200);
      return reply.status(r.status).send(r.body);
    });
    app.post(`${base}/batch/archive`, async (req, reply) => {
      const body = parse(schemas.batchArchive, req.body, 'body');
      await batchArchiveProperties(deps, objectType, body.inputs.map((i) => i.name));
      return reply.status(204).send();
    });

    app.get(`${base}/groups`, async () => ({ results: (await listGroups(deps, objectType)).map(groupView) }));
    app.post(`${base}/groups`, async (req, reply) => {
      const body = parse(schemas.groupCreate, req.body, 'body');
      return reply.status(201).send(groupView(await createGroup(deps, objectType, body)));
    });
    app.get(`${base}/groups/:groupName`, async (req) => groupView(await getGroup(deps, objectType, nameOf(req.params, 'groupName'))));
    app.patch(`${base}/groups/:groupName`, async (req) => {
      const body = parse(schemas.groupUpdate, req.body, 'body');
      return groupView(await updateGroup(deps, objectType, nameOf(req.params, 'groupName'), body));
    });
    app.delete(`${base}/groups/:groupName`, async (req, reply) => {
      await archiveGroup(deps, objectType, nameOf(req.params, 'groupName'));
      return reply.status(204).send();
    });
  }
}
