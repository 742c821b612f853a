import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { User } from '../domain/glossary.js';
import { countAdmins, deleteSession, findSession, getPasswordHash, insertSession, setPasswordHash } from '../store/sessions.js';
import { getUser, getUserByEmail } from '../store/users.js';
import type { Deps } from './deps.js';
import { SeqflowError, conflict } from './errors.js';
import { createUser } from './users.js';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
export const MIN_PASSWORD = 10;

async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, 32);
  return `scrypt:${salt.toString('base64')}:${key.toString('base64')}`;
}

async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split(':');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length);
  return crypto.timingSafeEqual(actual, expected);
}

/** Sessions live on the wall clock: they are about real browsers, not product time. */
const wall = () => Date.now();

export async function needsSetup(deps: Deps): Promise<boolean> {
  return (await countAdmins(deps.db.kysely)) === 0;
}

/** The first-run screen: creates the first admin, only while there is none. */
export async function setupFirstAdmin(deps: Deps, input: { email: string; password: string; firstName: string; lastName: string }): Promise<{ user: User; session: string }> {
  if (!(await needsSetup(deps))) throw conflict('Seqflow already has an admin; sign in instead.', 'ALREADY_SET_UP');
  const user = await createUser(deps, { ...input, seat: 'sales_enterprise', timezone: null, role: 'admin' });
  await setPasswordHash(deps.db.kysely, user.id, await hashPassword(input.password));
  return { user, session: await openSession(deps, user.id) };
}

export async function signIn(deps: Deps, email: string, password: string): Promise<{ user: User; session: string }> {
  const user = await getUserByEmail(deps.db.kysely, email);
  const stored = user ? await getPasswordHash(deps.db.kysely, user.id) : null;
  // Same answer for an unknown email and a wrong password, so addresses cannot be probed.
  if (!user || !stored || !(await verifyPassword(password, stored))) {
    throw new SeqflowError(401, 'INVALID_AUTHENTICATION', 'The email or password is not correct.');
  }
  return { user, session: await openSession(deps, user.id) };
}

export async function setPassword(deps: Deps, userId: number, password: string): Promise<void> {
  await setPasswordHash(deps.db.kysely, userId, await hashPassword(password));
}

async function openSession(deps: Deps, userId: number): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await insertSession(deps.db.kysely, token, userId, wall(), SESSION_TTL_MS);
  return token;
}

export async function sessionUser(deps: Deps, token: string): Promise<User | null> {
  const s = await findSession(deps.db.kysely, token, wall());
  return s ? getUser(deps.db.kysely, s.userId) : null;
}

export const signOut = (deps: Deps, token: string) => deleteSession(deps.db.kysely, token);
