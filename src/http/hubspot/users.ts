import type { FastifyInstance } from 'fastify';
import type { User } from '../../domain/glossary.js';
import { isValidZone } from '../../domain/schedule.js';
import { createUser, listUsersPage, removeUser, replaceUser, requireUser, requireUserByEmail, setSeat } from '../../services/users.js';
import type { AppContext } from '../context.js';
import { users } from '../../schemas/index.js';
import { idParam, iso, parse } from '../validate.js';

/** HubSpot's PublicUser, with Seqflow's seat and time zone as extra fields (the client ignores unknown ones). */
export const publicUser = (u: User) => ({
  id: String(u.id),
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  seat: u.seat,
  timezone: u.timezone,
  superAdmin: u.role === 'admin',
  roleIds: [],
  secondaryTeamIds: [],
});

/** Owners are users seen from the CRM; owner id equals user id, so hubspot_owner_id maps one-to-one. */
export const publicOwner = (u: User) => ({
  id: String(u.id),
  userId: u.id,
  userIdIncludingInactive: u.id,
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  type: 'PERSON',
  teams: [],
  archived: false,
  createdAt: iso(u.createdAt),
  updatedAt: iso(u.updatedAt),
});

/** The shared shapes, with the zone checked against the server's zone database. */
const zone = users.timeZone.refine(isValidZone, 'must be an IANA time zone such as Europe/Warsaw');
const createUserBody = users.createUserBody.extend({ timezone: zone.nullable().default(null) });
const replaceUserBody = users.replaceUserBody.extend({ timezone: zone.nullable().optional() });
const pageQuery = users.usersQuery;

export function registerUserRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/settings/v3/users', async (req, reply) => {
    const body = parse(createUserBody, req.body, 'body');
    const user = await createUser(deps, body);
    return reply.status(201).send(publicUser(user));
  });
  app.get('/settings/v3/users', async (req) => {
    const q = parse(pageQuery, req.query, 'query');
    const list = await listUsersPage(deps, { after: q.after, limit: q.limit + 1 });
    return page(list.slice(0, q.limit).map(publicUser), list.length > q.limit ? list[q.limit - 1].id : null);
  });
  app.get('/settings/v3/users/:id', async (req) => {
    const q = parse(pageQuery, req.query, 'query');
    const raw = (req.params as { id: string }).id;
    if (q.idProperty === 'EMAIL') return publicUser(await requireUserByEmail(deps, raw));
    return publicUser(await requireUser(deps, parse(idParam, req.params, 'path').id));
  });
  // PublicUserUpdate: HubSpot's roleId/team fields have no meaning here; names, role and zone do.
  app.put('/settings/v3/users/:id', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(replaceUserBody, req.body, 'body');
    return publicUser(await replaceUser(deps, id, { firstName: body.firstName, lastName: body.lastName, role: body.role, timezone: body.timezone }));
  });
  app.delete('/settings/v3/users/:id', async (req, reply) => {
    await removeUser(deps, parse(idParam, req.params, 'path').id);
    return reply.status(204).send();
  });
  app.get('/settings/v3/users/teams', async () => ({ results: [] }));
  app.get('/settings/v3/users/roles', async () => ({ results: [] }));
  app.put('/seqflow/v1/users/:id/seat', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    const { seat } = parse(users.seatBody, req.body, 'body');
    return publicUser(await setSeat(deps, id, seat));
  });

  app.get('/crm/v3/owners', async (req) => {
    const q = parse(pageQuery, req.query, 'query');
    const list = await listUsersPage(deps, { after: q.after, limit: q.limit + 1, email: q.email });
    return page(list.slice(0, q.limit).map(publicOwner), list.length > q.limit ? list[q.limit - 1].id : null);
  });
  app.get('/crm/v3/owners/:id', async (req) => {
    // idProperty=userId and id address the same user here (owner id = user id).
    return publicOwner(await requireUser(deps, parse(idParam, req.params, 'path').id));
  });
}

export function page<T>(results: T[], nextAfter: number | null) {
  return { results, ...(nextAfter !== null && { paging: { next: { after: String(nextAfter) } } }) };
}
