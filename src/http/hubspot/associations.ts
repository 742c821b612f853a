import type { FastifyInstance } from 'fastify';
import type { AssociationType } from '../../domain/companies.js';
import {
  archiveAssociation,
  associationsPage,
  batchArchiveAssociations,
  batchCreateAssociations,
  batchReadAssociations,
  createAssociation,
  createDefaultAssociation,
  defaultSpecs,
  typeIdOf,
  type Associated,
  type CreatedPair,
} from '../../services/associations.js';
import { errors } from '../../services/errors.js';
import type { AppContext } from '../context.js';
import { associations } from '../../schemas/index.js';
import { iso, parse } from '../validate.js';
import { batchResponder } from './contacts.js';

/** HubSpot's v4 shapes: record ids inside them are numbers. */
const labelsView = (c: CreatedPair) => ({ fromObjectTypeId: typeIdOf(c.from), fromObjectId: c.fromId, toObjectTypeId: typeIdOf(c.to), toObjectId: c.toId, labels: c.labels });
const specView = (t: AssociationType) => ({ category: 'HUBSPOT_DEFINED', typeId: t.typeId, label: t.label });
const associatedView = (a: Associated) => ({ toObjectId: a.toObjectId, associationTypes: a.types.map(specView) });
const defaultView = (c: CreatedPair) =>
  defaultSpecs(c).map((d) => ({ from: { id: String(d.from) }, to: { id: String(d.to) }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: d.typeId } }));

export function registerAssociationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  const O = '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType';
  const A = '/crm/v4/associations/:fromObjectType/:toObjectType/batch';
  const batchResponse = batchResponder(deps.clock);

  app.get(O, async (req) => {
    const p = parse(associations.listParams, req.params, 'body');
    const q = parse(associations.listQuery, req.query, 'query');
    const page = await associationsPage(deps, p, q);
    return { results: page.results.map(associatedView), ...(page.nextAfter !== null && { paging: { next: { after: page.nextAfter } } }) };
  });
  app.put(`${O}/:toObjectId`, async (req, reply) => {
    const p = parse(associations.pairParams, req.params, 'body');
    const specs = parse(associations.specList, req.body, 'body');
    return reply.status(201).send(labelsView(await createAssociation(deps, p, specs)));
  });
  app.delete(`${O}/:toObjectId`, async (req, reply) => {
    await archiveAssociation(deps, parse(associations.pairParams, req.params, 'body'));
    return reply.status(204).send();
  });
  app.put('/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId', async (req) => {
    const startedAt = iso(deps.clock.now());
    const created = await createDefaultAssociation(deps, parse(associations.defaultPairParams, req.params, 'body'));
    return batchResponse(startedAt, defaultView(created), []);
  });

  // ---- batch ------------------------------------------------------------------------------------
  app.post(`${A}/create`, async (req, reply) => {
    const types = parse(associations.batchParams, req.params, 'body');
    const { inputs } = parse(associations.batchCreateBody, req.body, 'body');
    const startedAt = iso(deps.clock.now());
    const { results, failures } = await batchCreateAssociations(deps, types, inputs);
    return reply.status(failures.length ? 207 : 201).send(batchResponse(startedAt, results.map(labelsView), failures));
  });
  app.post(`${A}/associate/default`, async (req) => {
    const types = parse(associations.batchParams, req.params, 'body');
    const { inputs } = parse(associations.batchDefaultBody, req.body, 'body');
    const startedAt = iso(deps.clock.now());
    const { results, failures } = await batchCreateAssociations(deps, types, inputs.map((i) => ({ ...i, types: [] })), false);
    // The generated client accepts only 200 here; failures still travel in `errors`.
    return batchResponse(startedAt, results.flatMap(defaultView), failures);
  });
  app.post(`${A}/read`, async (req, reply) => {
    const types = parse(associations.batchParams, req.params, 'body');
    const { inputs } = parse(associations.batchReadBody, req.body, 'body');
    const startedAt = iso(deps.clock.now());
    const read = await batchReadAssociations(deps, types, inputs);
    const results = read.results.map((r) => ({ from: { id: r.fromId }, to: r.to.map(associatedView), ...(r.nextAfter !== null && { paging: { next: { after: r.nextAfter } } }) }));
    const failures = read.missing.length ? [{ error: errors.associatedObjectNotFound({ id: read.missing.join(', ') }), ids: read.missing }] : [];
    return reply.status(failures.length ? 207 : 200).send(batchResponse(startedAt, results, failures));
  });
  app.post(`${A}/archive`, async (req, reply) => {
    const types = parse(associations.batchParams, req.params, 'body');
    const { inputs } = parse(associations.batchArchiveBody, req.body, 'body');
    await batchArchiveAssociations(deps, types, inputs);
    return reply.status(204).send();
  });
  app.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/labels/archive', async (req, reply) => {
    const types = parse(associations.batchParams, req.params, 'body');
    const { inputs } = parse(associations.batchLabelsArchiveBody, req.body, 'body');
    await batchArchiveAssociations(
      deps,
      types,
      inputs.map((i) => ({ from: i.from, to: [i.to] })),
      inputs.map((i) => i.types),
    );
    return reply.status(204).send();
  });
}
