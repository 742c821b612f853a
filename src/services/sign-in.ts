import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { User } from '../domain/glossary.js';
import { countAdmins, deleteSession, findSession, getPasswordHash, insertSession, setPasswordHash } from '../store/sessions.js';
import { getUser, getUserByEmail } from '../store/users.js';
import { blockedUntil, blockUntil, clearAttempts, countFailure, forgetAttempts } from '../store/sign-in-attempts.js';
import { ensureSetting, hashToken } from '../store/tokens.js';
import { BACKOFF, blockAfter } from '../domain/sign-in-backoff.js';
import type { Deps } from './deps.js';
import { errors } from './errors.js';
import { createUser } from './users.js';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** The shortest password Seqflow accepts (the schemas say so to clients). */
export { MIN_PASSWORD } from '../schemas/system.js';

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
  if (!(await needsSetup(deps))) throw errors.alreadySetUp();
  const user = await createUser(deps, { ...input, seat: 'sales_enterprise', timezone: null, role: 'admin' });
  await setPasswordHash(deps.db.kysely, user.id, await hashPassword(input.password));
  return { user, session: await openSession(deps, user.id) };
}

/**
 * Password sign-in with the per-account back-off (src/domain/sign-in-backoff.ts), on the
 * injected clock. Failures count against the email whether or not it names a user, so the
 * back-off does not tell which addresses have accounts. A browser that signed in to this account
 * before (`device`, the signed cookie handed out on success) is counted on its own instead, so
 * someone guessing from elsewhere cannot lock the real user out of their usual browser.
 */
export async function signIn(deps: Deps, email: string, password: string, device: string | null = null): Promise<{ user: User; session: string; device: string }> {
  const db = deps.db.kysely;
  const now = deps.clock.now();
  const user = await getUserByEmail(db, email);
  const accountKey = `account:${hashToken(email.trim().toLowerCase())}`;
  const trusted = user && device ? await trustedDevice(deps, device, user.id) : null;
  const key = trusted ? `device:${trusted}` : accountKey;
  const until = await blockedUntil(db, key);
  // Refused because the account (or this browser) failed too often lately: SIGN_IN_BACKOFF says when to try again.
  if (until > now) throw errors.signInBackoff({ retryAfterMs: until - now });
  // Counted before the password is checked, so parallel guesses cannot all slip in before the first failure lands.
  const failures = await countFailure(db, key, now, now - BACKOFF.forgetAfterMs);
  const wait = blockAfter(failures);
  if (wait > 0) await blockUntil(db, key, now + wait);
  const stored = user ? await getPasswordHash(db, user.id) : null;
  // Same answer for an unknown email and a wrong password, so addresses cannot be probed.
  if (!user || !stored || !(await verifyPassword(password, stored))) {
    await forgetAttempts(db, now - BACKOFF.forgetAfterMs);
    throw errors.signInFailed();
  }
  await clearAttempts(db, [accountKey, key]);
  return { user, session: await openSession(deps, user.id), device: trusted ? device! : await newDevice(deps, user.id) };
}

const deviceSecret = (deps: Deps) => ensureSetting(deps.db.kysely, 'sign_in_device_secret', crypto.randomBytes(32).toString('base64url'));
const deviceMac = (secret: string, userId: number, nonce: string) => crypto.createHmac('sha256', secret).update(`${userId}.${nonce}`).digest('base64url');

/** A signed `userId.nonce.mac` naming a browser that signed in to this account. */
async function newDevice(deps: Deps, userId: number): Promise<string> {
  const nonce = crypto.randomBytes(16).toString('base64url');
  return `${userId}.${nonce}.${deviceMac(await deviceSecret(deps), userId, nonce)}`;
}

/** The device's nonce when the cookie is genuine and was issued to this user, else null. */
async function trustedDevice(deps: Deps, cookie: string, userId: number): Promise<string | null> {
  const [id, nonce, mac] = cookie.split('.');
  if (id !== String(userId) || !nonce || !mac) return null;
  const expected = Buffer.from(deviceMac(await deviceSecret(deps), userId, nonce));
  const given = Buffer.from(mac);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? nonce : null;
}

/** A new password also lifts the account's back-off: whoever set it knows it. */
export async function setPassword(deps: Deps, userId: number, password: string): Promise<void> {
  await setPasswordHash(deps.db.kysely, userId, await hashPassword(password));
  const user = await getUser(deps.db.kysely, userId);
  if (user) await clearAttempts(deps.db.kysely, [`account:${hashToken(user.email.trim().toLowerCase())}`]);
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
