import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SeqflowError } from '../services/errors.js';
import { findToken } from '../store/tokens.js';
import type { AppContext } from './context.js';

/** Routes anyone may call: health, the public form, unsubscribe and booking endpoints. */
const PUBLIC = [/^\/seqflow\/v1\/health$/, /^\/seqflow\/v1\/unsubscribe\//, /^\/submissions\//, /^\/forms\//];

export interface Principal {
  admin: boolean;
  userId: number | null;
  scopes: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = request.url.split('?')[0];
    if (PUBLIC.some((p) => p.test(path))) return;
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!token) {
      throw new SeqflowError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports Bearer token authentication: send Authorization: Bearer <token>.');
    }
    if (ctx.adminToken && sameSecret(token, ctx.adminToken)) {
      request.principal = { admin: true, userId: null, scopes: ['*'] };
      return;
    }
    const stored = await findToken(ctx.deps.db.kysely, token);
    if (!stored) throw new SeqflowError(401, 'INVALID_AUTHENTICATION', 'The access token is not valid or was revoked.');
    request.principal = { admin: stored.scopes.includes('*'), userId: stored.userId, scopes: stored.scopes };
  });
}
