import crypto from 'node:crypto';
import type { Db } from '../store/database.js';
import { findToken, insertToken, listTokens, revokeToken as revokeStoredToken, type TokenRow } from '../store/tokens.js';
import { getUser } from '../store/users.js';
import { ALL, SCOPES, scopesNotHeld } from '../domain/scopes.js';
import { errors, fieldError } from './errors.js';
import type { Deps } from './deps.js';

/** A new private-app style token: `pat-sf1-<uuid>`, as HubSpot's `pat-na1-<uuid>`. */
export const newTokenSecret = (): string => `pat-sf1-${crypto.randomUUID()}`;

export interface TokenInput {
  name: string;
  scopes: string[];
  userId?: number | null;
}

/**
 * Creates an API token and returns its secret, which is stored only as a SHA-256 hash and so
 * can never be shown again. `grantor` is the creator's scopes: a token gets a subset of them
 * (`*` only from `*`), so no principal can mint itself more power than it has.
 */
export async function createApiToken(db: Db, input: TokenInput, now: number, grantor: readonly string[] = [ALL]): Promise<TokenRow & { token: string }> {
  const name = input.name.trim();
  if (!name) throw fieldError('name', 'name must not be empty.');
  if (!input.scopes.length) throw fieldError('scopes', 'Give at least one scope.');
  const known = new Set<string>([ALL, ...SCOPES]);
  const unknown = input.scopes.flatMap((scope, index) => (known.has(scope) ? [] : [{ index, scope }]));
  if (unknown.length) throw errors.unknownScopes({ unknown, known: SCOPES });
  const notHeld = scopesNotHeld(grantor, input.scopes);
  if (notHeld.length) throw errors.scopesNotHeld({ notHeld, all: ALL });
  const userId = input.userId ?? null;
  if (userId !== null && !(await getUser(db, userId))) throw errors.userNotFound({ id: userId, field: 'userId' });
  const scopes = [...new Set(input.scopes)];
  const token = newTokenSecret();
  const id = await insertToken(db, { name, token, userId, scopes }, now);
  return { id, name, userId, scopes, createdAt: now, revokedAt: null, token };
}

export const listApiTokens = (db: Db): Promise<TokenRow[]> => listTokens(db);

export async function revokeApiToken(db: Db, id: number, now: number): Promise<void> {
  if (!(await revokeStoredToken(db, id, now))) throw errors.tokenNotFound({ id });
}

export type { TokenRow } from '../store/tokens.js';

/** The live token with this secret, or null (unknown or revoked). */
export const authenticateToken = (deps: Deps, token: string): Promise<{ id: number; userId: number | null; scopes: string[] } | null> => findToken(deps.db.kysely, token);

/** createApiToken as the HTTP face calls it: now, on this deployment's database. */
export const issueToken = (deps: Deps, input: TokenInput, grantor: readonly string[]) => createApiToken(deps.db.kysely, input, deps.clock.now(), grantor);
export const liveTokens = (deps: Deps): Promise<TokenRow[]> => listApiTokens(deps.db.kysely);
export const revokeToken = (deps: Deps, id: number): Promise<void> => revokeApiToken(deps.db.kysely, id, deps.clock.now());
