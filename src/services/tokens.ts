import crypto from 'node:crypto';
import type { Db } from '../store/database.js';
import { insertToken, listTokens, revokeToken, type TokenRow } from '../store/tokens.js';
import { getUser } from '../store/users.js';
import { ALL, SCOPES, scopesNotHeld } from '../domain/scopes.js';
import { SeqflowError, fieldError, notFound, validationError } from './errors.js';

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
  const errors = input.scopes.flatMap((s, i) => (known.has(s) ? [] : [{ message: `scopes[${i}]: unknown scope ${JSON.stringify(s)}`, in: `scopes[${i}]`, code: 'UNKNOWN_SCOPE' }]));
  if (errors.length) {
    throw validationError(`Invalid input (${errors.map((e) => e.message).join('; ')}). Known scopes: ${SCOPES.join(', ')}, and * for all of them.`, errors, 'UNKNOWN_SCOPE');
  }
  const notHeld = scopesNotHeld(grantor, input.scopes);
  if (notHeld.length) {
    const names = [...new Set(notHeld.map((n) => n.scope))];
    const why = (scope: string) => (scope === ALL ? 'only an admin token may create a token with every scope (*)' : `the creating token does not hold ${scope}`);
    throw new SeqflowError(
      403,
      'MISSING_SCOPES',
      `A token can only be given scopes its creator holds; this one does not hold ${names.join(', ')}.`,
      undefined,
      notHeld.map((n) => ({ message: `scopes[${n.index}]: ${why(n.scope)}.`, in: `scopes[${n.index}]`, code: 'MISSING_SCOPES' })),
      { requiredScopes: names },
    );
  }
  const userId = input.userId ?? null;
  if (userId !== null && !(await getUser(db, userId))) throw notFound('User', userId, undefined, 'userId');
  const scopes = [...new Set(input.scopes)];
  const token = newTokenSecret();
  const id = await insertToken(db, { name, token, userId, scopes }, now);
  return { id, name, userId, scopes, createdAt: now, revokedAt: null, token };
}

export const listApiTokens = (db: Db): Promise<TokenRow[]> => listTokens(db);

export async function revokeApiToken(db: Db, id: number, now: number): Promise<void> {
  if (!(await revokeToken(db, id, now))) throw notFound('Token', id);
}
