import { z } from 'zod';
import { collection, cursor, id, timestamp } from './common.js';
import { SEATS, USER_ROLES } from './vocabulary.js';

/** Users (settings v3) and owners (CRM owners v3): hubspot-api.md §3.4. */

/** An IANA time zone such as Europe/Warsaw; the server checks it against its zone database. */
export const timeZone = z.string().describe('An IANA time zone such as Europe/Warsaw');

export const createUserBody = z.object({
  email: z.email(),
  firstName: z.string().max(200).default(''),
  lastName: z.string().max(200).default(''),
  seat: z.enum(SEATS).default('none'),
  timezone: timeZone.nullable().default(null),
  role: z.enum(USER_ROLES).default('user'),
  signature: z.string().max(10_000).optional(),
});
/** PublicUserUpdate: HubSpot's roleId/team fields have no meaning here; names, role and zone do. */
export const replaceUserBody = z
  .object({ firstName: z.string().max(200).optional(), lastName: z.string().max(200).optional(), role: z.enum(USER_ROLES).optional(), timezone: timeZone.nullable().optional() })
  .passthrough();
export const seatBody = z.object({ seat: z.enum(SEATS) });
export const usersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(100),
  after: cursor,
  email: z.string().optional(),
  idProperty: z.enum(['USER_ID', 'EMAIL', 'id', 'userId']).optional(),
});

// ---- responses ------------------------------------------------------------------------------

/** HubSpot's PublicUser, with Seqflow's seat and time zone as extra fields (the client ignores unknown ones). */
export const publicUser = z.object({
  id,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  seat: z.enum(SEATS),
  timezone: z.string().nullable(),
  superAdmin: z.boolean(),
  roleIds: z.array(z.string()),
  secondaryTeamIds: z.array(z.string()),
});
/** Owners are users seen from the CRM; owner id equals user id, so hubspot_owner_id maps one-to-one. */
export const publicOwner = z.object({
  id,
  userId: z.number().int(),
  userIdIncludingInactive: z.number().int(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  type: z.literal('PERSON'),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
  archived: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const userCollection = collection(publicUser);
export const ownerCollection = collection(publicOwner);
/** Teams and roles: Seqflow has none. */
export const teamsOrRoles = z.object({ results: z.array(z.object({ id: z.string(), name: z.string() })) });

export type User = z.infer<typeof publicUser>;
