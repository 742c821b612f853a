import type { Seat, User, UserRole } from '../domain/glossary.js';
import { disconnectInboxesOfUser } from '../store/inboxes.js';
import * as users from '../store/users.js';
import { isUniqueViolation } from '../store/json.js';
import { errors } from './errors.js';
import type { Deps } from './deps.js';
import { atNow, endRunningEnrollments } from './unenroll-contact.js';

export async function createUser(
  deps: Deps,
  input: { email: string; firstName: string; lastName: string; seat: Seat; timezone: string | null; role: UserRole; signature?: string },
): Promise<User> {
  try {
    return await users.insertUser(deps.db.kysely, input, deps.clock.now());
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.userExists({ email: input.email });
    throw err;
  }
}

export async function requireUser(deps: Deps, id: number): Promise<User> {
  const user = await users.getUser(deps.db.kysely, id);
  if (!user) throw errors.userNotFound({ id });
  return user;
}

/** Changing a seat to one that cannot send sequences ends that user's running enrollments (SENDER_REMOVED). */
export async function setSeat(deps: Deps, id: number, seat: Seat): Promise<User> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const user = await users.updateUser(tx, id, { seat }, now);
    if (!user) throw errors.userNotFound({ id });
    if (!deps.config.seatPolicy.sequences.includes(seat)) {
      await endRunningEnrollments(tx, { senderUserId: id }, 'SENDER_REMOVED', { ...atNow(deps), now });
    }
    return user;
  });
}

/** HubSpot's user removal: the user's running enrollments end (SENDER_REMOVED), their inboxes disconnect. */
export async function removeUser(deps: Deps, id: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await users.removeUser(tx, id, now))) throw errors.userNotFound({ id });
    await endRunningEnrollments(tx, { senderUserId: id }, 'SENDER_REMOVED', { ...atNow(deps), now });
    await disconnectInboxesOfUser(tx, id, now);
  });
}

export async function replaceUser(deps: Deps, id: number, patch: { firstName?: string; lastName?: string; role?: UserRole; timezone?: string | null }): Promise<User> {
  const user = await users.updateUser(deps.db.kysely, id, patch, deps.clock.now());
  if (!user) throw errors.userNotFound({ id });
  return user;
}

/** A page of users (owners) in id order after a cursor; `email` narrows it to that address. */
export const listUsersPage = (deps: Deps, opts: { after: number; limit: number; email?: string }): Promise<User[]> => users.listUsers(deps.db.kysely, opts);

/** The user with this email, case-insensitively; a 404 when none. */
export async function requireUserByEmail(deps: Deps, email: string): Promise<User> {
  const user = await users.getUserByEmail(deps.db.kysely, email);
  if (!user) throw errors.userNotFound({ id: email });
  return user;
}

/** Whether a user exists (not removed). */
export const userExists = async (deps: Deps, id: number): Promise<boolean> => (await users.getUser(deps.db.kysely, id)) !== null;
